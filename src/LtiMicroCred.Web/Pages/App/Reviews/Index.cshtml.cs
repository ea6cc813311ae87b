using LtiMicroCred.Reviews;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reviews;

/// <summary>The reviewer's queue: their open reviews by due time, then the ones they submitted.</summary>
public sealed class IndexModel(ReviewQueries queries, TimeProvider time) : AppPageModel
{
    public ReviewQueue Queue { get; private set; } = new([], [], 0);

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken) => Queue = await queries.QueueAsync(Actor, cancellationToken);

    /// <summary>"Start next review": the open review due first.</summary>
    public async Task<IActionResult> OnGetNextAsync(CancellationToken cancellationToken) =>
        await queries.NextOpenAsync(Actor, null, cancellationToken) is { } next
            ? Redirect(Link($"/app/reviews/{next}"))
            : Redirect(Link("/app/reviews?notice=" + Uri.EscapeDataString("You have no open reviews.")));
}
