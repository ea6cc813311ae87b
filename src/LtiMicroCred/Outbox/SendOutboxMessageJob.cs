using Hangfire;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Outbox;

/// <summary>
/// Sends one outbox message: claims it, calls the handler of its kind, marks it done (see <see cref="OutboxDelivery"/>).
/// Safe to run twice (a message that is done, dead, not yet due or held by another worker is left alone) and on several
/// nodes at once. A failed send is recorded on the row and rethrown so Hangfire retries it with backoff; after
/// <see cref="OutboxOptions.MaxAttempts"/> sends the message is a dead letter and the job stops rethrowing.
/// This is the low-latency path: queued right after the commit that wrote the row. A backlog (thousands of rows, a
/// restart after a crash) is drained faster by <see cref="OutboxDrainService"/>, which claims rows in batches.
/// </summary>
/// <remarks>
/// The claim is one conditional UPDATE (pending, due, lease free, ClaimedBy as read) that sets a lease, rather than
/// SELECT ... FOR UPDATE SKIP LOCKED: it reads the same on SQLite, PostgreSQL and SQL Server through EF's
/// ExecuteUpdate, the database's own row lock on the UPDATE makes exactly one of two racing workers see one row changed,
/// and no transaction (nor connection) is held open while the handler waits on the LMS. A worker that crashes mid-send
/// loses the message only until its lease runs out; then the sweep or a drain loop takes it, flagged as possibly sent.
/// </remarks>
public sealed class SendOutboxMessageJob(OutboxDelivery delivery, TimeProvider time)
{
    /// <summary>
    /// Hangfire's own retries, at the same delays as the row's backoff (<see cref="RetryDelay"/>), so whichever comes
    /// first (this retry or the sweep) finds the row due. Past these, Hangfire forgets the job and the sweep carries
    /// on up to <see cref="OutboxOptions.MaxAttempts"/>: the row, not Hangfire's storage, is the record.
    /// </summary>
    public const int HangfireRetries = 3;

    [AutomaticRetry(Attempts = HangfireRetries, DelaysInSeconds = [15, 60, 240], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var worker = OutboxDelivery.NewWorkerId();
        var claimedAt = time.GetUtcNow();
        var message = await delivery.ClaimAsync(messageId, worker, cancellationToken);
        if (message is null)
        {
            return;
        }

        var (outcome, error) = await delivery.DeliverAsync(message, worker, claimedAt, cancellationToken);
        if (outcome == DeliveryOutcome.GivenBack)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
        else if (outcome == DeliveryOutcome.Failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error!);
        }
    }

    /// <summary>15 s, 1 min, 4 min, 16 min, ~1 h, then at most 6 h between sends.</summary>
    public static TimeSpan RetryDelay(int attempts) => TimeSpan.FromSeconds(Math.Min(15 * Math.Pow(4, Math.Max(0, attempts - 1)), 6 * 3600));
}

/// <summary>
/// Every minute: queues a send for each message that is due, pending and not held, which catches a queueing lost after
/// a commit, a job lost with an in-memory store, a worker that crashed mid-send, and failed sends whose Hangfire
/// retries ran out. Sweeps on several nodes may queue the same message twice; the send job's claim lets one through.
/// </summary>
public sealed partial class OutboxSweepJob(AppDbContext db, IBackgroundJobClient jobs, TimeProvider time, ILogger<OutboxSweepJob> logger)
{
    public const string RecurringJobId = "outbox-sweep";

    /// <summary>Per run: a long backlog drains over a few minutes rather than flooding the queue at once.</summary>
    public const int BatchSize = 500;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.DueAt)
            .Select(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            jobs.Enqueue<SendOutboxMessageJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        if (due.Count > 0)
        {
            LogSwept(logger, due.Count);
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox sweep queued {Count} message(s).")]
    private static partial void LogSwept(ILogger logger, int count);
}
