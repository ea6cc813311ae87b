using LtiMicroCred.Coaching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>Coach assignments: district admins anywhere, principals within the schools they lead.</summary>
public sealed class CoachesModel(CoachingQueries queries, ManageCoaches manage) : AppPageModel
{
    public CoachesPage Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Data = await queries.CoachesAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostAssignAsync(Guid? coachId, Guid? teacherId, Guid? credentialId, Guid? schoolId, CancellationToken cancellationToken) =>
        SubmitAsync(() => manage.AssignAsync(Actor, new CoachAssignmentInput(coachId, teacherId, credentialId, schoolId), cancellationToken),
            "/app/district/coaches", () => OnGetAsync(cancellationToken), "The coach is assigned.");

    public Task<IActionResult> OnPostRemoveAsync(Guid assignmentId, CancellationToken cancellationToken) =>
        SubmitAsync(() => manage.RemoveAsync(Actor, assignmentId, cancellationToken), "/app/district/coaches", () => OnGetAsync(cancellationToken), "The assignment is removed.");
}
