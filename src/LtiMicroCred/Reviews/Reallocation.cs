using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reviews;

/// <summary>
/// Takes an open review from its reviewer and gives it to someone else: named (who must be eligible) or the least
/// loaded eligible colleague. The old review is kept, marked reallocated and pointing at its replacement.
/// </summary>
public sealed class ReallocateReview(AppDbContext db, ReviewAccess access, AttemptLifecycle lifecycle, ReviewAllocator allocator, AuditLog audit)
{
    /// <summary>The principal of the attempt's school or a district admin reallocates.</summary>
    public async Task<Guid> HandleAsync(Actor actor, Guid reviewId, Guid? toReviewerId, string? reason, CancellationToken cancellationToken)
    {
        var review = await access.AnyAsync(actor, reviewId, cancellationToken);
        var attempt = await lifecycle.LedAsync(actor, review.AttemptId, cancellationToken);
        ReviewRules.RequireOpen(review);
        if (reason is { Length: > 500 })
        {
            throw InvalidInputException.For("reason", "Keep the reason under 500 characters.");
        }

        var replacement = await ReplaceAsync(attempt, review, toReviewerId, actor.PersonId, cancellationToken)
            ?? throw new RuleViolationException("No other eligible reviewer is available for this attempt. Add reviewers, or change who is eligible on the district's review settings.");
        audit.Record(actor, "review.reallocated", "review", review.Id, await DetailAsync(review.ReviewerId, replacement.ReviewerId, reason, cancellationToken));
        await ReviewRules.SaveAsync(db, cancellationToken);
        return replacement.Id;
    }

    /// <summary>
    /// Marks the review reallocated and adds its replacement to the unit of work; null (nothing changed) when nobody
    /// eligible is left. Used by the principal, by a declared conflict and by the timeliness job.
    /// </summary>
    internal async Task<ReviewAssignment?> ReplaceAsync(Attempt attempt, ReviewAssignment review, Guid? toReviewerId, Guid? by, CancellationToken cancellationToken)
    {
        var policy = await allocator.PolicyAsync(attempt.CredentialId, cancellationToken) ?? new ReviewPolicy { CredentialId = attempt.CredentialId, TenantId = attempt.TenantId, RequiredReviews = 1 };
        var candidates = await allocator.CandidatesAsync(attempt, policy, cancellationToken);
        Guid? chosen = toReviewerId is { } named
            ? candidates.Any(c => c.PersonId == named) ? named : throw InvalidInputException.For("toReviewerId", "That person is not eligible to review this attempt (the teacher, a declared conflict, or someone who already had this review are not).")
            : candidates.Count > 0 ? candidates[0].PersonId : null;
        if (chosen is not { } reviewerId)
        {
            return null;
        }

        var now = lifecycle.Now;
        var replacement = allocator.Add(attempt, policy, reviewerId, by, now);
        review.Status = ReviewStatus.Reallocated;
        review.ReplacedById = replacement.Id;
        review.Revision = Guid.NewGuid();
        return replacement;
    }

    internal async Task<string> DetailAsync(Guid from, Guid to, string? reason, CancellationToken cancellationToken)
    {
        var names = await db.People.AsNoTracking().Where(p => p.Id == from || p.Id == to).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return $"Reallocated from {names.GetValueOrDefault(from)} to {names.GetValueOrDefault(to)}" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason.Trim());
    }
}

/// <summary>
/// Conflicts of interest. A reviewer declares one on a review allocated to them (it goes to someone else); a principal
/// of the teacher's school or a district admin records one between a reviewer and a teacher. Either way the reviewer
/// is never again allocated that teacher's reviews, and their open ones are reallocated.
/// </summary>
public sealed class DeclareConflict(AppDbContext db, ReviewAccess access, ReallocateReview reallocate, AuditLog audit, TimeProvider time)
{
    /// <summary>The reviewer declares a conflict on their review.</summary>
    public async Task HandleAsync(Actor actor, Guid reviewId, string? reason, CancellationToken cancellationToken)
    {
        var review = await access.OwnAsync(actor, reviewId, cancellationToken);
        ReviewRules.RequireOpen(review);
        var attempt = await db.Attempts.SingleAsync(a => a.Id == review.AttemptId, cancellationToken);
        await AddConflictAsync(actor, review.ReviewerId, attempt.TeacherId, reason, cancellationToken);
        await ReleaseOpenReviewsAsync(actor, review.ReviewerId, attempt.TeacherId, null, cancellationToken);
        await ReviewRules.SaveAsync(db, cancellationToken);
    }

