using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Outbox;

/// <summary>What became of one claimed message.</summary>
public enum DeliveryOutcome
{
    Done,

    /// <summary>Failed; pending again with its backoff.</summary>
    Failed,

    /// <summary>Failed for the last allowed time: a dead letter.</summary>
    Dead,

    /// <summary>Not finished (shutting down, or its turn never came before the send timeout): given back, no attempt counted.</summary>
    GivenBack,
}

/// <summary>
/// Sends one message its worker has claimed and writes the outcome, by the lease rules: only the lease holder writes
/// (a late outcome of a worker whose lease ran out is dropped). Used by the per-message job and by the drain loops, in a
/// scope of its own per message (a handler uses the scope's DbContext).
/// </summary>
/// <remarks>
/// The whole send, the wait for a free slot to its destination included, is cut off at
/// <see cref="OutboxOptions.SendTimeoutSeconds"/> after the claim, which is shorter than the lease: the lease holder
/// always writes its outcome before another worker may take the message. A message given back after its send began
/// keeps its ClaimedBy (with ClaimedUntil cleared), which the next claim reads as "may have been sent".
/// </remarks>
public sealed partial class OutboxDelivery(
    AppDbContext db,
    IServiceProvider services,
    OutboxDestinationGate gate,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDelivery> logger)
{
    private const int MaxErrorLength = 500;

    /// <summary>A worker id for ClaimedBy: the machine and a fresh id, at most 100 characters.</summary>
    public static string NewWorkerId()
    {
        var worker = $"{Environment.MachineName}/{Guid.NewGuid():N}";
        return worker.Length > 100 ? worker[^100..] : worker;
    }

    /// <summary>
    /// Claims one message if it is pending, due and not held: one conditional UPDATE that also requires the ClaimedBy
    /// read just before, so of two racing workers exactly one sees a row changed, and the winner knows whether an
    /// earlier claim ended without an outcome. Null when it is not to be sent now.
    /// </summary>
    public async Task<OutboxMessage?> ClaimAsync(Guid messageId, string worker, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Id == messageId && m.Status == OutboxStatus.Pending && m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .Select(m => new { m.ClaimedBy })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var previous = row.ClaimedBy;
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == messageId && m.Status == OutboxStatus.Pending && m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now) && m.ClaimedBy == previous)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, worker).SetProperty(m => m.ClaimedUntil, leaseUntil), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == messageId, cancellationToken);
        message.MayHaveBeenSent = previous is not null;
        return message;
    }

    /// <summary>
    /// Sends a message claimed by <paramref name="worker"/> at <paramref name="claimedAt"/> and records the outcome.
    /// The exception of a failed send is returned (for the job to rethrow to Hangfire), never thrown.
    /// </summary>
    public async Task<(DeliveryOutcome Outcome, Exception? Error)> DeliverAsync(
        OutboxMessage message, string worker, DateTimeOffset claimedAt, CancellationToken stopping)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds) - (time.GetUtcNow() - claimedAt);
        using var timer = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        var started = false;
        try
        {
            // Only this kind's handler is built, inside the try: a handler that cannot be built is a failed send, counted
            // and shown on the outbox page, rather than a delivery that never records its outcome.
            var handler = services.GetKeyedService<IOutboxHandler>(message.Kind)
                ?? throw new InvalidOperationException($"No handler sends outbox messages of kind '{message.Kind}'.");
            using (await gate.EnterAsync($"{message.Kind}/{message.TenantId:N}", linked.Token))
            {
                started = true;
                await handler.SendAsync(message, linked.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || (!started && timer.IsCancellationRequested))
        {
            // Shutting down, or its turn never came: not the receiver's failure, so no attempt is counted. A send that
            // began may have arrived: ClaimedBy stays as the mark for the next claim, the lease is released.
            await Mine(message.Id, worker).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ClaimedBy, started ? worker : null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            return (DeliveryOutcome.GivenBack, null);
        }
        catch (Exception e)
        {
            var error = e is OperationCanceledException && timer.IsCancellationRequested
                ? new TimeoutException($"The send took longer than {options.Value.SendTimeoutSeconds} s (Outbox:SendTimeoutSeconds).", e)
                : e;
            var attempts = message.Attempts + 1;
            var dead = attempts >= Math.Max(1, options.Value.MaxAttempts);
            var text = ShortError(error);
            var dueAt = time.GetUtcNow() + SendOutboxMessageJob.RetryDelay(attempts);
            var status = dead ? OutboxStatus.Dead : OutboxStatus.Pending;
            await Mine(message.Id, worker).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, text)
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.DueAt, dueAt)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            if (dead)
            {
                LogDeadLetter(logger, message.Id, message.Kind, attempts);
                return (DeliveryOutcome.Dead, error);
            }

            LogSendFailed(logger, message.Id, message.Kind, attempts, error.GetType().Name);
            return (DeliveryOutcome.Failed, error);
        }

        var doneAt = time.GetUtcNow();
        await Mine(message.Id, worker).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Done)
            .SetProperty(m => m.DoneAt, doneAt)
            .SetProperty(m => m.Attempts, message.Attempts + 1)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        return (DeliveryOutcome.Done, null);
    }

    // Only the worker holding the lease writes the outcome: if its lease ran out and another worker took over, the
    // late outcome is dropped rather than overwriting the newer one.
    private IQueryable<OutboxMessage> Mine(Guid messageId, string worker) =>
        db.OutboxMessages.Where(m => m.Id == messageId && m.ClaimedBy == worker && m.ClaimedUntil != null);

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
/// At most <see cref="OutboxOptions.ConcurrencyPerDestination"/> sends in flight to one destination across every
/// worker of this process. Per node: another node keeps its own count (the LMS's own throttling answers, which the LTI
/// client heeds, bound the whole).
/// </summary>
public sealed class OutboxDestinationGate(IOptions<OutboxOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> slots = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string destination, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.Value.ConcurrencyPerDestination);
        var semaphore = slots.GetOrAdd(destination, _ => new SemaphoreSlim(limit, limit));
        await semaphore.WaitAsync(cancellationToken);
        return new Slot(semaphore);
    }

    private sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
