using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Attempts;

/// <summary>The teacher starts gathering evidence: after plan approval, or at once where the district asks for none.</summary>
public sealed class StartWork(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        if (attempt.Status != AttemptStatus.PlanApproved && await ProgrammeRules.RequirePlanApprovalAsync(db, actor.TenantId, cancellationToken))
        {
            throw new RuleViolationException("Your district asks for your plan to be approved before you gather evidence. Send your plan for approval first.");
        }

        lifecycle.Move(attempt, AttemptTrigger.StartWork, actor);
        await lifecycle.SaveAsync(cancellationToken);
    }
}

/// <summary>
/// The principal extends one teacher's due date past the offering's window, with a reason (Baltimore's teachers
/// needed this when windows were short).
/// </summary>
public sealed class GrantExtension(AppDbContext db, AttemptLifecycle lifecycle, AuditLog audit)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, DateTimeOffset dueAt, string reason, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            throw InvalidInputException.For("Reason", "Give the reason for the extension (up to 1000 characters).");
        }

        if (dueAt <= lifecycle.Now)
        {
            throw InvalidInputException.For("DueAt", "The new due date must be in the future.");
        }

        if (AttemptStateMachine.IsClosed(attempt.Status) || attempt.Status is AttemptStatus.Submitted or AttemptStatus.InReview)
        {
            throw new RuleViolationException($"This attempt is {AttemptStateMachine.Describe(attempt.Status).ToLowerInvariant()}, so its due date no longer matters.");
        }

        var window = await db.Offerings.AsNoTracking().Where(o => o.Id == attempt.OfferingId).Select(o => o.WindowClosesAt).SingleAsync(cancellationToken);
        if (window is { } closes && dueAt <= closes)
        {
            throw InvalidInputException.For("DueAt", "An extension must end after the submission window closes.");
        }

        attempt.ExtendedDueAt = dueAt;
        attempt.ExtensionReason = reason.Trim();
        lifecycle.Touch(attempt);
        audit.Record(actor, "extension.granted", "attempt", attempt.Id, $"Due {dueAt:MMMM d, yyyy}");
        await lifecycle.SaveAsync(cancellationToken);
    }
}

/// <summary>
/// "Submit for review": every criterion needs evidence (a reflection criterion: a reflection), a video its declared
/// length within the range, and the window must be open (or extended for this teacher). The refusal names
/// precisely what is missing.
/// </summary>
public sealed class SubmitForReview(AppDbContext db, AttemptLifecycle lifecycle, ReviewAllocator allocator, Audit.AuditLog audit)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        AttemptStateMachine.Next(attempt.Status, AttemptTrigger.SubmitForReview);
        var offering = await db.Offerings.AsNoTracking().SingleAsync(o => o.Id == attempt.OfferingId, cancellationToken);
        var now = lifecycle.Now;
        if (offering.WindowOpensAt is { } opens && now < opens)
        {
            throw new RuleViolationException($"Submissions open on {opens:MMMM d, yyyy}.");
        }

        var due = attempt.ExtendedDueAt ?? offering.WindowClosesAt;
        if (due is { } closes && now > closes)
        {
            throw new RuleViolationException($"The submission window closed on {closes:MMMM d, yyyy}. Ask your principal for an extension.");
        }

        var missing = await CheckEvidenceAsync(attempt, cancellationToken);
        if (missing.Count > 0)
        {
            throw new RuleViolationException("Not ready to submit: " + string.Join(" ", missing));
        }

        lifecycle.Move(attempt, AttemptTrigger.SubmitForReview, actor);
        attempt.SubmittedAt = now;
        attempt.ReadyForDecisionAt = now;
        if (await allocator.PolicyAsync(attempt.CredentialId, cancellationToken) is { RequiredReviews: > 0 } policy)
        {
            // Peer review first: the attempt is ready for the principal when the last required review comes in.
            lifecycle.Move(attempt, AttemptTrigger.BeginReview, actor, "Peer review");
            attempt.ReadyForDecisionAt = null;
            var allocated = await allocator.AllocateAsync(attempt, policy, policy.RequiredReviews, null, now, cancellationToken);
            foreach (var review in allocated)
            {
                audit.RecordSystem(attempt.TenantId, "review.allocated", "review", review.Id, "Allocated on submission");
            }

            if (allocated.Count < policy.RequiredReviews)
            {
                audit.RecordSystem(attempt.TenantId, "review.shortfall", "attempt", attempt.Id,
                    $"{policy.RequiredReviews - allocated.Count} of {policy.RequiredReviews} review(s) could not be allocated: not enough eligible reviewers.");
            }
        }

        await lifecycle.SaveAsync(cancellationToken);
    }

    /// <summary>One sentence per criterion that is not ready, in the credential's order.</summary>
    public async Task<IReadOnlyList<string>> CheckEvidenceAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        var evidence = (await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == attempt.Id).ToListAsync(cancellationToken)).Where(e => e.CountsAsEvidence).ToList();
        var reflections = await db.Reflections.AsNoTracking().Where(r => r.AttemptId == attempt.Id).Select(r => r.CriterionKey).ToListAsync(cancellationToken);
        var missing = new List<string>();
        foreach (var criterion in definition.Criteria)
        {
            var items = evidence.Where(e => e.CriterionKey == criterion.Key).ToList();
            if (criterion.Kind == EvidenceKind.Reflection)
            {
                if (items.Count == 0 && !reflections.Contains(criterion.Key))
                {
                    missing.Add($"\"{criterion.Title}\" needs your reflection.");
                }
            }
            else if (items.Count == 0)
            {
                missing.Add($"\"{criterion.Title}\" has no evidence yet.");
            }
            else if (criterion.Kind == EvidenceKind.Video && !items.Any(e => VideoLengthFits(criterion, e)))
            {
                missing.Add($"\"{criterion.Title}\" needs a video of {criterion.MinMinutes ?? 0} to {criterion.MaxMinutes?.ToString() ?? "any number of"} minutes.");
            }
        }

        return missing;
    }

    private static bool VideoLengthFits(SubmissionCriterion criterion, EvidenceItem item) =>
        item.Form != EvidenceForm.VideoLink
            ? item.Form == EvidenceForm.File
            : item.VideoMinutes is { } minutes && minutes >= (criterion.MinMinutes ?? 0) && minutes <= (criterion.MaxMinutes ?? int.MaxValue);
}

