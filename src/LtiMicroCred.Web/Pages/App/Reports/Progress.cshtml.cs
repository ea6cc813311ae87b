using System.Globalization;
using LtiMicroCred.Reports;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>
/// The progress report of the district (district admins) or of the principal's schools: attempts by status, school,
/// credential and month, as bar charts with tables beside them; review timeliness; resubmission rate; the same
/// filter as CSV.
/// </summary>
public sealed class ProgressModel(ReportQueries queries) : AppPageModel
{
    public ProgressReport Report { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, Guid? credential, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        Report = await queries.ProgressAsync(Actor, new ReportFilter(school, credential, from, to), cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(Guid? school, Guid? credential, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var filter = new ReportFilter(school, credential, from, to);
        // Build the report before the first byte is written, so a refusal is still a refusal page.
        using var buffer = new MemoryStream();
        await queries.WriteProgressCsvAsync(Actor, filter, buffer, cancellationToken);
        Response.Headers.ContentDisposition = $"attachment; filename=\"progress-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv\"";
        return File(buffer.ToArray(), "text/csv; charset=utf-8");
    }

    public string CsvLink() => ReportLinks.Csv(this, "/app/reports/progress", Report.Filter);

    public static string Duration(MedianDuration median) => median.Median is not { } m ? "No cases yet"
        : m.TotalDays >= 1 ? string.Format(CultureInfo.CurrentCulture, "{0:0.#} days (over {1} cases)", m.TotalDays, median.Sample)
        : string.Format(CultureInfo.CurrentCulture, "{0:0.#} hours (over {1} cases)", m.TotalHours, median.Sample);
}

/// <summary>Links that keep a report's filter.</summary>
public static class ReportLinks
{
    public static string Csv(AppPageModel page, string path, ReportFilter f) =>
        page.Link(path + "?" + string.Join("&", new Dictionary<string, string?>
        {
            ["handler"] = "Csv", ["school"] = f.SchoolId?.ToString(), ["credential"] = f.CredentialId?.ToString(),
            ["from"] = f.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = f.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}")));
}
