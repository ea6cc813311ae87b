using LtiMicroCred.Badges;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>A district admin revokes one badge of the district, with a public reason.</summary>
public sealed class BadgeRevokeModel(BadgeQueries queries, RevokeBadge revoke) : AppPageModel
{
    public DistrictBadgeRow Badge { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => Badge = await queries.ForAdminAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(() => revoke.HandleAsync(Actor, id, reason, cancellationToken), "/app/district/badges",
            () => OnGetAsync(id, HttpContext.RequestAborted), "The badge is revoked.");
}
