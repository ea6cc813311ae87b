using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Reviews;

/// <summary>What one run of <see cref="ReviewTimelinessJob"/> did.</summary>
public sealed record TimelinessRun(int Reminded, int Escalated, int Reallocated, int Allocated);

/// <summary>
/// Hourly: reminds reviewers whose review is due within the policy's reminder days, tells the principal (escalates)
/// when a review is overdue, and reallocates one overdue by the policy's days to another eligible reviewer (never the
/// same one). Also allocates reviews an attempt is still short of, when someone eligible has appeared since.
/// Each change is saved on its own under the review's (or attempt's) concurrency token, so a run can be repeated, and
/// two overlapping runs cannot both act on the same review: the second one's save fails and it moves on.
/// </summary>
public sealed partial class ReviewTimelinessJob(AppDbContext db, ReviewAllocator allocator, ReallocateReview reallocate, AuditLog audit, TimeProvider time,
    ILogger<ReviewTimelinessJob> logger)
{
    public const string RecurringJobId = "review-timeliness";

    public async Task<TimelinessRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Nothing before its reminder time can need anything; the horizon leaves margin for the longest reminder.
        var horizon = now.AddDays(45);
        var open = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join a in db.Attempts.AsNoTracking() on r.AttemptId equals a.Id
            join p in db.ReviewPolicies.AsNoTracking() on a.CredentialId equals p.CredentialId
            where (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft) && r.DueAt <= horizon && a.Status == AttemptStatus.InReview
            orderby r.DueAt
            select new { r.Id, r.DueAt, r.RemindedAt, r.EscalatedAt, p.ReminderSchoolDays, p.ReallocateAfterSchoolDays })
            .ToListAsync(cancellationToken);
        int reminded = 0, escalated = 0, reallocated = 0;
        foreach (var item in open)
        {
            if (now >= SchoolCalendar.AddSchoolDays(item.DueAt, item.ReallocateAfterSchoolDays) && now > item.DueAt)
            {
                reallocated += await TryAsync(item.Id, ReallocateOverdueAsync, cancellationToken);
            }
            else if (now > item.DueAt && item.EscalatedAt is null)
            {
                escalated += await TryAsync(item.Id, EscalateAsync, cancellationToken);
            }
            else if (item.RemindedAt is null && now >= SchoolCalendar.AddSchoolDays(item.DueAt, -item.ReminderSchoolDays))
            {
                reminded += await TryAsync(item.Id, RemindAsync, cancellationToken);
            }
        }

        var allocated = await FillShortfallsAsync(cancellationToken);
        var run = new TimelinessRun(reminded, escalated, reallocated, allocated);
        LogRun(logger, run.Reminded, run.Escalated, run.Reallocated, run.Allocated);
        return run;
    }

    private Task<bool> RemindAsync(ReviewAssignment review, Attempt attempt, CancellationToken cancellationToken)
    {
        review.RemindedAt = time.GetUtcNow();
        review.Revision = Guid.NewGuid();
        audit.RecordSystem(review.TenantId, "review.reminded", "review", review.Id, $"Reminded: due {review.DueAt:MMMM d, yyyy HH:mm} UTC");
        return Task.FromResult(true);
    }

    private Task<bool> EscalateAsync(ReviewAssignment review, Attempt attempt, CancellationToken cancellationToken)
    {
        review.EscalatedAt = time.GetUtcNow();
        review.RemindedAt ??= review.EscalatedAt;
        review.Revision = Guid.NewGuid();
        audit.RecordSystem(review.TenantId, "review.escalated", "review", review.Id, $"Overdue since {review.DueAt:MMMM d, yyyy HH:mm} UTC; the principal is told.");
        return Task.FromResult(true);
    }

    private async Task<bool> ReallocateOverdueAsync(ReviewAssignment review, Attempt attempt, CancellationToken cancellationToken)
    {
        var replacement = await reallocate.ReplaceAsync(attempt, review, null, null, cancellationToken);
        if (replacement is null)
        {
            // Nobody else is eligible: the principal is told (once), and the reviewer keeps it.
            if (review.EscalatedAt is null)
            {
                await EscalateAsync(review, attempt, cancellationToken);
            }

            return false;
        }

        review.EscalatedAt ??= time.GetUtcNow();
        audit.RecordSystem(review.TenantId, "review.reallocated", "review", review.Id,
            await reallocate.DetailAsync(review.ReviewerId, replacement.ReviewerId, "overdue", cancellationToken));
        return true;
    }

    /// <summary>Attempts in review with fewer active reviews than their policy requires get the missing ones, if anyone is eligible now.</summary>
    private async Task<int> FillShortfallsAsync(CancellationToken cancellationToken)
    {
        var shortOf = await (
            from a in db.Attempts.AsNoTracking()
            join p in db.ReviewPolicies.AsNoTracking() on a.CredentialId equals p.CredentialId
            where a.Status == AttemptStatus.InReview && p.RequiredReviews > 0
                && db.ReviewAssignments.Count(r => r.AttemptId == a.Id && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft || r.Status == ReviewStatus.Submitted)) < p.RequiredReviews
            select a.Id)
            .ToListAsync(cancellationToken);
        var allocated = 0;
        foreach (var attemptId in shortOf)
        {
            db.ChangeTracker.Clear();
            var attempt = await db.Attempts.SingleAsync(a => a.Id == attemptId, cancellationToken);
            var policy = (await allocator.PolicyAsync(attempt.CredentialId, cancellationToken))!;
            var added = await allocator.AllocateAsync(attempt, policy, await allocator.ShortfallAsync(attempt, policy, cancellationToken), null, time.GetUtcNow(), cancellationToken);
            if (added.Count == 0)
            {
                continue;
            }

            // Touching the attempt makes two overlapping runs conflict here instead of both allocating.
            attempt.Revision = Guid.NewGuid();
            foreach (var review in added)
            {
                audit.RecordSystem(attempt.TenantId, "review.allocated", "review", review.Id, "Allocated to fill a shortfall");
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                allocated += added.Count;
            }
            catch (DbUpdateConcurrencyException)
            {
                LogLostRace(logger, attemptId);
            }
        }

        db.ChangeTracker.Clear();
        return allocated;
    }

    private async Task<int> TryAsync(Guid reviewId, Func<ReviewAssignment, Attempt, CancellationToken, Task<bool>> act, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var review = await db.ReviewAssignments.SingleAsync(r => r.Id == reviewId, cancellationToken);
        if (review.Status is not (ReviewStatus.Allocated or ReviewStatus.Draft))
        {
            return 0;
        }

        var attempt = await db.Attempts.AsNoTracking().SingleAsync(a => a.Id == review.AttemptId, cancellationToken);
        var changed = await act(review, attempt, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return changed ? 1 : 0;
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLostRace(logger, reviewId);
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Review timeliness: {Reminded} reminded, {Escalated} escalated, {Reallocated} reallocated, {Allocated} allocated to fill shortfalls")]
    private static partial void LogRun(ILogger logger, int reminded, int escalated, int reallocated, int allocated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Review timeliness: {Id} changed by someone else at the same moment; left to them")]
    private static partial void LogLostRace(ILogger logger, Guid id);
}
