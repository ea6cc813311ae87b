using LtiMicroCred.Decisions;

namespace LtiMicroCred.Web.Pages.App.Approvals;

/// <summary>
/// The principal's queue, for the schools they lead (a district admin: all, with a school filter): plans to approve,
/// attempts ready for decision, overdue reviews, extension requests and pathway final reviews, each oldest first.
/// </summary>
public sealed class IndexModel(PrincipalQueue queue) : AppPageModel
{
    public QueueView Queue { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, QueueSection? show, CancellationToken cancellationToken) =>
        Queue = await queue.LoadAsync(Actor, school, show, cancellationToken);

    /// <summary>The "show all" link of a section, keeping the school filter.</summary>
    public string ShowAll(QueueSection section) =>
        Link($"/app/approvals?show={section}{(Queue.SchoolFilter is { } s ? $"&school={s}" : "")}#{section.ToString().ToLowerInvariant()}-heading");
}
