using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Evidence;
using LtiMicroCred.ResultPosting.Hours;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>
/// A district admin links each submission criterion of a credential to an existing LMS assignment, chosen from the
/// Canvas course's assignments (listed through their own Canvas connection) or given by id for another LMS.
/// </summary>
public sealed class MappingsModel(AssignmentMappingQueries queries, MapAssignment map, CredentialLineItemQueries lineItems, CreateCredentialLineItem createLineItem) : AppPageModel
{
    /// <summary>The credential's own gradebook column, and whether this launch's course could hold one.</summary>
    public CredentialLineItemView OwnLineItem { get; private set; } = null!;

    public CredentialMappings Credential { get; private set; } = null!;

    /// <summary>The Canvas course whose assignments are offered, when the admin named one.</summary>
    [BindProperty(SupportsGet = true, Name = "course")]
    public long? CourseId { get; set; }

    public IReadOnlyList<LmsAssignment> Assignments { get; private set; } = [];

    /// <summary>Why the course's assignments could not be listed, with what to do.</summary>
    public string? CanvasProblem { get; private set; }

    public bool NeedsCanvasConnection { get; private set; }

    public async Task OnGetAsync(string credential, CancellationToken cancellationToken) => await LoadAsync(credential, cancellationToken);

    public Task<IActionResult> OnPostAsync(string credential, string criterionKey, string? courseId, string? assignmentId, CancellationToken cancellationToken) =>
        SubmitAsync(async () =>
        {
            await LoadAsync(credential, cancellationToken);
            var chosen = Assignments.FirstOrDefault(a => a.Id == assignmentId);
            await map.HandleAsync(Actor, new MapAssignmentCommand(Credential.CredentialId, criterionKey, courseId ?? string.Empty, assignmentId ?? string.Empty, chosen?.Name, null), cancellationToken);
        },
        $"/app/district/mappings?credential={Uri.EscapeDataString(credential)}{(CourseId is { } c ? $"&course={c}" : "")}",
        () => LoadAsync(credential, cancellationToken),
        "The assignment is linked.");

    /// <summary>Gives the credential its own line item in the course this launch came from.</summary>
    public Task<IActionResult> OnPostLineItemAsync(string credential, CancellationToken cancellationToken) =>
        SubmitAsync(async () =>
        {
            await LoadAsync(credential, cancellationToken);
            await createLineItem.HandleAsync(Actor, Credential.CredentialId, LaunchUser.From(User)?.CourseId, cancellationToken);
        },
        $"/app/district/mappings?credential={Uri.EscapeDataString(credential)}",
        () => LoadAsync(credential, cancellationToken),
        "The credential has its own gradebook column.");

    private async Task LoadAsync(string credential, CancellationToken cancellationToken)
    {
        Credential = await queries.ForCredentialAsync(Actor, credential, cancellationToken);
        OwnLineItem = await lineItems.GetAsync(Actor, Credential.CredentialId, LaunchUser.From(User)?.CourseId, cancellationToken);
        if (CourseId is not { } course)
        {
            return;
        }

        try
        {
            Assignments = await queries.CanvasAssignmentsAsync(Actor, course, cancellationToken);
        }
        catch (CanvasAuthorizationRequiredException)
        {
            NeedsCanvasConnection = true;
            CanvasProblem = "Connect the tool to your Canvas account to list this course's assignments, or give an assignment's id below.";
        }
        catch (CanvasNotConfiguredException)
        {
            CanvasProblem = "Your district has no Canvas developer key yet, so assignments cannot be listed. Give an assignment's id below.";
        }
        catch (CanvasException)
        {
            CanvasProblem = "Canvas did not list this course's assignments (check the course id, or try again later). You can give an assignment's id below.";
        }
    }
}
