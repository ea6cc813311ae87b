using LtiMicroCred.Coaching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Coaching;

/// <summary>One check-in for its coach: the plan and the evidence, a comment box per criterion and a general one.</summary>
public sealed class CheckInModel(CoachCheckIns checkIns) : AppPageModel
{
    public CoachCheckInView View { get; private set; } = null!;

    [BindProperty(Name = "comments")]
    public Dictionary<string, string?> Comments { get; set; } = [];

    [BindProperty(Name = "general")]
    public string? General { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => View = await checkIns.OpenAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        SubmitAsync(() => checkIns.AnswerAsync(Actor, id, Comments, General, cancellationToken), $"/app/coaching/{id}", () => OnGetAsync(id, cancellationToken),
            "Your comments are sent to the teacher.");
}
