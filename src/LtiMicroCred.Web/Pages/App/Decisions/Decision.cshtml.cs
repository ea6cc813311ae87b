using LtiMicroCred.Decisions;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Decisions;

/// <summary>
/// The final decision on one attempt, for the principal of its school or a district admin: the evidence, the peer
/// reviews side by side per criterion, the rubric prefilled with the reviews' median; award or "not yet".
/// </summary>
public sealed class DecisionModel(DecisionQueries queries, DecideAttempt decide) : AppPageModel
{
    public DecisionView View { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => View = await queries.ForDecisionAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var form = Request.Form;
        return SubmitAsync(async () =>
            {
                var rubric = (await queries.ForDecisionAsync(Actor, id, cancellationToken)).Rubric;
                var outcome = form["outcome"].ToString() switch
                {
                    "Awarded" => DecisionOutcome.Awarded,
                    "NotYet" => DecisionOutcome.NotYet,
                    _ => throw InvalidInputException.For("outcome", "Choose award or not yet."),
                };
                var levels = rubric.Criteria.ToDictionary(c => c.Key, c => int.TryParse(form[$"level-{c.Key}"], out var level) ? level : (int?)null);
                var feedback = rubric.Criteria.ToDictionary(c => c.Key, c => (string?)form[$"feedback-{c.Key}"].ToString());
                await decide.HandleAsync(Actor, id, new DecisionInput(outcome, levels, feedback, form["overall"]), cancellationToken);
            },
            $"/app/attempts/{id}/decision",
            async () => View = await queries.ForDecisionAsync(Actor, id, HttpContext.RequestAborted),
            "The decision is recorded.");
    }

    /// <summary>The level to show checked: what was posted, else the decision, else the reviews' median.</summary>
    public int? CheckedLevel(CriterionComparison comparison)
    {
        var key = comparison.Criterion.Key;
        if (Request.HasFormContentType && int.TryParse(Request.Form[$"level-{key}"], out var posted))
        {
            return posted;
        }

        return View.Decision?.Results.FirstOrDefault(r => r.CriterionKey == key)?.Level ?? comparison.Median;
    }

    public string? PostedText(string field) => Request.HasFormContentType ? Request.Form[field].ToString() : null;
}
