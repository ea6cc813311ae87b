using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reviews;

/// <summary>What a reviewer typed: a level (0-based, or none yet) and feedback per criterion, and overall feedback.</summary>
public sealed record ReviewInput(IReadOnlyDictionary<string, int?> Levels, IReadOnlyDictionary<string, string?> Feedback, string? Overall);

/// <summary>Loads a review for its reviewer: another tenant's is "not found", someone else's "not allowed".</summary>
public sealed class ReviewAccess(AppDbContext db)
{
    public async Task<ReviewAssignment> OwnAsync(Actor actor, Guid reviewId, CancellationToken cancellationToken)
    {
        var review = await AnyAsync(actor, reviewId, cancellationToken);
        return review.ReviewerId == actor.PersonId ? review : throw new ForbiddenException("This review is allocated to someone else.");
    }

    /// <summary>A review of the tenant, whoever it is allocated to (the caller applies its own rule).</summary>
    public async Task<ReviewAssignment> AnyAsync(Actor actor, Guid reviewId, CancellationToken cancellationToken) =>
        await db.ReviewAssignments.SingleOrDefaultAsync(r => r.Id == reviewId && r.TenantId == actor.TenantId, cancellationToken)
        ?? throw new NotFoundException("There is no such review.");

    public async Task<CredentialDefinition> DefinitionAsync(Attempt attempt, CancellationToken cancellationToken) =>
        await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
}

/// <summary>
/// The reviewer saves a draft (the page autosaves it too). Levels may be missing; what is there must fit the rubric.
/// </summary>
public sealed class SaveReviewDraft(AppDbContext db, ReviewAccess access, TimeProvider time)
{
    public async Task<ReviewAssignment> HandleAsync(Actor actor, Guid reviewId, ReviewInput input, CancellationToken cancellationToken)
    {
        var review = await access.OwnAsync(actor, reviewId, cancellationToken);
        ReviewRules.RequireOpen(review);
        var attempt = await db.Attempts.AsNoTracking().SingleAsync(a => a.Id == review.AttemptId, cancellationToken);
        var definition = await access.DefinitionAsync(attempt, cancellationToken);
        review.Scores = ReviewRules.Scores(definition.Rubric, input);
        review.OverallFeedback = ReviewRules.Overall(input.Overall);
        review.Status = ReviewStatus.Draft;
        review.SavedAt = time.GetUtcNow();
        review.Revision = Guid.NewGuid();
        await ReviewRules.SaveAsync(db, cancellationToken);
        return review;
    }
}

/// <summary>
/// The reviewer submits: every criterion needs a level; the outcome follows the rubric's passing rule. The last
/// required review makes the attempt ready for the principal's decision and flags conflicting reviews.
/// </summary>
public sealed class SubmitReview(AppDbContext db, ReviewAccess access, ReviewAllocator allocator, AuditLog audit, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, Guid reviewId, ReviewInput input, CancellationToken cancellationToken)
    {
        var review = await access.OwnAsync(actor, reviewId, cancellationToken);
        ReviewRules.RequireOpen(review);
        var attempt = await db.Attempts.SingleAsync(a => a.Id == review.AttemptId, cancellationToken);
        if (attempt.Status != AttemptStatus.InReview)
        {
            throw new RuleViolationException("This attempt is no longer in review, so the review cannot be submitted.");
        }

        var definition = await access.DefinitionAsync(attempt, cancellationToken);
        var scores = ReviewRules.Scores(definition.Rubric, input);
        var missing = definition.Rubric.Criteria.Where(c => scores.Single(s => s.CriterionKey == c.Key).Level is null).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidInputException(missing.ToDictionary(c => "level-" + c.Key, c => $"Choose a level for \"{c.Title}\"."));
        }

        var now = time.GetUtcNow();
        review.Scores = scores;
        review.OverallFeedback = ReviewRules.Overall(input.Overall);
        review.Outcome = ReviewScoring.Outcome(definition.Rubric, scores);
        review.Status = ReviewStatus.Submitted;
        review.SavedAt = now;
        review.SubmittedAt = now;
        review.Revision = Guid.NewGuid();
        audit.Record(actor, "review.submitted", "review", review.Id, $"Outcome: {(review.Outcome == ReviewOutcome.Pass ? "meets the standard" : "not yet")}");

        var policy = await allocator.PolicyAsync(attempt.CredentialId, cancellationToken);
        var submitted = await db.ReviewAssignments.Where(r => r.AttemptId == attempt.Id && r.Status == ReviewStatus.Submitted && r.Id != review.Id).ToListAsync(cancellationToken);
        submitted.Add(review);
        if (submitted.Count >= (policy?.RequiredReviews ?? 1))
        {
            attempt.ReadyForDecisionAt ??= now;
            attempt.ReviewsConflict = ReviewScoring.Conflict(definition.Rubric, submitted);
            attempt.UpdatedAt = now;
            attempt.Revision = Guid.NewGuid();
            if (attempt.ReviewsConflict)
            {
                audit.RecordSystem(attempt.TenantId, "attempt.reviews-conflict", "attempt", attempt.Id, "The peer reviews differ by more than one level or on the outcome.");
            }
        }

        await ReviewRules.SaveAsync(db, cancellationToken);
    }
}

internal static class ReviewRules
{
    public const int MaxFeedback = 4000;

    public static void RequireOpen(ReviewAssignment review)
    {
        if (review.Status is not (ReviewStatus.Allocated or ReviewStatus.Draft))
        {
            throw new RuleViolationException(review.Status switch
            {
                ReviewStatus.Submitted => "This review is already submitted, so it can no longer be changed.",
                ReviewStatus.Reallocated => "This review was given to another reviewer, so it can no longer be changed.",
                _ => "This review is no longer needed.",
            });
        }
    }

    /// <summary>One score per rubric criterion, in the rubric's order; anything that does not fit is refused by field.</summary>
    public static IReadOnlyList<CriterionScore> Scores(Rubric rubric, ReviewInput input)
    {
        var errors = new Dictionary<string, string>();
        foreach (var key in input.Levels.Keys.Concat(input.Feedback.Keys).Distinct())
        {
            if (rubric.Criteria.All(c => c.Key != key))
            {
                errors["level-" + key] = "The rubric has no such criterion.";
            }
        }

        var scores = new List<CriterionScore>();
        foreach (var criterion in rubric.Criteria)
        {
            var level = input.Levels.GetValueOrDefault(criterion.Key);
            if (level is { } l && (l < 0 || l >= rubric.Levels.Count))
            {
                errors["level-" + criterion.Key] = $"Choose one of the levels for \"{criterion.Title}\".";
            }

            var feedback = input.Feedback.GetValueOrDefault(criterion.Key)?.Trim();
            if (feedback is { Length: > MaxFeedback })
            {
                errors["feedback-" + criterion.Key] = $"The feedback on \"{criterion.Title}\" is longer than {MaxFeedback} characters.";
            }

            scores.Add(new CriterionScore(criterion.Key, level, string.IsNullOrEmpty(feedback) ? null : feedback));
        }

        if (input.Overall is { Length: > MaxFeedback })
        {
            errors["overall"] = $"The overall feedback is longer than {MaxFeedback} characters.";
        }

        return errors.Count > 0 ? throw new InvalidInputException(errors) : scores;
    }

    public static string? Overall(string? overall) => string.IsNullOrWhiteSpace(overall) ? null : overall.Trim();

    public static async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleViolationException("This review changed at the same moment (it may have been given to another reviewer). Reload the page; your text is kept in this browser.");
        }
    }
}
