using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reviews;

public sealed record ReviewQueueEntry(Guid Id, string CredentialTitle, string TeacherName, ReviewStatus Status, DateTimeOffset AllocatedAt, DateTimeOffset DueAt,
    DateTimeOffset? RemindedAt, DateTimeOffset? SubmittedAt)
{
    public bool IsOpen => Status is ReviewStatus.Allocated or ReviewStatus.Draft;
}

/// <summary>The reviewer's queue: every open review, due first at the top; the latest submitted ones and how many in all.</summary>
public sealed record ReviewQueue(IReadOnlyList<ReviewQueueEntry> Open, IReadOnlyList<ReviewQueueEntry> RecentlySubmitted, int SubmittedTotal)
{
    public const int RecentLength = 20;
}

/// <summary>The review page: the reviewer's review and the attempt's evidence next to the rubric.</summary>
public sealed record ReviewView(ReviewAssignment Review, AttemptView Attempt, Guid? NextOpenId)
{
    public Rubric Rubric => Attempt.Definition.Rubric;

    public bool ReadOnly => Review.Status is not (ReviewStatus.Allocated or ReviewStatus.Draft);

    public CriterionScore? Score(string key) => Review.Scores.FirstOrDefault(s => s.CriterionKey == key);
}

public sealed record ComparedScore(int? Level, string? LevelName, string? Feedback);

/// <summary>One rubric criterion across the submitted reviews; <see cref="Differs"/> when levels are more than one apart.</summary>
public sealed record ComparedCriterion(string Key, string Title, IReadOnlyList<ComparedScore> Scores, bool Differs);

/// <summary>The submitted reviews of an attempt side by side, for the principal (reviewer names are shown to them).</summary>
public sealed record ReviewComparison(IReadOnlyList<string> Reviewers, IReadOnlyList<ComparedCriterion> Criteria, IReadOnlyList<ReviewOutcome?> Outcomes,
    IReadOnlyList<string?> OverallFeedback, bool OutcomesDisagree, bool Conflict);

public sealed record ReviewRow(Guid Id, Guid ReviewerId, string ReviewerName, ReviewStatus Status, DateTimeOffset AllocatedAt, DateTimeOffset DueAt, DateTimeOffset? SubmittedAt,
    DateTimeOffset? RemindedAt, DateTimeOffset? EscalatedAt, int AgeSchoolDays, int OverdueSchoolDays)
{
    public bool IsOpen => Status is ReviewStatus.Allocated or ReviewStatus.Draft;
}

/// <summary>The principal's page of one attempt's reviews.</summary>
public sealed record AttemptReviews(Attempt Attempt, string TeacherName, string CredentialTitle, ReviewPolicy? Policy, IReadOnlyList<ReviewRow> Reviews,
    int Shortfall, IReadOnlyList<ReviewCandidate> Candidates, ReviewComparison Comparison);

public sealed record PeerFeedbackCriterion(string Title, string? LevelName, string? Feedback);

/// <summary>One review as the teacher sees it: a label ("Reviewer 1" when the policy is anonymous), never an id.</summary>
public sealed record PeerFeedback(string Label, ReviewOutcome? Outcome, string? Overall, IReadOnlyList<PeerFeedbackCriterion> Criteria);

