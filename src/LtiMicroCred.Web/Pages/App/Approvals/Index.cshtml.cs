using LtiMicroCred.Attempts;

namespace LtiMicroCred.Web.Pages.App.Approvals;

/// <summary>The principal's short queue: plans awaiting approval, then open attempts of their schools.</summary>
public sealed class IndexModel(AttemptQueries queries) : AppPageModel
{
    public IReadOnlyList<PlanQueueEntry> Queue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Queue = await queries.LeaderQueueAsync(Actor, cancellationToken);
}
