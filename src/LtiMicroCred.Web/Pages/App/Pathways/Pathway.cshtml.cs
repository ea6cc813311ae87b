using LtiMicroCred.Decisions;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Pathways;

/// <summary>A teacher's progress on one pathway, and the request for its final review by the committee.</summary>
public sealed class PathwayModel(PathwayQueries queries, RequestPathwayReview request) : AppPageModel
{
    public PathwayProgressView View { get; private set; } = null!;

    public async Task OnGetAsync(string key, CancellationToken cancellationToken) => View = await queries.MineAsync(Actor, key, cancellationToken);

    public Task<IActionResult> OnPostAsync(string key, CancellationToken cancellationToken) =>
        SubmitAsync(() => request.HandleAsync(Actor, key, cancellationToken), $"/app/pathways/{Uri.EscapeDataString(key)}",
            async () => View = await queries.MineAsync(Actor, key, HttpContext.RequestAborted), "Your final review is requested: the committee will vote.");
}
