using LtiMicroCred.Ledger;

namespace LtiMicroCred.Web.Pages.App.Ledger;

/// <summary>The teacher's own ledger: every entry, oldest first, with the running total of its kind.</summary>
public sealed class IndexModel(LedgerQueries queries) : AppPageModel
{
    public TeacherLedgerView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await queries.MineAsync(Actor, cancellationToken);
}
