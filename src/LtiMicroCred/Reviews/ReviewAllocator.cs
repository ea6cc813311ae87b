using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reviews;

/// <summary>A person who may review an attempt, with the reviews they have open now.</summary>
public sealed record ReviewCandidate(Guid PersonId, string Name, int OpenLoad);

/// <summary>
/// Picks peer reviewers for an attempt: people of the tenant holding the teacher or peer reviewer role, never the
/// teacher, never a principal of the attempt's school (who decides it), never someone with a declared conflict with the teacher, never someone who already had a review of this
/// attempt, filtered by the credential's eligibility flags (all must hold) and, when the district asks, by calibration.
/// The least loaded (open = allocated or draft) come first; ties are broken by <see cref="IReviewRandomness"/>.
/// Choosing the least loaded every time keeps every eligible reviewer within one review of every other, so nobody
/// carries more than ceil(average) + 1 while a colleague is idle.
/// </summary>
public sealed class ReviewAllocator(AppDbContext db, IReviewRandomness randomness)
{
    public const ProductRoles ReviewerRoles = ProductRoles.Teacher | ProductRoles.PeerReviewer;

    public static readonly ReviewStatus[] Open = [ReviewStatus.Allocated, ReviewStatus.Draft];

    /// <summary>Eligible reviewers for the attempt under its credential's policy, least loaded first.</summary>
    public async Task<IReadOnlyList<ReviewCandidate>> CandidatesAsync(Attempt attempt, ReviewPolicy policy, CancellationToken cancellationToken)
    {
        var requireCalibrated = await db.ProgrammeSettings.AsNoTracking().Where(s => s.TenantId == attempt.TenantId)
            .Select(s => s.RequireCalibratedReviewers).SingleOrDefaultAsync(cancellationToken);
        var eligibility = policy.Eligibility;
        var people = db.People.AsNoTracking().Where(p => p.TenantId == attempt.TenantId && p.Id != attempt.TeacherId);
        people = eligibility.HasFlag(ReviewerEligibility.TrainedReviewers)
            ? people.Where(p => (p.AssignedRoles & ProductRoles.PeerReviewer) != ProductRoles.None
                || db.Enrollments.Any(e => e.PersonId == p.Id && (e.Roles & ProductRoles.PeerReviewer) != ProductRoles.None)
                || db.SchoolMemberships.Any(m => m.PersonId == p.Id && (m.Roles & ProductRoles.PeerReviewer) != ProductRoles.None))
            : people.Where(p => (p.AssignedRoles & ReviewerRoles) != ProductRoles.None
                || db.Enrollments.Any(e => e.PersonId == p.Id && (e.Roles & ReviewerRoles) != ProductRoles.None)
                || db.SchoolMemberships.Any(m => m.PersonId == p.Id && (m.Roles & ReviewerRoles) != ProductRoles.None));
        // The principals of the attempt's school decide it, so they are never also its peer reviewers.
        var leadSchool = attempt.SchoolId;
        people = people
            .Where(p => leadSchool == null || !db.SchoolMemberships.Any(m => m.PersonId == p.Id && m.SchoolId == leadSchool && (m.Roles & ProductRoles.Principal) != ProductRoles.None))
            .Where(p => !db.ReviewerConflicts.Any(c => c.TenantId == attempt.TenantId && c.ReviewerId == p.Id && c.TeacherId == attempt.TeacherId))
            .Where(p => !db.ReviewAssignments.Any(r => r.AttemptId == attempt.Id && r.ReviewerId == p.Id));
        if (eligibility.HasFlag(ReviewerEligibility.SameSchool))
        {
            var school = attempt.SchoolId;
            people = people.Where(p => school != null && db.SchoolMemberships.Any(m => m.PersonId == p.Id && m.SchoolId == school));
        }

        if (eligibility.HasFlag(ReviewerEligibility.SameCohort))
        {
            people = people.Where(p => db.Attempts.Any(a => a.TenantId == attempt.TenantId && a.TeacherId == p.Id && a.OfferingId == attempt.OfferingId));
        }

        if (eligibility.HasFlag(ReviewerEligibility.CredentialHolders))
        {
            people = people.Where(p => db.Attempts.Any(a => a.TenantId == attempt.TenantId && a.TeacherId == p.Id && a.CredentialId == attempt.CredentialId && a.Status == AttemptStatus.Awarded));
        }

        if (requireCalibrated)
        {
            people = people.Where(p => db.ReviewerCalibrations.Any(c => c.PersonId == p.Id && c.CredentialId == attempt.CredentialId && c.Calibrated));
        }

        var rows = await people
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, Load = db.ReviewAssignments.Count(r => r.ReviewerId == p.Id && Open.Contains(r.Status)) })
            .ToListAsync(cancellationToken);
        // One draw per candidate in a fixed order (by id), so a pinned seed gives the same choice every run.
        return rows.Select(r => (Candidate: new ReviewCandidate(r.Id, r.Name, r.Load), Tie: randomness.Next(int.MaxValue)))
            .OrderBy(c => c.Candidate.OpenLoad).ThenBy(c => c.Tie)
            .Select(c => c.Candidate)
            .ToList();
    }

    /// <summary>
    /// Adds up to <paramref name="count"/> new reviews of the attempt to the unit of work (the caller saves) and returns
    /// them; fewer when fewer people are eligible (the shortfall shows to the principal).
    /// </summary>
    public async Task<IReadOnlyList<ReviewAssignment>> AllocateAsync(Attempt attempt, ReviewPolicy policy, int count, Guid? allocatedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var chosen = (await CandidatesAsync(attempt, policy, cancellationToken)).Take(count).ToList();
        return chosen.Select(c => Add(attempt, policy, c.PersonId, allocatedBy, now)).ToList();
    }

    /// <summary>Adds one review of the attempt for a named reviewer (already checked eligible).</summary>
    public ReviewAssignment Add(Attempt attempt, ReviewPolicy policy, Guid reviewerId, Guid? allocatedBy, DateTimeOffset now)
    {
        var assignment = new ReviewAssignment
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            AttemptId = attempt.Id,
            ReviewerId = reviewerId,
            Status = ReviewStatus.Allocated,
            AllocatedAt = now,
            AllocatedBy = allocatedBy,
            DueAt = SchoolCalendar.AddSchoolDays(now, policy.DueSchoolDays),
            Revision = Guid.NewGuid(),
        };
        db.ReviewAssignments.Add(assignment);
        return assignment;
    }

    /// <summary>The reviews still needed: required minus those allocated, in draft or submitted.</summary>
    public async Task<int> ShortfallAsync(Attempt attempt, ReviewPolicy? policy, CancellationToken cancellationToken)
    {
        if (policy is not { RequiredReviews: > 0 } || attempt.Status != AttemptStatus.InReview)
        {
            return 0;
        }

        var active = await db.ReviewAssignments.CountAsync(r => r.AttemptId == attempt.Id
            && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft || r.Status == ReviewStatus.Submitted), cancellationToken);
        return Math.Max(0, policy.RequiredReviews - active);
    }

    public Task<ReviewPolicy?> PolicyAsync(Guid credentialId, CancellationToken cancellationToken) =>
        db.ReviewPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);
}

