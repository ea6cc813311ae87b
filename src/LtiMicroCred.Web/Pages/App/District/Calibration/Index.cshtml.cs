using System.Globalization;
using LtiMicroCred.Calibration;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Calibration;

/// <summary>The district admin's calibration page: references per credential, the threshold, and reviewers' results.</summary>
public sealed class IndexModel(CalibrationQueries queries, ManageReferences manage) : AppPageModel
{
    public CalibrationOverview Overview { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Overview = await queries.OverviewAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostThresholdAsync(string? threshold, CancellationToken cancellationToken) =>
        SubmitAsync(
            () => manage.SetThresholdAsync(Actor, double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null, cancellationToken),
            "/app/district/calibration",
            () => OnGetAsync(cancellationToken),
            "The threshold is saved.");
}
