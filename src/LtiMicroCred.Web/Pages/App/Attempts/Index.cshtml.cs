using LtiMicroCred.Attempts;

namespace LtiMicroCred.Web.Pages.App.Attempts;

/// <summary>The teacher's microcredentials: every attempt with its status and due date.</summary>
public sealed class IndexModel(AttemptQueries queries) : AppPageModel
{
    public IReadOnlyList<AttemptSummary> Attempts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Attempts = await queries.MineAsync(Actor, cancellationToken);
}
