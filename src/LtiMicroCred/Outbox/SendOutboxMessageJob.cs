using Hangfire;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Outbox;

/// <summary>
/// Sends one outbox message: claims it, calls the handler of its kind, marks it done. Safe to run twice (a message
/// that is done, dead, not yet due or held by another worker is left alone) and on several nodes at once. A failed
/// send is recorded on the row and rethrown so Hangfire retries it with backoff; after
/// <see cref="OutboxOptions.MaxAttempts"/> sends the message is a dead letter and the job stops rethrowing.
/// </summary>
/// <remarks>
/// The claim is one conditional UPDATE (pending, due, lease free) that sets a lease, rather than SELECT ... FOR UPDATE
/// SKIP LOCKED: it reads the same on SQLite, PostgreSQL and SQL Server through EF's ExecuteUpdate, the database's own
/// row lock on the UPDATE makes exactly one of two racing workers see one row changed, and no transaction (nor
/// connection) is held open while the handler waits on the LMS. A worker that crashes mid-send loses the message only
/// until its lease runs out; then the sweep queues it again, and a receiver drops the repeat by its EventId.
/// </remarks>
public sealed partial class SendOutboxMessageJob(
    AppDbContext db,
    IEnumerable<IOutboxHandler> handlers,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<SendOutboxMessageJob> logger)
{
    /// <summary>
    /// Hangfire's own retries, at the same delays as the row's backoff (<see cref="RetryDelay"/>), so whichever comes
    /// first (this retry or the sweep) finds the row due. Past these, Hangfire forgets the job and the sweep carries
    /// on up to <see cref="OutboxOptions.MaxAttempts"/>: the row, not Hangfire's storage, is the record.
    /// </summary>
    public const int HangfireRetries = 3;

    private const int MaxErrorLength = 500;

    [AutomaticRetry(Attempts = HangfireRetries, DelaysInSeconds = [15, 60, 240], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var worker = $"{Environment.MachineName}/{Guid.NewGuid():N}";
        if (worker.Length > 100)
        {
            worker = worker[^100..];
        }

        var leaseUntil = now.AddSeconds(Math.Max(1, options.Value.LeaseSeconds));
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == messageId && m.Status == OutboxStatus.Pending && m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, worker).SetProperty(m => m.ClaimedUntil, leaseUntil), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == messageId, cancellationToken);
        try
        {
            var handler = handlers.FirstOrDefault(h => h.Kind == message.Kind)
                ?? throw new InvalidOperationException($"No handler sends outbox messages of kind '{message.Kind}'.");
            await handler.SendAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down is not the receiver's failure: give the message back without counting an attempt.
            await Mine(messageId, worker).ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            var attempts = message.Attempts + 1;
            var dead = attempts >= Math.Max(1, options.Value.MaxAttempts);
            var error = ShortError(e);
            var failedAt = time.GetUtcNow();
            var dueAt = failedAt + RetryDelay(attempts);
            var status = dead ? OutboxStatus.Dead : OutboxStatus.Pending;
            await Mine(messageId, worker).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.DueAt, dueAt)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            if (dead)
            {
                LogDeadLetter(logger, messageId, message.Kind, attempts);
                return;
            }

            LogSendFailed(logger, messageId, message.Kind, attempts, e.GetType().Name);
            throw;
        }

        var doneAt = time.GetUtcNow();
        await Mine(messageId, worker).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Done)
            .SetProperty(m => m.DoneAt, doneAt)
            .SetProperty(m => m.Attempts, message.Attempts + 1)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    /// <summary>15 s, 1 min, 4 min, 16 min, ~1 h, then at most 6 h between sends.</summary>
    public static TimeSpan RetryDelay(int attempts) => TimeSpan.FromSeconds(Math.Min(15 * Math.Pow(4, Math.Max(0, attempts - 1)), 6 * 3600));

    // Only the worker holding the lease writes the outcome: if its lease ran out and another worker took over, the
    // late outcome is dropped rather than overwriting the newer one.
    private IQueryable<OutboxMessage> Mine(Guid messageId, string worker) =>
        db.OutboxMessages.Where(m => m.Id == messageId && m.ClaimedBy == worker);

    private static string ShortError(Exception e)
    {
        var text = string.IsNullOrWhiteSpace(e.Message) ? e.GetType().Name : e.Message.ReplaceLineEndings(" ");
        return text.Length > MaxErrorLength ? text[..MaxErrorLength] : text;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({Kind}) was not sent on attempt {Attempts} ({Error}); it will be tried again.")]
    private static partial void LogSendFailed(ILogger logger, Guid messageId, string kind, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({Kind}) is a dead letter after {Attempts} attempts; a district admin can retry it.")]
    private static partial void LogDeadLetter(ILogger logger, Guid messageId, string kind, int attempts);
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
