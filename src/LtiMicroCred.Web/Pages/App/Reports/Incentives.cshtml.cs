using System.Globalization;
using LtiMicroCred.Reports;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>Hours, points, units and stipends awarded and reserved against budget, per school, for one school year.</summary>
public sealed class IncentivesModel(IncentiveQueries queries) : AppPageModel
{
    public IncentivesReport Report { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, Guid? credential, int? year, CancellationToken cancellationToken) =>
        Report = await queries.AgainstBudgetAsync(Actor, new ReportFilter(school, credential), year, cancellationToken);

    public static string Amount(decimal? amount) => amount?.ToString("0.##", CultureInfo.CurrentCulture) ?? "No budget";
}
