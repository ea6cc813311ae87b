using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Badges;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

public sealed record PathwayCredentialProgress(Guid CredentialId, string Title, bool Prerequisite, bool Awarded);

public sealed record PathwayVoteView(string AdministratorName, PathwayVoteOutcome Outcome, string? Feedback, DateTimeOffset At);

public sealed record PathwayReviewSummary(Guid Id, PathwayReviewStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? ClosedAt, IReadOnlyList<PathwayVoteView> Votes);

/// <summary>A teacher's progress on a pathway and its final reviews.</summary>
public sealed record PathwayProgressView(Pathway Pathway, string TeacherName, IReadOnlyList<PathwayCredentialProgress> Credentials, IReadOnlyList<PathwayReviewSummary> Reviews)
{
    public bool PrerequisitesHeld => Credentials.Where(c => c.Prerequisite).All(c => c.Awarded);

    public int AwardedCount => Credentials.Count(c => !c.Prerequisite && c.Awarded);

    public bool Eligible => PrerequisitesHeld && AwardedCount >= Pathway.MinimumCount;

    public bool HasFinalReview => Pathway.CommitteeSize > 0;

    public bool CanRequest => HasFinalReview && Eligible && Reviews.All(r => r.Status == PathwayReviewStatus.NotYet);
}

/// <summary>The committee's page: the teacher's progress, the votes so far, and whether this actor may vote.</summary>
public sealed record PathwayReviewView(PathwayReview Review, PathwayProgressView Progress, bool CanVote);

/// <summary>The teacher's pathway progress, read under the rule: the teacher themself.</summary>
public sealed class PathwayQueries(AppDbContext db, PathwayCommittee committee)
{
    public async Task<PathwayProgressView> MineAsync(Actor actor, string pathwayKey, CancellationToken cancellationToken)
    {
        var pathway = await db.Pathways.AsNoTracking().Include(p => p.Entries).SingleOrDefaultAsync(p => p.TenantId == actor.TenantId && p.Key == pathwayKey, cancellationToken)
            ?? throw new NotFoundException("There is no such pathway.");
        return await ProgressAsync(db, pathway, actor.PersonId, cancellationToken);
    }

    public async Task<PathwayReviewView> ReviewAsync(Actor actor, Guid reviewId, CancellationToken cancellationToken)
    {
        var review = await db.PathwayReviews.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reviewId && r.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such pathway review.");
        var isTeacher = review.TeacherId == actor.PersonId;
        var onCommittee = await committee.MayVoteAsync(actor, review.TeacherId, cancellationToken);
        if (!isTeacher && !onCommittee)
        {
            throw new ForbiddenException("Only the principals of the teacher's school and district administrators sit on this committee.");
        }

        var pathway = await db.Pathways.AsNoTracking().Include(p => p.Entries).SingleAsync(p => p.Id == review.PathwayId, cancellationToken);
        var progress = await ProgressAsync(db, pathway, review.TeacherId, cancellationToken);
        var voted = await db.PathwayReviewVotes.AnyAsync(v => v.ReviewId == review.Id && v.AdministratorId == actor.PersonId, cancellationToken);
        return new PathwayReviewView(review, progress, onCommittee && !isTeacher && !voted && review.Status == PathwayReviewStatus.Open);
    }

    internal static async Task<PathwayProgressView> ProgressAsync(AppDbContext db, Pathway pathway, Guid teacherId, CancellationToken cancellationToken)
    {
        var ids = pathway.Entries.Select(e => e.CredentialId).ToList();
        var titles = await db.Credentials.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var awarded = await db.Attempts.AsNoTracking()
            .Where(a => a.TenantId == pathway.TenantId && a.TeacherId == teacherId && a.Status == AttemptStatus.Awarded && ids.Contains(a.CredentialId))
            .Select(a => a.CredentialId).Distinct().ToListAsync(cancellationToken);
        var credentials = pathway.Entries
            .OrderByDescending(e => e.Prerequisite).ThenBy(e => titles.GetValueOrDefault(e.CredentialId), StringComparer.Ordinal)
            .Select(e => new PathwayCredentialProgress(e.CredentialId, titles.GetValueOrDefault(e.CredentialId) ?? "", e.Prerequisite, awarded.Contains(e.CredentialId)))
            .ToList();
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == teacherId).Select(p => p.Name).SingleAsync(cancellationToken);
        var reviews = await db.PathwayReviews.AsNoTracking().Where(r => r.PathwayId == pathway.Id && r.TeacherId == teacherId).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        var reviewIds = reviews.Select(r => r.Id).ToList();
        var votes = await (
            from v in db.PathwayReviewVotes.AsNoTracking()
            join p in db.People.AsNoTracking() on v.AdministratorId equals p.Id
            where reviewIds.Contains(v.ReviewId)
            orderby v.At
            select new { v.ReviewId, p.Name, v.Outcome, v.Feedback, v.At }).ToListAsync(cancellationToken);
        return new PathwayProgressView(pathway, teacher, credentials, reviews.Select(r => new PathwayReviewSummary(r.Id, r.Status, r.RequestedAt, r.ClosedAt,
            votes.Where(v => v.ReviewId == r.Id).Select(v => new PathwayVoteView(v.Name, v.Outcome, v.Feedback, v.At)).ToList())).ToList());
    }
}

/// <summary>Who sits on a teacher's pathway committee: the principals of the teacher's schools and the district admins.</summary>
public sealed class PathwayCommittee(AppDbContext db)
{
    public async Task<bool> MayVoteAsync(Actor actor, Guid teacherId, CancellationToken cancellationToken)
    {
        if (actor.IsDistrictAdmin)
        {
            return true;
        }

        var led = actor.PrincipalOf.ToList();
        return led.Count > 0 && await db.SchoolMemberships.AnyAsync(m => m.PersonId == teacherId && led.Contains(m.SchoolId), cancellationToken);
    }
}

