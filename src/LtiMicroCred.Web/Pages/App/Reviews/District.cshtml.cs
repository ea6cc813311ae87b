using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.Reviews;

/// <summary>The district administrator's peer review settings: one policy per credential, and the district-wide calibration rule.</summary>
public sealed class DistrictModel(AppDbContext db, IServiceProvider services) : AppPageModel
{
    public sealed record Row(Guid CredentialId, string Title, ReviewPolicy Policy);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public ProgrammeSettings Settings { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actor.RequireDistrictAdmin();
        var credentials = await db.Credentials.AsNoTracking().Where(c => c.TenantId == Actor.TenantId && !c.Retired).Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        var policies = await db.ReviewPolicies.AsNoTracking().Where(p => p.TenantId == Actor.TenantId).ToDictionaryAsync(p => p.CredentialId, cancellationToken);
        Rows = credentials.OrderBy(c => c.Title, StringComparer.Ordinal)
            .Select(c => new Row(c.Id, c.Title, policies.GetValueOrDefault(c.Id) ?? new ReviewPolicy { CredentialId = c.Id, RequiredReviews = 0 })).ToList();
        Settings = await db.ProgrammeSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == Actor.TenantId, cancellationToken) ?? new ProgrammeSettings();
    }

    public Task<IActionResult> OnPostPolicyAsync(Guid credentialId, int required, bool anonymous, int due, int reminder, int reallocate, ReviewerEligibility[]? eligibility, CancellationToken cancellationToken) =>
        SubmitAsync(() => services.GetRequiredService<SetReviewPolicy>().HandleAsync(Actor, credentialId,
                new ReviewPolicyInput(required, anonymous, due, reminder, reallocate, (eligibility ?? []).Aggregate(ReviewerEligibility.AnyColleague, (all, e) => all | e)), cancellationToken),
            "/app/district/reviews", () => OnGetAsync(cancellationToken), "The review setting is saved.");

    public Task<IActionResult> OnPostProgrammeAsync(bool requireCalibrated, double kappa, CancellationToken cancellationToken) =>
        SubmitAsync(() => services.GetRequiredService<SetReviewProgramme>().HandleAsync(Actor, requireCalibrated, kappa, cancellationToken),
            "/app/district/reviews", () => OnGetAsync(cancellationToken), "The district's review settings are saved.");
}