    /// <summary>A principal of the teacher's school, or a district admin, records a conflict.</summary>
    public async Task RecordAsync(Actor actor, Guid reviewerId, Guid teacherId, string? reason, CancellationToken cancellationToken)
    {
        var people = await db.People.AsNoTracking().Where(p => (p.Id == reviewerId || p.Id == teacherId) && p.TenantId == actor.TenantId).Select(p => p.Id).ToListAsync(cancellationToken);
        if (!people.Contains(reviewerId) || !people.Contains(teacherId))
        {
            throw new NotFoundException("There is no such person in your district.");
        }

        if (reviewerId == teacherId)
        {
            throw InvalidInputException.For("reviewerId", "Choose a reviewer other than the teacher.");
        }

        if (!actor.IsDistrictAdmin)
        {
            var schools = await db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == teacherId).Select(m => m.SchoolId).ToListAsync(cancellationToken);
            if (!schools.Any(actor.PrincipalOf.Contains))
            {
                throw new ForbiddenException("Only a principal of the teacher's school or a district administrator can record a conflict of interest.");
            }
        }

        await AddConflictAsync(actor, reviewerId, teacherId, reason, cancellationToken);
        await ReleaseOpenReviewsAsync(actor, reviewerId, teacherId, actor.PersonId, cancellationToken);
        await ReviewRules.SaveAsync(db, cancellationToken);
    }

    private async Task AddConflictAsync(Actor actor, Guid reviewerId, Guid teacherId, string? reason, CancellationToken cancellationToken)
    {
        if (reason is { Length: > 1000 })
        {
            throw InvalidInputException.For("reason", "Keep the reason under 1000 characters.");
        }

        if (await db.ReviewerConflicts.AnyAsync(c => c.TenantId == actor.TenantId && c.ReviewerId == reviewerId && c.TeacherId == teacherId, cancellationToken))
        {
            return;
        }

        var conflict = new ReviewerConflict
        {
            Id = Guid.NewGuid(), TenantId = actor.TenantId, ReviewerId = reviewerId, TeacherId = teacherId,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), DeclaredBy = actor.PersonId, DeclaredAt = time.GetUtcNow(),
        };
        db.ReviewerConflicts.Add(conflict);
        // Saved first, so the candidates of the reallocation below leave this reviewer out.
        await ReviewRules.SaveAsync(db, cancellationToken);
        audit.Record(actor, "review.conflict-declared", "person", reviewerId, "A conflict of interest with a teacher was declared.");
    }

    private async Task ReleaseOpenReviewsAsync(Actor actor, Guid reviewerId, Guid teacherId, Guid? by, CancellationToken cancellationToken)
    {
        var open = await (
            from r in db.ReviewAssignments
            join a in db.Attempts on r.AttemptId equals a.Id
            where r.TenantId == actor.TenantId && r.ReviewerId == reviewerId && a.TeacherId == teacherId
                && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft)
            select new { Review = r, Attempt = a })
            .ToListAsync(cancellationToken);
        foreach (var (review, attempt) in open.Select(o => (o.Review, o.Attempt)))
        {
            var replacement = await reallocate.ReplaceAsync(attempt, review, null, by, cancellationToken);
            if (replacement is null)
            {
                // Nobody else is eligible: the review is dropped and the shortfall shows to the principal.
                review.Status = ReviewStatus.Cancelled;
                review.Revision = Guid.NewGuid();
                audit.Record(actor, "review.cancelled", "review", review.Id, "Conflict of interest; no other eligible reviewer.");
            }
            else
            {
                audit.Record(actor, "review.reallocated", "review", review.Id, await reallocate.DetailAsync(review.ReviewerId, replacement.ReviewerId, "conflict of interest", cancellationToken));
            }
        }
    }
}
