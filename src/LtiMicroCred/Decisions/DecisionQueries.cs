using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

/// <summary>One submitted peer review as the decider (or, after the decision, the teacher) sees it.</summary>
public sealed record SubmittedReview(string ReviewerLabel, IReadOnlyList<CriterionScore> Scores, string? OverallFeedback, ReviewOutcome? Outcome, DateTimeOffset? SubmittedAt)
{
    public int? LevelOf(string criterionKey) => Scores.FirstOrDefault(s => s.CriterionKey == criterionKey)?.Level;

    public string? FeedbackOn(string criterionKey) => Scores.FirstOrDefault(s => s.CriterionKey == criterionKey)?.Feedback;
}

/// <summary>One rubric criterion on the decision page: the reviews' levels side by side, whether they differ, the median.</summary>
public sealed record CriterionComparison(RubricCriterion Criterion, IReadOnlyList<int?> ReviewLevels, bool Differ, int? Median);

/// <summary>Everything the decision page shows.</summary>
public sealed record DecisionView(
    AttemptView Attempt,
    IReadOnlyList<SubmittedReview> Reviews,
    IReadOnlyList<CriterionComparison> Comparisons,
    AttemptDecision? Decision,
    string? DeciderName)
{
    public Rubric Rubric => Attempt.Definition.Rubric;

    public bool CanDecide => Decision is null
        && Attempt.Attempt.Status is AttemptStatus.Submitted or AttemptStatus.InReview
        && Attempt.Attempt.ReadyForDecisionAt is not null;
}

/// <summary>One round (attempt) of a credential, as the teacher's history shows it.</summary>
public sealed record AttemptRound(
    Guid AttemptId,
    int Number,
    AttemptStatus Status,
    DateTimeOffset? SubmittedAt,
    AttemptDecision? Decision,
    string? DeciderName,
    IReadOnlyList<string> EvidenceTitles,
    IReadOnlyList<SubmittedReview> Reviews);

/// <summary>What the attempt page shows about decisions: this round's decision, the earlier rounds, extension requests.</summary>
public sealed record AttemptOutcomeView(
    Attempt Attempt,
    Rubric Rubric,
    AttemptDecision? Decision,
    string? DeciderName,
    IReadOnlyList<SubmittedReview> Reviews,
    IReadOnlyList<AttemptRound> EarlierRounds,
    IReadOnlyList<ExtensionRequest> ExtensionRequests,
    bool IsTeacher,
    bool IsLeader)
{
    public bool CanRequestExtension => IsTeacher
        && !AttemptStateMachine.IsClosed(Attempt.Status)
        && Attempt.Status is not (AttemptStatus.Submitted or AttemptStatus.InReview)
        && ExtensionRequests.All(r => r.Status != ExtensionRequestStatus.Open);

    public bool CanDecide => IsLeader && Decision is null && Attempt.Status is AttemptStatus.Submitted or AttemptStatus.InReview;
}

/// <summary>The reads behind the decision page and the decision part of the attempt page, each under its rule.</summary>
public sealed class DecisionQueries(AppDbContext db, AttemptQueries attempts, AttemptLifecycle lifecycle, EvidenceAccess access)
{
    /// <summary>The decision page: only the principal of the attempt's school or a district admin.</summary>
    public async Task<DecisionView> ForDecisionAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        var view = await attempts.DetailAsync(actor, attemptId, cancellationToken);
        var reviews = await ReviewsAsync(view.Attempt, anonymous: false, cancellationToken);
        var comparisons = view.Definition.Rubric.Criteria.Select(c =>
        {
            var levels = reviews.Select(r => r.LevelOf(c.Key)).ToList();
            var given = levels.OfType<int>().Order().ToList();
            // The lower median: with two reviews a level apart, the decider starts from the more cautious one.
            int? median = given.Count == 0 ? null : given[(given.Count - 1) / 2];
            return new CriterionComparison(c, levels, given.Distinct().Count() > 1, median);
        }).ToList();
        var (decision, decider) = await DecisionAsync(attemptId, cancellationToken);
        return new DecisionView(view, reviews, comparisons, decision, decider);
    }

    /// <summary>The decision part of the attempt page, for whoever may see the attempt (the teacher, their principal, the district).</summary>
    public async Task<AttemptOutcomeView> OutcomeAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await access.AttemptAsync(actor, attemptId, cancellationToken);
        var rubric = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition.Rubric).SingleAsync(cancellationToken);
        var anonymous = await AnonymousAsync(attempt.CredentialId, cancellationToken);
        var (decision, decider) = await DecisionAsync(attempt.Id, cancellationToken);
        // Reviews reach the teacher with the decision, not before.
        var reviews = decision is null && !actor.LeadsSchool(attempt.SchoolId) ? [] : await ReviewsAsync(attempt, anonymous, cancellationToken);
        var rounds = new List<AttemptRound>();
        var previousId = attempt.PreviousAttemptId;
        while (previousId is { } id && rounds.Count < 50)
        {
            var previous = await db.Attempts.AsNoTracking().SingleAsync(a => a.Id == id && a.TenantId == actor.TenantId, cancellationToken);
            var (roundDecision, roundDecider) = await DecisionAsync(previous.Id, cancellationToken);
            var evidence = await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == previous.Id).OrderBy(e => e.AddedAt).Select(e => e.Title).ToListAsync(cancellationToken);
            rounds.Add(new AttemptRound(previous.Id, previous.Number, previous.Status, previous.SubmittedAt, roundDecision, roundDecider, evidence,
                await ReviewsAsync(previous, anonymous, cancellationToken)));
            previousId = previous.PreviousAttemptId;
        }

        var requests = await db.ExtensionRequests.AsNoTracking().Where(r => r.AttemptId == attempt.Id).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        return new AttemptOutcomeView(attempt, rubric, decision, decider, reviews, rounds, requests, attempt.TeacherId == actor.PersonId, actor.LeadsSchool(attempt.SchoolId));
    }

    private async Task<(AttemptDecision?, string?)> DecisionAsync(Guid attemptId, CancellationToken cancellationToken)
    {
        var row = await (
            from d in db.AttemptDecisions.AsNoTracking()
            join p in db.People.AsNoTracking() on d.DecidedBy equals p.Id
            where d.AttemptId == attemptId
            select new { Decision = d, p.Name }).SingleOrDefaultAsync(cancellationToken);
        return (row?.Decision, row?.Name);
    }

    private async Task<bool> AnonymousAsync(Guid credentialId, CancellationToken cancellationToken) =>
        await db.ReviewPolicies.AsNoTracking().Where(p => p.CredentialId == credentialId).Select(p => (bool?)p.Anonymous).SingleOrDefaultAsync(cancellationToken) ?? true;

    private async Task<IReadOnlyList<SubmittedReview>> ReviewsAsync(Attempt attempt, bool anonymous, CancellationToken cancellationToken)
    {
        var rows = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join p in db.People.AsNoTracking() on r.ReviewerId equals p.Id
            where r.AttemptId == attempt.Id && r.Status == ReviewStatus.Submitted
            orderby r.SubmittedAt
            select new { p.Name, r.Scores, r.OverallFeedback, r.Outcome, r.SubmittedAt })
            .ToListAsync(cancellationToken);
        return rows.Select((r, i) => new SubmittedReview(anonymous ? $"Reviewer {i + 1}" : r.Name, r.Scores, r.OverallFeedback, r.Outcome, r.SubmittedAt)).ToList();
    }
}
