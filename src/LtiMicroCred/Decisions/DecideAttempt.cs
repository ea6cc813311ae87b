using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

/// <summary>What the decider entered: a level and feedback per rubric criterion, overall feedback, and the outcome.</summary>
public sealed record DecisionInput(DecisionOutcome Outcome, IReadOnlyDictionary<string, int?> Levels, IReadOnlyDictionary<string, string?> Feedback, string? OverallFeedback);

/// <summary>
/// The principal of the attempt's school (or a district admin) decides a submitted attempt: award, when the levels
/// meet the rubric's passing rule, or "not yet" with feedback for every criterion that falls short (competency-based:
/// never "fail"). Decisions are final: one per attempt; of two deciders at once exactly one wins.
/// </summary>
public sealed class DecideAttempt(AppDbContext db, AttemptLifecycle lifecycle, AuditLog audit, Ledger.LedgerPosting ledger, ResultPosting.GradePassback grades, Celebrations.AwardCelebrations celebrations, Badges.BadgeIssuance badges,
    Hangfire.IBackgroundJobClient jobs)
{
    public const int MaxFeedbackLength = 4000;

    public async Task<Guid> HandleAsync(Actor actor, Guid attemptId, DecisionInput input, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        if (await db.AttemptDecisions.AnyAsync(d => d.AttemptId == attempt.Id, cancellationToken))
        {
            throw new RuleViolationException("This attempt has already been decided, and decisions are final.");
        }

        var trigger = input.Outcome == DecisionOutcome.Awarded ? AttemptTrigger.Award : AttemptTrigger.DecideNotYet;
        AttemptStateMachine.Next(attempt.Status, trigger);
        if (attempt.ReadyForDecisionAt is null)
        {
            throw new RuleViolationException("The peer reviews of this attempt are not all in yet. It can be decided once they are.");
        }

        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        var rubric = definition.Rubric;
        var results = Validate(rubric, input);
        var incentive = input.Outcome == DecisionOutcome.Awarded
            ? attempt.ReservedIncentive ?? await db.Offerings.AsNoTracking().Where(o => o.Id == attempt.OfferingId).Select(o => o.Incentive).SingleAsync(cancellationToken)
            : null;
        var decision = new AttemptDecision
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            AttemptId = attempt.Id,
            CredentialVersionId = attempt.CredentialVersionId,
            Outcome = input.Outcome,
            Results = results,
            OverallFeedback = Clean(input.OverallFeedback),
            DecidedBy = actor.PersonId,
            DecidedAt = lifecycle.Now,
            Incentive = incentive,
        };
        db.AttemptDecisions.Add(decision);
        lifecycle.Move(attempt, trigger, actor, decision.OverallFeedback);
        // The award's in-service hours / PD points entry, saved with the decision or not at all ("not yet": none).
        await ledger.AddAwardAsync(actor, attempt, decision, cancellationToken);
        // The grade for each mapped line item, sent through the outbox once this save commits.
        await grades.EnqueueAsync(attempt, decision, cancellationToken);
        // On an award: the teacher's congratulation and the leaders' notices, with their emails.
        await celebrations.AddAsync(attempt, decision, cancellationToken);
        // The signed Open Badges credential (and any stack or pathway badge the award completes), saved with the decision.
        await badges.AddAwardAsync(actor, attempt, decision, cancellationToken);

        // Reviews not yet in are no longer needed. A reserved incentive stays reserved: it is paid on an award, and
        // after "not yet" the resubmission carries it over.
        var open = await db.ReviewAssignments.Where(r => r.AttemptId == attempt.Id && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft)).ToListAsync(cancellationToken);
        foreach (var review in open)
        {
            review.Status = ReviewStatus.Cancelled;
            review.Revision = Guid.NewGuid();
        }

        var total = results.Sum(r => rubric.Levels[r.Level].Points);
        audit.Record(actor, input.Outcome == DecisionOutcome.Awarded ? "attempt.awarded" : "attempt.not-yet", "attempt", attempt.Id,
            $"Attempt {attempt.Number}: {total} of {rubric.MaxTotal} points" + (open.Count > 0 ? $"; {open.Count} open review(s) cancelled" : string.Empty));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException)
        {
            // A concurrency failure (the attempt changed) or the unique decision index: someone decided first.
            throw new RuleViolationException("Someone else decided this attempt at the same moment. Decisions are final: reload the page to see theirs.");
        }

        if (input.Outcome == DecisionOutcome.Awarded)
        {
            Reports.ReportSummaryJob.Queue(jobs, attempt.TenantId);
        }

        return decision.Id;
    }

    /// <summary>Every rubric criterion needs a level; an award needs the passing rule met; "not yet" needs the feedback that helps.</summary>
    private static List<CriterionResult> Validate(Rubric rubric, DecisionInput input)
    {
        var errors = new Dictionary<string, string>();
        var results = new List<CriterionResult>();
        foreach (var criterion in rubric.Criteria)
        {
            var level = input.Levels.GetValueOrDefault(criterion.Key);
            var feedback = Clean(input.Feedback.GetValueOrDefault(criterion.Key));
            if (level is not { } l || l < 0 || l >= rubric.Levels.Count)
            {
                errors[$"level-{criterion.Key}"] = $"Choose a level for \"{criterion.Title}\".";
                continue;
            }

            if (feedback is { Length: > MaxFeedbackLength })
            {
                errors[$"feedback-{criterion.Key}"] = $"Keep the feedback on \"{criterion.Title}\" under {MaxFeedbackLength} characters.";
            }
            else if (input.Outcome == DecisionOutcome.NotYet && l < rubric.Passing.MinimumLevel && feedback is null)
            {
                errors[$"feedback-{criterion.Key}"] = $"\"{criterion.Title}\" is below {rubric.Levels[rubric.Passing.MinimumLevel].Name}: say what the teacher should improve.";
            }

            results.Add(new CriterionResult(criterion.Key, l, feedback));
        }

        var overall = Clean(input.OverallFeedback);
        if (overall is { Length: > MaxFeedbackLength })
        {
            errors["overall"] = $"Keep the overall feedback under {MaxFeedbackLength} characters.";
        }

        if (errors.Count == 0)
        {
            var meets = Passes(rubric, results.Select(r => r.Level).ToList());
            if (input.Outcome == DecisionOutcome.Awarded && !meets)
            {
                errors["outcome"] = rubric.Passing.MinimumTotal is { } minimum
                    ? $"These levels do not meet the rubric: every criterion needs at least {rubric.Levels[rubric.Passing.MinimumLevel].Name} and {minimum} points in all. Choose \"not yet\" with feedback, or change the levels."
                    : $"These levels do not meet the rubric: every criterion needs at least {rubric.Levels[rubric.Passing.MinimumLevel].Name}. Choose \"not yet\" with feedback, or change the levels.";
            }
            else if (input.Outcome == DecisionOutcome.NotYet && overall is null && results.All(r => r.Level >= rubric.Passing.MinimumLevel))
            {
                errors["overall"] = "Every criterion meets its level: say in the overall feedback why this is \"not yet\".";
            }
        }

        return errors.Count > 0 ? throw new InvalidInputException(errors) : results;
    }

    /// <summary>The rubric's passing rule: every criterion at or above the minimum level, and the minimum total when set.</summary>
    public static bool Passes(Rubric rubric, IReadOnlyList<int> levels) =>
        levels.Count == rubric.Criteria.Count
        && levels.All(l => l >= rubric.Passing.MinimumLevel)
        && (rubric.Passing.MinimumTotal is not { } minimum || levels.Sum(l => rubric.Levels[l].Points) >= minimum);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