/// <summary>The reads of peer review, each under its rule.</summary>
public sealed class ReviewQueries(AppDbContext db, ReviewAccess access, AttemptQueries attempts, AttemptLifecycle lifecycle, ReviewAllocator allocator, TimeProvider time)
{
    // The home page asks on every launch, so compiled once per model (see PerModelQuery).
    private static readonly PerModelQuery<Func<AppDbContext, Guid, Guid, CancellationToken, Task<bool>>> HasReviews = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid tenantId, Guid personId, CancellationToken _) =>
            db.ReviewAssignments.Any(r => r.TenantId == tenantId && r.ReviewerId == personId && r.Status != ReviewStatus.Reallocated)));

    /// <summary>The reviewer's own reviews: open ones by due time first, then submitted ones, latest first.</summary>
    public async Task<ReviewQueue> QueueAsync(Actor actor, CancellationToken cancellationToken)
    {
        // A reviewer of some years has hundreds of submitted reviews: the page lists the open ones and the latest few,
        // each read through the (reviewer, status, due) index, never the whole history.
        var mine = db.ReviewAssignments.AsNoTracking().Where(r => r.TenantId == actor.TenantId && r.ReviewerId == actor.PersonId);
        var open = await Entries(mine.Where(r => r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft).OrderBy(r => r.DueAt))
            .ToListAsync(cancellationToken);
        var submitted = mine.Where(r => r.Status == ReviewStatus.Submitted);
        var recent = await Entries(submitted.OrderByDescending(r => r.SubmittedAt).Take(ReviewQueue.RecentLength)).ToListAsync(cancellationToken);
        var total = recent.Count < ReviewQueue.RecentLength ? recent.Count : await submitted.CountAsync(cancellationToken);
        return new ReviewQueue(open, [.. recent.OrderByDescending(e => e.SubmittedAt)], total);
    }

    /// <summary>What the queue shows of each review; the order is the caller's (kept by taking it before the joins).</summary>
    private IQueryable<ReviewQueueEntry> Entries(IQueryable<ReviewAssignment> reviews) =>
        from r in reviews
        join a in db.Attempts.AsNoTracking() on r.AttemptId equals a.Id
        join c in db.Credentials.AsNoTracking() on a.CredentialId equals c.Id
        join p in db.People.AsNoTracking() on a.TeacherId equals p.Id
        select new ReviewQueueEntry(r.Id, c.Title, p.Name, r.Status, r.AllocatedAt, r.DueAt, r.RemindedAt, r.SubmittedAt);

    /// <summary>Whether the person has any review to show a link to.</summary>
    public Task<bool> HasReviewsAsync(Guid tenantId, Guid personId, CancellationToken cancellationToken) =>
        HasReviews.For(db)(db, tenantId, personId, cancellationToken);


    /// <summary>The reviewer's next open review (earliest due), other than <paramref name="except"/>.</summary>
    public async Task<Guid?> NextOpenAsync(Actor actor, Guid? except, CancellationToken cancellationToken) =>
        await db.ReviewAssignments.AsNoTracking()
            .Where(r => r.TenantId == actor.TenantId && r.ReviewerId == actor.PersonId && r.Id != except
                && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft))
            .OrderBy(r => r.DueAt).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);

    public async Task<ReviewView> ReviewAsync(Actor actor, Guid reviewId, CancellationToken cancellationToken)
    {
        var review = await access.OwnAsync(actor, reviewId, cancellationToken);
        if (review.Status is ReviewStatus.Reallocated or ReviewStatus.Cancelled)
        {
            throw new RuleViolationException(review.Status == ReviewStatus.Reallocated
                ? "This review was given to another reviewer. Your other reviews are in your queue."
                : "This review is no longer needed. Your other reviews are in your queue.");
        }

        var attempt = await attempts.DetailAsync(actor, review.AttemptId, cancellationToken);
        return new ReviewView(review, attempt, await NextOpenAsync(actor, review.Id, cancellationToken));
    }

    /// <summary>The reviews still missing for the attempt (required minus allocated, draft or submitted): what the decision page warns about.</summary>
    public async Task<int> ShortfallAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        return await allocator.ShortfallAsync(attempt, await allocator.PolicyAsync(attempt.CredentialId, cancellationToken), cancellationToken);
    }

    /// <summary>The submitted reviews side by side with the differences marked, for the principal of the school or a district admin.</summary>
    public async Task<ReviewComparison> ComparisonAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        return await CompareAsync(attempt, cancellationToken);
    }

    public async Task<AttemptReviews> AttemptReviewsAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        var now = time.GetUtcNow();
        var rows = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join p in db.People.AsNoTracking() on r.ReviewerId equals p.Id
            where r.AttemptId == attempt.Id
            select new { r, p.Name })
            .ToListAsync(cancellationToken);
        var reviews = rows.OrderBy(x => x.r.AllocatedAt).Select(x => new ReviewRow(x.r.Id, x.r.ReviewerId, x.Name, x.r.Status, x.r.AllocatedAt, x.r.DueAt, x.r.SubmittedAt,
            x.r.RemindedAt, x.r.EscalatedAt, SchoolCalendar.SchoolDaysBetween(x.r.AllocatedAt, x.r.SubmittedAt ?? now),
            x.r.Status is ReviewStatus.Allocated or ReviewStatus.Draft && now > x.r.DueAt ? Math.Max(1, SchoolCalendar.SchoolDaysBetween(x.r.DueAt, now)) : 0)).ToList();
        var policy = await allocator.PolicyAsync(attempt.CredentialId, cancellationToken);
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == attempt.TeacherId).Select(p => p.Name).SingleAsync(cancellationToken);
        var title = await db.Credentials.AsNoTracking().Where(c => c.Id == attempt.CredentialId).Select(c => c.Title).SingleAsync(cancellationToken);
        var candidates = policy is null ? [] : await allocator.CandidatesAsync(attempt, policy, cancellationToken);
        return new AttemptReviews(attempt, teacher, title, policy, reviews, await allocator.ShortfallAsync(attempt, policy, cancellationToken),
            candidates.OrderBy(c => c.Name, StringComparer.Ordinal).ToList(), await CompareAsync(attempt, cancellationToken));
    }

    /// <summary>
    /// The teacher's view of their attempt's peer feedback, once the attempt is decided (or is a closed earlier round).
    /// When the credential's policy is anonymous, reviewers are "Reviewer 1", "Reviewer 2": no name, no id.
    /// </summary>
    public async Task<IReadOnlyList<PeerFeedback>> FeedbackForTeacherAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await db.Attempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId && a.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such attempt.");
        if (attempt.TeacherId != actor.PersonId && !actor.LeadsSchool(attempt.SchoolId))
        {
            throw new ForbiddenException("Only the teacher and the principal of the school see this attempt's peer feedback.");
        }

        if (attempt.Status is not (AttemptStatus.Awarded or AttemptStatus.NotYet or AttemptStatus.Resubmitted))
        {
            return [];
        }

        var policy = await allocator.PolicyAsync(attempt.CredentialId, cancellationToken);
        var anonymous = policy?.Anonymous ?? true;
        var definition = await access.DefinitionAsync(attempt, cancellationToken);
        var rows = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join p in db.People.AsNoTracking() on r.ReviewerId equals p.Id
            where r.AttemptId == attempt.Id && r.Status == ReviewStatus.Submitted
            select new { r.SubmittedAt, r.Scores, r.OverallFeedback, r.Outcome, p.Name })
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.SubmittedAt).Select((r, i) => new PeerFeedback(
            anonymous ? $"Reviewer {i + 1}" : r.Name,
            r.Outcome,
            r.OverallFeedback,
            definition.Rubric.Criteria.Select(c =>
            {
                var score = r.Scores.FirstOrDefault(s => s.CriterionKey == c.Key);
                return new PeerFeedbackCriterion(c.Title, LevelName(definition.Rubric, score?.Level), score?.Feedback);
            }).ToList())).ToList();
    }

    private async Task<ReviewComparison> CompareAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var definition = await access.DefinitionAsync(attempt, cancellationToken);
        var rows = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join p in db.People.AsNoTracking() on r.ReviewerId equals p.Id
            where r.AttemptId == attempt.Id && r.Status == ReviewStatus.Submitted
            select new { Review = r, p.Name })
            .ToListAsync(cancellationToken);
        rows = rows.OrderBy(r => r.Review.SubmittedAt).ToList();
        var submitted = rows.Select(r => r.Review).ToList();
        var criteria = definition.Rubric.Criteria.Select(c => new ComparedCriterion(c.Key, c.Title,
            submitted.Select(r => r.Scores.FirstOrDefault(s => s.CriterionKey == c.Key) is { } s ? new ComparedScore(s.Level, LevelName(definition.Rubric, s.Level), s.Feedback) : new ComparedScore(null, null, null)).ToList(),
            ReviewScoring.Spread(c.Key, submitted) > 1)).ToList();
        return new ReviewComparison(rows.Select(r => r.Name).ToList(), criteria, submitted.Select(r => r.Outcome).ToList(), submitted.Select(r => r.OverallFeedback).ToList(),
            submitted.Select(r => r.Outcome).Distinct().Count() > 1, ReviewScoring.Conflict(definition.Rubric, submitted));
    }

    public static string? LevelName(Rubric rubric, int? level) => level is { } l && l >= 0 && l < rubric.Levels.Count ? rubric.Levels[l].Name : null;

    public static string Describe(ReviewOutcome? outcome) => outcome switch
    {
        ReviewOutcome.Pass => "Meets the standard",
        ReviewOutcome.NotYet => "Not yet",
        _ => "No outcome",
    };
}
