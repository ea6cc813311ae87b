using System.Threading.Channels;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Outbox;

/// <summary>
/// Claims up to a batch of due messages in one statement, each row by one worker at a time across every node:
/// PostgreSQL and SQL Server lock the rows they pick and skip rows another worker has locked (FOR UPDATE SKIP LOCKED,
/// READPAST), so concurrent drains take disjoint batches without waiting on each other; SQLite (one writer, one node)
/// picks candidates and claims each by the same conditional UPDATE as the per-message job. Either way a row whose
/// earlier claim lapsed without an outcome comes back flagged <see cref="OutboxMessage.MayHaveBeenSent"/>.
/// </summary>
public sealed class OutboxBatchClaim(AppDbContext db, IOptions<OutboxOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string worker, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var pending = nameof(OutboxStatus.Pending);
        List<ClaimedRow> rows;
        switch (db.Database.ProviderName)
        {
            case AppDbContext.PostgreSqlProviderName:
                rows = await db.Database.SqlQuery<ClaimedRow>($"""
                    WITH picked AS (
                        SELECT "Id", "ClaimedBy" FROM "OutboxMessages"
                        WHERE "Status" = {pending} AND "DueAt" <= {now} AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                        ORDER BY "DueAt"
                        LIMIT {limit}
                        FOR UPDATE SKIP LOCKED)
                    UPDATE "OutboxMessages" AS o SET "ClaimedBy" = {worker}, "ClaimedUntil" = {leaseUntil}
                    FROM picked WHERE o."Id" = picked."Id"
                    RETURNING o."Id" AS "Id", (picked."ClaimedBy" IS NOT NULL) AS "MayHaveBeenSent"
                    """).ToListAsync(cancellationToken);
                break;
            case "Microsoft.EntityFrameworkCore.SqlServer":
                // Not run by the test suites here (no SQL Server on the build machine); the CI pipeline's SQL Server
                // run covers the per-message path only.
                rows = await db.Database.SqlQuery<ClaimedRow>($"""
                    UPDATE TOP ({limit}) o WITH (ROWLOCK, UPDLOCK, READPAST)
                    SET ClaimedBy = {worker}, ClaimedUntil = {leaseUntil}
                    OUTPUT inserted.Id AS Id, CAST(CASE WHEN deleted.ClaimedBy IS NULL THEN 0 ELSE 1 END AS bit) AS MayHaveBeenSent
                    FROM OutboxMessages AS o
                    WHERE o.Status = {pending} AND o.DueAt <= {now} AND (o.ClaimedUntil IS NULL OR o.ClaimedUntil < {now})
                    """).ToListAsync(cancellationToken);
                break;
            default:
                rows = await ClaimOneByOneAsync(worker, limit, now, leaseUntil, cancellationToken);
                break;
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var flagged = rows.Where(r => r.MayHaveBeenSent).Select(r => r.Id).ToHashSet();
        foreach (var message in messages)
        {
            message.MayHaveBeenSent = flagged.Contains(message.Id);
        }

        return messages;
    }

    private async Task<List<ClaimedRow>> ClaimOneByOneAsync(string worker, int limit, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var candidates = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.DueAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.DueAt)
            .Select(m => new { m.Id, m.ClaimedBy })
            .Take(limit)
            .ToListAsync(cancellationToken);
        var claimed = new List<ClaimedRow>();
        foreach (var candidate in candidates)
        {
            var previous = candidate.ClaimedBy;
            var changed = await db.OutboxMessages
                .Where(m => m.Id == candidate.Id && m.Status == OutboxStatus.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now) && m.ClaimedBy == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, worker).SetProperty(m => m.ClaimedUntil, leaseUntil), cancellationToken);
            if (changed == 1)
            {
                claimed.Add(new ClaimedRow { Id = candidate.Id, MayHaveBeenSent = previous is not null });
            }
        }

        return claimed;
    }

    public sealed class ClaimedRow
    {
        public Guid Id { get; set; }

        public bool MayHaveBeenSent { get; set; }
    }
}

/// <summary>
/// Drains the outbox on a node that runs jobs: <see cref="OutboxOptions.DrainWorkers"/> loops, each claiming batches
/// (<see cref="OutboxBatchClaim"/>) into a bounded queue that <see cref="OutboxOptions.DrainConcurrency"/> senders take
/// from, so the claim of the next batch overlaps the sends of the last and a slow send holds up one sender only. Each
/// send runs in a scope of its own through <see cref="OutboxDelivery"/> (same lease rules, backoff, dead letters and
/// per-destination limit as the per-message job).
/// </summary>
/// <remarks>
/// Why besides Hangfire's per-message job: each Hangfire job on PostgreSQL costs a fetch from its queue table and
/// several state writes, and a worker polls its queue once a second when idle; one statement claiming 64 rows costs
/// about what one job's fetch does. The per-message job stays for the message just committed (it is sent at once,
/// without waiting for a poll); both paths claim by the row, so they never send the same message at once.
/// </remarks>
public sealed partial class OutboxDrainService(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDrainService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = Math.Max(0, options.Value.DrainWorkers);
        return Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var o = options.Value;
        var batch = Math.Max(1, o.DrainBatchSize);
        var queue = Channel.CreateBounded<(OutboxMessage Message, string Worker, DateTimeOffset ClaimedAt)>(
            new BoundedChannelOptions(batch) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var senders = Enumerable.Range(0, Math.Max(1, o.DrainConcurrency)).Select(_ => Task.Run(() => SendAsync(queue.Reader, stopping), CancellationToken.None)).ToList();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var worker = OutboxDelivery.NewWorkerId();
                var claimedAt = time.GetUtcNow();
                IReadOnlyList<OutboxMessage> claimed;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    claimed = await scope.ServiceProvider.GetRequiredService<OutboxBatchClaim>().ClaimAsync(worker, batch, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is away (a restart, a failover): try again after a pause.
                    LogClaimFailed(logger, e.GetType().Name);
                    claimed = [];
                }

                if (claimed.Count == 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, o.DrainIdleMilliseconds)), time, stopping);
                    continue;
                }

                foreach (var message in claimed)
                {
                    await queue.Writer.WriteAsync((message, worker, claimedAt), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(senders);
        }
    }

    private async Task SendAsync(ChannelReader<(OutboxMessage Message, string Worker, DateTimeOffset ClaimedAt)> reader, CancellationToken stopping)
    {
        await foreach (var (message, worker, claimedAt) in reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // Once stopping, what is still queued is given back unsent (DeliverAsync sees the cancelled token first).
                await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverAsync(message, worker, claimedAt, stopping);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Recording the outcome failed (the database is away): the lease runs out and the message is claimed again.
                LogOutcomeLost(logger, message.Id, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox drain could not claim messages ({Error}); it will try again.")]
    private static partial void LogClaimFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of outbox message {MessageId} was not recorded ({Error}); it will be claimed again when its lease runs out.")]
    private static partial void LogOutcomeLost(ILogger logger, Guid messageId, string error);
}
