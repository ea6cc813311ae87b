using LtiMicroCred.Persistence;
using LtiMicroCred.Portfolio;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.Portfolio;

/// <summary>
/// The evidence portfolio: ask for a ZIP of one attempt or of all credentials (for yourself, or as a district admin for
/// a teacher), follow the exports' progress, download them when ready.
/// </summary>
public sealed class IndexModel(PortfolioQueries queries, RequestPortfolioExport request, AppDbContext db) : AppPageModel
{
    public IReadOnlyList<PortfolioExportRow> Exports { get; private set; } = [];

    /// <summary>The attempt the page was opened from (a link on the attempt page), offered as "this attempt".</summary>
    public (Guid Id, string Title)? Attempt { get; private set; }

    /// <summary>The teacher a district admin exports for, when not themselves.</summary>
    public (Guid Id, string Name)? Teacher { get; private set; }

    public bool Running => Exports.Any(e => e.Status is PortfolioExportStatus.Queued or PortfolioExportStatus.Running);

    public async Task OnGetAsync(Guid? attempt, Guid? teacher, CancellationToken cancellationToken)
    {
        Exports = await queries.MineAsync(Actor, cancellationToken);
        if (attempt is { } attemptId)
        {
            // Only a title to label the choice: the request itself applies the rule.
            var found = await (from a in db.Attempts join c in db.Credentials on a.CredentialId equals c.Id
                               where a.Id == attemptId && a.TenantId == Actor.TenantId select new { a.Id, c.Title, a.Number }).SingleOrDefaultAsync(cancellationToken);
            Attempt = found is null ? null : (found.Id, $"{found.Title} (attempt {found.Number})");
        }

        if (teacher is { } teacherId && teacherId != Actor.PersonId && Actor.IsDistrictAdmin
            && await db.People.Where(p => p.Id == teacherId && p.TenantId == Actor.TenantId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken) is { } name)
        {
            Teacher = (teacherId, name);
        }
    }

    public Task<IActionResult> OnPostAsync(string? scope, Guid? attempt, Guid? teacher, CancellationToken cancellationToken) =>
        SubmitAsync(() => request.HandleAsync(Actor, scope == "attempt" ? PortfolioScope.Attempt : PortfolioScope.All, scope == "attempt" ? attempt : null, teacher, cancellationToken),
            "/app/portfolio", () => OnGetAsync(attempt, teacher, HttpContext.RequestAborted), "Your export is being prepared. It appears below when ready.");

    /// <summary>The exports' progress, for the page's status region while some run.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken cancellationToken)
    {
        var exports = await queries.MineAsync(Actor, cancellationToken);
        return new JsonResult(exports.Select(e => new { id = e.Id, status = e.Status.ToString(), done = e.Done, total = e.Total }));
    }
}