/// <summary>
/// The teacher asks for a pathway's final review once they hold its prerequisites and at least its minimum count of
/// credentials. One review at a time; after "not yet" they may ask again.
/// </summary>
public sealed class RequestPathwayReview(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<Guid> HandleAsync(Actor actor, string pathwayKey, CancellationToken cancellationToken)
    {
        var pathway = await db.Pathways.AsNoTracking().Include(p => p.Entries).SingleOrDefaultAsync(p => p.TenantId == actor.TenantId && p.Key == pathwayKey, cancellationToken)
            ?? throw new NotFoundException("There is no such pathway.");
        var progress = await PathwayQueries.ProgressAsync(db, pathway, actor.PersonId, cancellationToken);
        if (!progress.HasFinalReview)
        {
            throw new RuleViolationException("This pathway has no final review: it is complete when you hold its credentials.");
        }

        if (!progress.PrerequisitesHeld)
        {
            throw new RuleViolationException("Earn the pathway's prerequisite credentials first: " + string.Join(", ", progress.Credentials.Where(c => c.Prerequisite && !c.Awarded).Select(c => c.Title)) + ".");
        }

        if (progress.AwardedCount < pathway.MinimumCount)
        {
            throw new RuleViolationException($"You hold {progress.AwardedCount} of the {pathway.MinimumCount} credentials this pathway asks for before its final review.");
        }

        if (progress.Reviews.Any(r => r.Status != PathwayReviewStatus.NotYet))
        {
            throw new RuleViolationException("Your final review of this pathway is already requested.");
        }

        var review = new PathwayReview
        {
            Id = Guid.NewGuid(),
            TenantId = actor.TenantId,
            PathwayId = pathway.Id,
            TeacherId = actor.PersonId,
            RequestedAt = time.GetUtcNow(),
            Status = PathwayReviewStatus.Open,
            Revision = Guid.NewGuid(),
        };
        db.PathwayReviews.Add(review);
        audit.Record(actor, "pathway-review.requested", "pathway-review", review.Id, pathway.Title);
        await db.SaveChangesAsync(cancellationToken);
        return review.Id;
    }
}

/// <summary>
/// A committee member votes: award, or "not yet" with feedback. The review completes when the committee size of votes
/// agree on award (the pathway badge is issued in the same save); with that many votes in and any "not yet", it is
/// "not yet" (the teacher may ask again, and no badge is issued).
/// </summary>
public sealed class VotePathwayReview(AppDbContext db, PathwayCommittee committee, AuditLog audit, TimeProvider time, BadgeIssuance badges)
{
    public async Task<PathwayReviewStatus> HandleAsync(Actor actor, Guid reviewId, PathwayVoteOutcome outcome, string? feedback, CancellationToken cancellationToken)
    {
        var review = await db.PathwayReviews.SingleOrDefaultAsync(r => r.Id == reviewId && r.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such pathway review.");
        if (review.TeacherId == actor.PersonId || !await committee.MayVoteAsync(actor, review.TeacherId, cancellationToken))
        {
            throw new ForbiddenException("Only the principals of the teacher's school and district administrators sit on this committee.");
        }

        if (review.Status != PathwayReviewStatus.Open)
        {
            throw new RuleViolationException("This pathway review is already closed.");
        }

        feedback = string.IsNullOrWhiteSpace(feedback) ? null : feedback.Trim();
        if (outcome == PathwayVoteOutcome.NotYet && feedback is null)
        {
            throw InvalidInputException.For("Feedback", "Say what the teacher should strengthen before the pathway is awarded.");
        }

        if (feedback is { Length: > 4000 })
        {
            throw InvalidInputException.For("Feedback", "Keep the feedback under 4000 characters.");
        }

        var votes = await db.PathwayReviewVotes.Where(v => v.ReviewId == review.Id).Select(v => new { v.AdministratorId, v.Outcome }).ToListAsync(cancellationToken);
        if (votes.Any(v => v.AdministratorId == actor.PersonId))
        {
            throw new RuleViolationException("You have already voted on this pathway review.");
        }

        var size = await db.Pathways.Where(p => p.Id == review.PathwayId).Select(p => p.CommitteeSize).SingleAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.PathwayReviewVotes.Add(new PathwayReviewVote
        {
            Id = Guid.NewGuid(), TenantId = review.TenantId, ReviewId = review.Id, AdministratorId = actor.PersonId, Outcome = outcome, Feedback = feedback, At = now,
        });
        var outcomes = votes.Select(v => v.Outcome).Append(outcome).ToList();
        if (outcomes.Count >= size)
        {
            review.Status = outcomes.All(o => o == PathwayVoteOutcome.Award) ? PathwayReviewStatus.Completed : PathwayReviewStatus.NotYet;
            review.ClosedAt = now;
        }

        // Every vote changes the review row, so two votes that both read the same count cannot both be counted.
        review.Revision = Guid.NewGuid();
        audit.Record(actor, outcome == PathwayVoteOutcome.Award ? "pathway-review.voted-award" : "pathway-review.voted-not-yet", "pathway-review", review.Id,
            $"Vote {outcomes.Count} of {size}" + (review.Status == PathwayReviewStatus.Open ? string.Empty : review.Status == PathwayReviewStatus.Completed ? "; pathway awarded" : "; not yet"));
        // The approval and its pathway badge are saved together, or neither is.
        await badges.AddPathwayApprovalAsync(actor, review, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new RuleViolationException("Another committee member voted at the same moment. Reload the page and vote again if your vote is still needed.");
        }

        return review.Status;
    }
}
