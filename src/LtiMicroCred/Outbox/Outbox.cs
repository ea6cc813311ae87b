using System.Runtime.CompilerServices;
using System.Text.Json;
using Hangfire;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Outbox;

/// <summary>
/// Writes outbox messages into the current unit of work: a message is saved with the change that causes it or not at
/// all. Its send job is queued once the save commits (see <see cref="OutboxEnqueueInterceptor"/>).
/// </summary>
public sealed class Outbox(AppDbContext db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public OutboxMessage Enqueue<TPayload>(Guid tenantId, string kind, TPayload payload)
    {
        var now = time.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            Kind = kind,
            Payload = JsonSerializer.Serialize(payload, Json),
            EventId = Guid.NewGuid(),
            CreatedAt = now,
            DueAt = now,
            Status = OutboxStatus.Pending,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}

/// <summary>
/// Queues <see cref="SendOutboxMessageJob"/> for the outbox messages a save added, after the save commits: when it
/// has its own transaction, as soon as it returns; inside a transaction the caller began, when that commits (and never
/// if it rolls back). So the row always exists before its job runs. A queueing that is lost (a crash right after the
/// commit, an in-memory job store restarted) is made good by <see cref="OutboxSweepJob"/>, which finds the row.
/// One instance serves every context of the pool, so what each context has in flight is kept beside it.
/// </summary>
public sealed partial class OutboxEnqueueInterceptor(IServiceProvider services, ILogger<OutboxEnqueueInterceptor> logger)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, saving: true);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, saving: true);
        return Task.CompletedTask;
    }

    // A context from the pool may carry what an abandoned transaction left: a new transaction starts clean.
    System.Data.Common.DbTransaction IDbTransactionInterceptor.TransactionStarted(System.Data.Common.DbConnection connection, TransactionEndEventData eventData, System.Data.Common.DbTransaction result)
    {
        Forget(eventData.Context, saving: false);
        return result;
    }

    ValueTask<System.Data.Common.DbTransaction> IDbTransactionInterceptor.TransactionStartedAsync(System.Data.Common.DbConnection connection, TransactionEndEventData eventData, System.Data.Common.DbTransaction result, CancellationToken cancellationToken)
    {
        Forget(eventData.Context, saving: false);
        return ValueTask.FromResult(result);
    }

    void IDbTransactionInterceptor.TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, saving: false);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Forget(eventData.Context, saving: false);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var added = context.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id).ToList();
        if (added.Count > 0)
        {
            var state = pending.GetOrCreateValue(context);
            lock (state)
            {
                state.Saving = added;
            }
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var state))
        {
            return;
        }

        List<Guid> ready;
        lock (state)
        {
            state.AwaitingCommit.AddRange(state.Saving);
            state.Saving = [];
            if (context.Database.CurrentTransaction is not null)
            {
                return;
            }

            ready = [.. state.AwaitingCommit];
            state.AwaitingCommit.Clear();
        }

        Send(ready);
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var state))
        {
            return;
        }

        List<Guid> ready;
        lock (state)
        {
            ready = [.. state.AwaitingCommit];
            state.AwaitingCommit.Clear();
        }

        Send(ready);
    }

    private void Forget(DbContext? context, bool saving)
    {
        if (context is null || !pending.TryGetValue(context, out var state))
        {
            return;
        }

        lock (state)
        {
            if (saving)
            {
                state.Saving = [];
            }
            else
            {
                state.AwaitingCommit.Clear();
            }
        }
    }

    private void Send(List<Guid> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            var jobs = services.GetRequiredService<IBackgroundJobClient>();
            foreach (var id in ids)
            {
                jobs.Enqueue<SendOutboxMessageJob>(job => job.RunAsync(id, CancellationToken.None));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The change is committed and must not look failed to whoever made it: the sweep sends these rows.
            LogEnqueueFailed(logger, ids.Count, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue {Count} outbox message(s) ({Error}); the outbox sweep will send them.")]
    private static partial void LogEnqueueFailed(ILogger logger, int count, string error);

    private sealed class Pending
    {
        public List<Guid> Saving { get; set; } = [];

        public List<Guid> AwaitingCommit { get; } = [];
    }
}
