using LtiMicroCred.Coaching;

namespace LtiMicroCred.Web.Pages.App.Coaching;

/// <summary>The coach's queue: check-ins waiting for comments, then those already answered.</summary>
public sealed class IndexModel(CoachCheckIns checkIns) : AppPageModel
{
    public IReadOnlyList<CoachQueueEntry> Queue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Queue = await checkIns.QueueAsync(Actor, cancellationToken);
}
