using LtiMicroCred.Reviews;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Reviews;

/// <summary>
/// One review: the attempt's evidence next to the rubric; a level and feedback per criterion, overall feedback; save a
/// draft (the page also autosaves), submit and go on to the next open review, or declare a conflict of interest.
/// Only the reviewer it is allocated to opens it (the use cases say so).
/// </summary>
public sealed class ReviewModel(ReviewQueries queries, IServiceProvider services, TimeProvider time) : AppPageModel
{
    public ReviewView View { get; private set; } = null!;

    public DateTimeOffset Now => time.GetUtcNow();

    [BindProperty]
    public Dictionary<string, int?> Levels { get; set; } = [];

    [BindProperty]
    public Dictionary<string, string?> Feedback { get; set; } = [];

    [BindProperty]
    public string? Overall { get; set; }

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken) =>
        SubmitAsync(() => services.GetRequiredService<SaveReviewDraft>().HandleAsync(Actor, id, Input, cancellationToken), $"/app/reviews/{id}",
            () => LoadAsync(id, cancellationToken), "Your draft is saved.");

    /// <summary>The page's autosave: the same fields and tokens as the form; answers with the time it was saved.</summary>
    public async Task<IActionResult> OnPostAutosaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var saved = await services.GetRequiredService<SaveReviewDraft>().HandleAsync(Actor, id, Input, cancellationToken);
        return new JsonResult(new { savedAt = saved.SavedAt?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken cancellationToken)
    {
        Guid? next = null;
        var result = await SubmitAsync(async () =>
        {
            await services.GetRequiredService<SubmitReview>().HandleAsync(Actor, id, Input, cancellationToken);
            next = await queries.NextOpenAsync(Actor, id, cancellationToken);
        }, "/app/reviews", () => LoadAsync(id, cancellationToken));
        if (result is not RedirectResult)
        {
            return result;
        }

        return next is { } nextId
            ? Redirect(Link($"/app/reviews/{nextId}?notice={Uri.EscapeDataString("Review submitted. Here is your next one.")}&submitted={id}"))
            : Redirect(Link($"/app/reviews?notice={Uri.EscapeDataString("Review submitted. You have no more open reviews.")}&submitted={id}"));
    }

    public Task<IActionResult> OnPostConflictAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(() => services.GetRequiredService<DeclareConflict>().HandleAsync(Actor, id, reason, cancellationToken), "/app/reviews",
            () => LoadAsync(id, cancellationToken), "Thank you for saying so. The review has gone to another colleague.");

    private ReviewInput Input => new(Levels, Feedback, Overall);

    private async Task LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        View = await queries.ReviewAsync(Actor, id, cancellationToken);
        if (!Request.HasFormContentType)
        {
            foreach (var score in View.Review.Scores)
            {
                Levels[score.CriterionKey] = score.Level;
                Feedback[score.CriterionKey] = score.Feedback;
            }

            Overall = View.Review.OverallFeedback;
        }
    }
}
