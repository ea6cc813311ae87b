using System.Globalization;
using LtiMicroCred.Reports;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>Hours, points, units and stipends awarded and reserved against budget, per school, for one school year.</summary>
public sealed class IncentivesModel(IncentiveQueries queries) : AppPageModel
{
    public IncentivesReport Report { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, Guid? credential, int? year, CancellationToken cancellationToken) =>
        Report = await queries.AgainstBudgetAsync(Actor, new ReportFilter(school, credential), year, cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(Guid? school, Guid? credential, int? year, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await queries.WriteCsvAsync(Actor, new ReportFilter(school, credential), year, buffer, cancellationToken);
        Response.Headers.ContentDisposition = $"attachment; filename=\"incentives-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv\"";
        return File(buffer.ToArray(), "text/csv; charset=utf-8");
    }

    public string CsvLink() => ReportLinks.Csv(this, "/app/reports/incentives", Report.Filter) + "&year=" + Report.Year.ToString(CultureInfo.InvariantCulture);

    public static string Amount(decimal? amount) => amount?.ToString("0.##", CultureInfo.CurrentCulture) ?? "No budget";
}
