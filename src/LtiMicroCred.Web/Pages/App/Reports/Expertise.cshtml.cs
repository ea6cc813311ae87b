using System.Globalization;
using LtiMicroCred.Reports;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>The expertise map: for each skill, who holds a credential aligned to it, by school; and each school's gaps.</summary>
public sealed class ExpertiseModel(ExpertiseQueries queries) : AppPageModel
{
    public ExpertiseReport Report { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, Guid? credential, DateOnly? from, DateOnly? to, Guid? skill, CancellationToken cancellationToken) =>
        Report = await queries.MapAsync(Actor, new ReportFilter(school, credential, from, to), skill, cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(Guid? school, Guid? credential, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await queries.WriteCsvAsync(Actor, new ReportFilter(school, credential, from, to), buffer, cancellationToken);
        Response.Headers.ContentDisposition = $"attachment; filename=\"expertise-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv\"";
        return File(buffer.ToArray(), "text/csv; charset=utf-8");
    }

    public string CsvLink() => ReportLinks.Csv(this, "/app/reports/expertise", Report.Filter);

    public string SkillLink(Guid skillId)
    {
        var f = Report.Filter;
        var query = new Dictionary<string, string?> { ["school"] = f.SchoolId?.ToString(), ["credential"] = f.CredentialId?.ToString(), ["skill"] = skillId.ToString() }
            .Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}");
        return Link("/app/reports/expertise?" + string.Join("&", query) + "#holders");
    }
}
