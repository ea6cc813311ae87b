using LtiMicroCred.Attempts;
using LtiMicroCred.Coaching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Attempts;

/// <summary>The teacher's check-ins on one attempt: ask one of their coaches, read the answers.</summary>
public sealed class CheckInsModel(TeacherCheckIns checkIns, AttemptQueries attempts) : AppPageModel
{
    public AttemptCheckIns View { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> CriterionTitles { get; private set; } = new Dictionary<string, string>();

    public string? Question { get; private set; }

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        View = await checkIns.ForAttemptAsync(Actor, id, cancellationToken);
        var detail = await attempts.DetailAsync(Actor, id, cancellationToken);
        CriterionTitles = detail.Definition.Criteria.ToDictionary(c => c.Key, c => c.Title);
    }

    public Task<IActionResult> OnPostAsync(Guid id, Guid? coachId, CheckInAbout about, string? question, CancellationToken cancellationToken)
    {
        Question = question;
        return SubmitAsync(() => checkIns.AskAsync(Actor, id, coachId, about, question, cancellationToken), $"/app/attempts/{id}/check-ins",
            () => OnGetAsync(id, cancellationToken), "Your coach has been asked.");
    }
}
