using LtiMicroCred.Decisions;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Pathways;

/// <summary>A pathway final review, for its committee (principals of the teacher's school, district admins): progress and votes.</summary>
public sealed class ReviewModel(PathwayQueries queries, VotePathwayReview vote) : AppPageModel
{
    public PathwayReviewView View { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => View = await queries.ReviewAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, string? outcome, string? feedback, CancellationToken cancellationToken) =>
        SubmitAsync(() => outcome is "Award" or "NotYet"
                ? vote.HandleAsync(Actor, id, Enum.Parse<PathwayVoteOutcome>(outcome), feedback, cancellationToken)
                : throw InvalidInputException.For("outcome", "Choose award or not yet."),
            $"/app/pathway-reviews/{id}", async () => View = await queries.ReviewAsync(Actor, id, HttpContext.RequestAborted), "Your vote is recorded.");
}