/// <summary>Turns a rubric and one review's levels into the outcome the rubric's passing rule gives.</summary>
public static class ReviewScoring
{
    public static ReviewOutcome Outcome(Rubric rubric, IReadOnlyList<CriterionScore> scores)
    {
        var levels = rubric.Criteria.Select(c => scores.FirstOrDefault(s => s.CriterionKey == c.Key)?.Level).ToList();
        if (levels.Any(l => l is null))
        {
            return ReviewOutcome.NotYet;
        }

        var everyCriterion = levels.All(l => l >= rubric.Passing.MinimumLevel);
        var total = levels.Sum(l => rubric.Levels[l!.Value].Points);
        return everyCriterion && (rubric.Passing.MinimumTotal is not { } minimum || total >= minimum) ? ReviewOutcome.Pass : ReviewOutcome.NotYet;
    }

    /// <summary>Reviews conflict when any criterion's levels are more than one apart, or their outcomes differ.</summary>
    public static bool Conflict(Rubric rubric, IReadOnlyList<ReviewAssignment> submitted)
    {
        if (submitted.Count < 2)
        {
            return false;
        }

        if (submitted.Select(r => r.Outcome).Distinct().Count() > 1)
        {
            return true;
        }

        return rubric.Criteria.Any(c => Spread(c.Key, submitted) > 1);
    }

    public static int Spread(string criterionKey, IEnumerable<ReviewAssignment> submitted)
    {
        var levels = submitted.Select(r => r.Scores.FirstOrDefault(s => s.CriterionKey == criterionKey)?.Level).OfType<int>().ToList();
        return levels.Count < 2 ? 0 : levels.Max() - levels.Min();
    }
}
