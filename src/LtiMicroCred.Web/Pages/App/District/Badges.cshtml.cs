using LtiMicroCred.Badges;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>The district's issued badges (district admins only): filter, revoke, and the issuer new badges name.</summary>
public sealed class BadgesModel(BadgeQueries queries, SetBadgeIssuer setIssuer) : AppPageModel
{
    public BadgeFilter Filter { get; private set; } = new();

    public IReadOnlyList<DistrictBadgeRow> Rows { get; private set; } = [];

    public BadgeIssuerView Issuer { get; private set; } = null!;

    public async Task OnGetAsync(string? earner, BadgeKind? kind, bool? revoked, CancellationToken cancellationToken)
    {
        Filter = new BadgeFilter(earner, kind, revoked);
        Rows = await queries.DistrictAsync(Actor, Filter, cancellationToken);
        Issuer = await queries.IssuerAsync(Actor, cancellationToken);
    }

    public Task<IActionResult> OnPostIssuerAsync(string? name, string? url, string? email, CancellationToken cancellationToken) =>
        SubmitAsync(() => setIssuer.HandleAsync(Actor, name, url, email, cancellationToken), "/app/district/badges",
            () => OnGetAsync(null, null, null, HttpContext.RequestAborted), "The issuer is saved. New badges will name it.");
}
