using LtiMicroCred.Reviews;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reviews;

/// <summary>
/// The principal's view of one attempt's peer reviews: who has each, its age and status (reminded, overdue,
/// escalated), any shortfall, the submitted reviews side by side with the differences marked, and reallocation.
/// </summary>
public sealed class AttemptReviewsModel(ReviewQueries queries, IServiceProvider services, TimeProvider time) : AppPageModel
{
    public AttemptReviews View { get; private set; } = null!;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => View = await queries.AttemptReviewsAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostReallocateAsync(Guid id, Guid reviewId, Guid? toReviewerId, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(() => services.GetRequiredService<ReallocateReview>().HandleAsync(Actor, reviewId, toReviewerId, reason, cancellationToken),
            $"/app/attempts/{id}/reviews", () => OnGetAsync(id, cancellationToken), "The review is reallocated.");

    public Task<IActionResult> OnPostConflictAsync(Guid id, Guid reviewerId, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(async () => await services.GetRequiredService<DeclareConflict>().RecordAsync(Actor, reviewerId, (await queries.AttemptReviewsAsync(Actor, id, cancellationToken)).Attempt.TeacherId, reason, cancellationToken),
            $"/app/attempts/{id}/reviews", () => OnGetAsync(id, cancellationToken), "The conflict of interest is recorded.");
}
