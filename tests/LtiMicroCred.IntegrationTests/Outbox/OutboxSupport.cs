using System.Collections.Concurrent;
using Hangfire;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Reviews;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Outbox;

/// <summary>
/// A handler of the test-only kind: records each delivery, fails a message as many times as it is told (with an LMS-like
/// answer), and can hold a message inside the send until released. Deliveries are awaited, never slept for.
/// </summary>
public sealed class RecordingOutboxHandler : IOutboxHandler
{
    public const string TestKind = "test.delivery";

    private readonly ConcurrentDictionary<Guid, int> failuresLeft = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> delivered = new();
    private readonly ConcurrentDictionary<Guid, (TaskCompletionSource Entered, TaskCompletionSource Release)> holds = new();

    public string Kind => TestKind;

    public ConcurrentQueue<Guid> Deliveries { get; } = new();

    public void FailTimes(Guid messageId, int times) => failuresLeft[messageId] = times;

    public (Task Entered, TaskCompletionSource Release) Hold(Guid messageId)
    {
        var hold = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        holds[messageId] = hold;
        return (hold.Item1.Task, hold.Item2);
    }

    public int CountFor(Guid messageId) => Deliveries.Count(d => d == messageId);

    public Task DeliveredAsync(Guid messageId) =>
        delivered.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(60));

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (holds.TryGetValue(message.Id, out var hold))
        {
            hold.Entered.TrySetResult();
            await hold.Release.Task.WaitAsync(cancellationToken);
        }

        if (failuresLeft.TryGetValue(message.Id, out var left) && left > 0)
        {
            failuresLeft[message.Id] = left - 1;
            throw new InvalidOperationException("The LMS answered 503: the grade service is unavailable.");
        }

        Deliveries.Enqueue(message.Id);
        delivered.GetOrAdd(message.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>The real host with a movable clock, the recording handler and three attempts before a dead letter.</summary>
public abstract class OutboxHost : ToolHost, IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    public RecordingOutboxHandler Handler { get; } = new();

    /// <summary>Off in the hosts whose tests drive the send job by hand, so the minutely sweep cannot race them.</summary>
    protected virtual bool KeepRecurringSweep => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" };

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddKeyedSingleton<IOutboxHandler>(RecordingOutboxHandler.TestKind, Handler);
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<IBackgroundJobClient>();
        if (!KeepRecurringSweep)
        {
            Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(OutboxSweepJob.RecurringJobId);
        }
    }

    /// <summary>Runs the send job as a Hangfire worker would, in a scope of its own.</summary>
    public Task SendAsync(Guid messageId) => WithServiceAsync<SendOutboxMessageJob, int>(async job =>
    {
        await job.RunAsync(messageId, CancellationToken.None);
        return 0;
    });

    public Task<OutboxMessage> MessageAsync(Guid id) => WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>
    /// A pending message committed by a process that never queued its job (it crashed right after the commit): written
    /// through a context without the outbox interceptor.
    /// </summary>
    public async Task<OutboxMessage> LostMessageAsync(Guid tenantId, Action<OutboxMessage>? change = null)
    {
        var now = Clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(), TenantId = tenantId, Kind = RecordingOutboxHandler.TestKind, Payload = "{\"attemptId\":\"" + Guid.NewGuid() + "\"}",
            EventId = Guid.NewGuid(), CreatedAt = now, DueAt = now, Status = OutboxStatus.Pending,
        };
        change?.Invoke(message);
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceExtensions.Configure(options, Services.GetRequiredService<DatabaseOptions>());
        await using var db = new AppDbContext(options.Options);
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }
}

public sealed class SqliteOutboxHost : OutboxHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresOutboxHost : OutboxHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

public sealed class SqliteOutboxSweepHost : OutboxHost
{
    protected override bool KeepRecurringSweep => true;

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresOutboxSweepHost : OutboxHost
{
    protected override bool KeepRecurringSweep => true;

    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}
