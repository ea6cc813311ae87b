using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Hangfire;

namespace LtiMicroCred.Outbox;

public sealed record DeadLetterRow(Guid Id, string Kind, int Attempts, string? LastError, DateTimeOffset CreatedAt);

public sealed record OutboxOverview(int Pending, int Done, int Dead, IReadOnlyList<DeadLetterRow> DeadLetters, int Page, bool HasNext);

/// <summary>The district's outbox as its admins see it: counts by status and the dead letters, newest first, paged.</summary>
public sealed class OutboxQueries(AppDbContext db)
{
    public const int PageSize = 25;

    public async Task<OutboxOverview> OverviewAsync(Actor actor, int page, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        page = Math.Clamp(page, 1, 10_000);
        var mine = db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == actor.TenantId);
        var counts = await mine.GroupBy(m => m.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(OutboxStatus status) => counts.Where(c => c.Status == status).Sum(c => c.Count);
        var rows = await mine.Where(m => m.Status == OutboxStatus.Dead)
            .OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .Select(m => new DeadLetterRow(m.Id, m.Kind, m.Attempts, m.LastError, m.CreatedAt))
            .ToListAsync(cancellationToken);
        return new OutboxOverview(Count(OutboxStatus.Pending), Count(OutboxStatus.Done), Count(OutboxStatus.Dead), rows.Take(PageSize).ToList(), page, rows.Count > PageSize);
    }
}

/// <summary>
/// A district admin sends a dead letter again (after the LMS or the setting that refused it is fixed): it is pending
/// and due now with its attempts reset, and its send job is queued after the save. Audited.
/// </summary>
public sealed class RetryOutboxMessage(AppDbContext db, AuditLog audit, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, Guid messageId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That message is not in your district's outbox.");
        if (message.Status != OutboxStatus.Dead)
        {
            throw new RuleViolationException(message.Status == OutboxStatus.Done
                ? "That message has been sent already."
                : "That message is already waiting to be sent.");
        }

        (message.Status, message.Attempts, message.DueAt, message.ClaimedBy, message.ClaimedUntil) = (OutboxStatus.Pending, 0, time.GetUtcNow(), null, null);
        audit.Record(actor, "outbox.retried", "outbox-message", message.Id, $"{message.Kind}, last error: {message.LastError}");
        await db.SaveChangesAsync(cancellationToken);
        // If this queueing is lost, the sweep finds the pending row within a minute.
        jobs.Enqueue<SendOutboxMessageJob>(job => job.RunAsync(messageId, CancellationToken.None));
    }
}