/// <summary>The teacher withdraws an attempt that has not been submitted; a reserved incentive goes back to the budget.</summary>
public sealed class WithdrawAttempt(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        lifecycle.Move(attempt, AttemptTrigger.Withdraw, actor);
        var reservation = await db.BudgetReservations.SingleOrDefaultAsync(r => r.AttemptId == attempt.Id && r.ReleasedAt == null, cancellationToken);
        if (reservation is not null)
        {
            reservation.ReleasedAt = lifecycle.Now;
        }

        await lifecycle.SaveAsync(cancellationToken);
    }
}

/// <summary>
/// After "not yet", the teacher resubmits: a new attempt on the same version carries the plan, the evidence so far
/// and the reservation over, and the old one is kept, closed, as history.
/// </summary>
public sealed class ResubmitAttempt(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task<Guid> HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var previous = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        lifecycle.Move(previous, AttemptTrigger.Resubmit, actor);
        var next = new Attempt
        {
            Id = Guid.NewGuid(),
            TenantId = previous.TenantId,
            TeacherId = previous.TeacherId,
            CredentialId = previous.CredentialId,
            CredentialVersionId = previous.CredentialVersionId,
            OfferingId = previous.OfferingId,
            SchoolId = previous.SchoolId,
            Status = AttemptStatus.InProgress,
            Number = previous.Number + 1,
            PreviousAttemptId = previous.Id,
            Plan = previous.Plan,
            PlanComment = previous.PlanComment,
            PlanDecidedBy = previous.PlanDecidedBy,
            PlanDecidedAt = previous.PlanDecidedAt,
            ReservedIncentive = previous.ReservedIncentive,
            BudgetYear = previous.BudgetYear,
            ExtendedDueAt = previous.ExtendedDueAt,
            ExtensionReason = previous.ExtensionReason,
            CreatedAt = lifecycle.Now,
            UpdatedAt = lifecycle.Now,
            Revision = Guid.NewGuid(),
        };
        db.Attempts.Add(next);
        db.AttemptEvents.Add(new AttemptEvent { AttemptId = next.Id, From = AttemptStatus.NotYet, To = AttemptStatus.InProgress, ActorId = actor.PersonId, At = lifecycle.Now, Note = $"Resubmission of attempt {previous.Number}" });
        foreach (var item in await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == previous.Id).ToListAsync(cancellationToken))
        {
            item.Id = Guid.NewGuid();
            item.AttemptId = next.Id;
            db.EvidenceItems.Add(item);
        }

        foreach (var reflection in await db.Reflections.AsNoTracking().Where(r => r.AttemptId == previous.Id).ToListAsync(cancellationToken))
        {
            reflection.AttemptId = next.Id;
            db.Reflections.Add(reflection);
        }

        var reservation = await db.BudgetReservations.SingleOrDefaultAsync(r => r.AttemptId == previous.Id && r.ReleasedAt == null, cancellationToken);
        if (reservation is not null)
        {
            reservation.AttemptId = next.Id;
        }

        await lifecycle.SaveAsync(cancellationToken);
        return next.Id;
    }
}
