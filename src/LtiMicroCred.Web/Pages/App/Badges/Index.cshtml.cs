using LtiMicroCred.Badges;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Badges;

/// <summary>The teacher's badges: public page, download, share link, LinkedIn, how their name shows.</summary>
public sealed class IndexModel(BadgeQueries queries, SetBadgeVisibility setVisibility, IPublicAddress address) : AppPageModel
{
    public IReadOnlyList<MyBadge> Badges { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Badges = await queries.MineAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostVisibilityAsync(Guid id, NameVisibility? visibility, CancellationToken cancellationToken) =>
        SubmitAsync(() => visibility is { } v
                ? setVisibility.HandleAsync(Actor, id, v, cancellationToken)
                : throw InvalidInputException.For("visibility", "Choose how your name shows."),
            "/app/badges", () => OnGetAsync(HttpContext.RequestAborted), "Your choice is saved.");

    public string PublicUrl(Guid id) => BadgeUrls.Badge(BadgeUrls.Base(address), id);

    /// <summary>LinkedIn's "add licence or certification" link, filled in.</summary>
    public string LinkedInUrl(MyBadge badge) =>
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        + $"&name={Uri.EscapeDataString(badge.Title)}"
        + $"&issueYear={badge.IssuedAt.Year}&issueMonth={badge.IssuedAt.Month}"
        + $"&certUrl={Uri.EscapeDataString(PublicUrl(badge.Id))}&certId={badge.Id}";
}
