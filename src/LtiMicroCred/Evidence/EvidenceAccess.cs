using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Evidence;

/// <summary>
/// Who may see an attempt's evidence: the teacher, the principal of the attempt's school, district admins of the
/// tenant, the peer reviewers it is allocated to (allocated, drafting or submitted; not one it was taken from) and a
/// coach a check-in on the attempt was asked of. Everyone else, in this tenant or another, is told it does not exist.
/// </summary>
public sealed class EvidenceAccess(AppDbContext db)
{
    public static bool CanSee(Actor actor, Attempt attempt) =>
        attempt.TenantId == actor.TenantId && (attempt.TeacherId == actor.PersonId || actor.LeadsSchool(attempt.SchoolId));

    public async Task<Attempt> AttemptAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await db.Attempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId && a.TenantId == actor.TenantId, cancellationToken);
        return attempt is not null && (CanSee(actor, attempt) || await IsReviewerAsync(actor, attempt.Id, cancellationToken) || await IsCoachOfAsync(actor, attempt.Id, cancellationToken))
            ? attempt
            : throw new NotFoundException("There is no such attempt.");
    }

    /// <summary>A coach sees the attempts whose teacher asked them for a check-in (Coaching).</summary>
    private Task<bool> IsCoachOfAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken) =>
        db.CheckIns.AnyAsync(c => c.AttemptId == attemptId && c.CoachId == actor.PersonId, cancellationToken);

    /// <summary>Whether the actor has a live review of the attempt (a reallocated or cancelled one no longer counts).</summary>
    public Task<bool> IsReviewerAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken) =>
        db.ReviewAssignments.AnyAsync(r => r.AttemptId == attemptId && r.TenantId == actor.TenantId && r.ReviewerId == actor.PersonId
            && (r.Status == Reviews.ReviewStatus.Allocated || r.Status == Reviews.ReviewStatus.Draft || r.Status == Reviews.ReviewStatus.Submitted), cancellationToken);

    /// <summary>An evidence file for download, after the visibility rule.</summary>
    public async Task<(StoredFile File, Func<CancellationToken, Task<Stream>> Open)> FileAsync(Actor actor, Guid evidenceId, IFileStore store, CancellationToken cancellationToken)
    {
        var item = await db.EvidenceItems.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evidenceId && e.TenantId == actor.TenantId, cancellationToken);
        if (item?.FileId is not { } fileId)
        {
            throw new NotFoundException("There is no such file.");
        }

        await AttemptAsync(actor, item.AttemptId, cancellationToken);
        var file = await db.StoredFiles.AsNoTracking().SingleAsync(f => f.Id == fileId, cancellationToken);
        return (file, ct => store.OpenAsync(file.StorageKey, ct));
    }
}
