using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Ledger;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Ledger;

/// <summary>
/// The ledger of the district (district admins) or of the principal's schools: filtered by school, dates and teacher,
/// with totals per kind; the same filter as a CSV download (docs/ledger-csv.md); the district's CPD conversion rule.
/// </summary>
public sealed class DistrictModel(LedgerQueries queries, SetLedgerSettings settings) : AppPageModel
{
    public DistrictLedgerView View { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, DateOnly? from, DateOnly? to, string? teacher, CancellationToken cancellationToken) =>
        View = await queries.SearchAsync(Actor, new LedgerFilter(school, from, to, teacher), cancellationToken);

    /// <summary>The CSV, written to the response as the entries are read.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid? school, DateOnly? from, DateOnly? to, string? teacher, CancellationToken cancellationToken)
    {
        var filter = new LedgerFilter(school, from, to, teacher);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"ledger-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv\"";
        await queries.WriteCsvAsync(Actor, filter, Response.Body, cancellationToken);
        return new EmptyResult();
    }

    public Task<IActionResult> OnPostRateAsync(string? rate, CancellationToken cancellationToken) =>
        SubmitAsync(() => settings.HandleAsync(Actor, ParseRate(rate), cancellationToken), "/app/district/ledger",
            async () => View = await queries.SearchAsync(Actor, new LedgerFilter(), HttpContext.RequestAborted), "The CPD conversion rule is saved.");

    public string CsvLink()
    {
        var f = View.Filter;
        return Link("/app/district/ledger?" + string.Join("&", new Dictionary<string, string?>
        {
            ["handler"] = "Csv", ["school"] = f.SchoolId?.ToString(), ["from"] = f.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = f.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["teacher"] = f.Teacher,
        }.Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}")));
    }

    private static decimal? ParseRate(string? rate) =>
        string.IsNullOrWhiteSpace(rate) ? null
        : decimal.TryParse(rate.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw InvalidInputException.For("rate", "Enter the CPD units per hour as a number, such as 0.1, or leave it empty.");
}
