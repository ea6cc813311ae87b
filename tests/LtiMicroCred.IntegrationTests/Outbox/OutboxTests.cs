using System.Net;
using Hangfire;
using LtiMicroCred.Audit;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Outbox;

/// <summary>The outbox on the real database and the real Hangfire server: same transaction, once, retries, dead letters, claims.</summary>
public abstract class OutboxTests<THost>(THost host) where THost : OutboxHost
{
    [Fact]
    public async Task Enqueue_SavesWithTheChange_ARolledBackSaveLeavesNoRowAndQueuesNothing_ACommittedOneIsSentOnce()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var district = await TestDistrict.CreateAsync(host);
        var subject = Guid.NewGuid();

        var rolledBack = await InScopeAsync(async (db, outbox, audit) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            audit.RecordSystem(district.TenantId, "attempt.awarded", "attempt", subject);
            var message = outbox.Enqueue(district.TenantId, RecordingOutboxHandler.TestKind, new { attemptId = subject });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            return message.Id;
        });
        var inTransaction = await InScopeAsync(async (db, outbox, audit) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            audit.RecordSystem(district.TenantId, "attempt.awarded", "attempt", subject);
            var message = outbox.Enqueue(district.TenantId, RecordingOutboxHandler.TestKind, new { attemptId = subject });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return message.Id;
        });
        var plain = await InScopeAsync(async (db, outbox, _) =>
        {
            var message = outbox.Enqueue(district.TenantId, RecordingOutboxHandler.TestKind, new { attemptId = subject });
            await db.SaveChangesAsync();
            return message.Id;
        });

        await host.Handler.DeliveredAsync(inTransaction);
        await host.Handler.DeliveredAsync(plain);
        Assert.False(await host.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Id == rolledBack)));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == subject)));
        Assert.DoesNotContain(QueuedMessageIds(), id => id == rolledBack);
        Assert.Equal(0, host.Handler.CountFor(rolledBack));

        var done = await WaitDoneAsync(plain);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.ClaimedBy);
        Assert.Contains(subject.ToString(), done.Payload, StringComparison.Ordinal);
        await host.SendAsync(plain);
        Assert.Equal(1, host.Handler.CountFor(plain));
        Assert.Equal(1, host.Handler.CountFor(inTransaction));
    }

    [Fact]
    public async Task AFailedSend_IsRecordedAndRethrownForHangfire_ThenSentOnceWhenDue()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var district = await TestDistrict.CreateAsync(host);
        var message = await host.LostMessageAsync(district.TenantId, m => host.Handler.FailTimes(m.Id, 1));
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendAsync(message.Id));
            Assert.Contains("503", failure.Message, StringComparison.Ordinal);
            var failed = await host.MessageAsync(message.Id);
            Assert.Equal((OutboxStatus.Pending, 1, (string?)null, (DateTimeOffset?)null), (failed.Status, failed.Attempts, failed.ClaimedBy, failed.ClaimedUntil));
            Assert.Equal("The LMS answered 503: the grade service is unavailable.", failed.LastError);
            Assert.True(failed.DueAt > host.Clock.GetUtcNow());

            // Not due yet: a second run (Hangfire's early retry, the sweep on another node) leaves it alone.
            await host.SendAsync(message.Id);
            Assert.Equal(0, host.Handler.CountFor(message.Id));

            host.Clock.MoveTo(failed.DueAt.AddSeconds(1));
            await host.SendAsync(message.Id);
            var done = await host.MessageAsync(message.Id);
            Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
            Assert.NotNull(done.DoneAt);
            Assert.Equal(1, host.Handler.CountFor(message.Id));
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task AfterMaxAttempts_TheMessageIsADeadLetter_ShownWithTheLmsAnswer_AndSendAgainFromThePageSendsIt()
    {
        host.Clock.Offset = TimeSpan.Zero;
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.TenantId).SingleAsync());
        var message = await host.LostMessageAsync(tenantId, m => host.Handler.FailTimes(m.Id, 3));
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendAsync(message.Id));
            host.Clock.MoveTo((await host.MessageAsync(message.Id)).DueAt.AddSeconds(1));
            await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendAsync(message.Id));
            host.Clock.MoveTo((await host.MessageAsync(message.Id)).DueAt.AddSeconds(1));
            await host.SendAsync(message.Id);
            var dead = await host.MessageAsync(message.Id);
            Assert.Equal((OutboxStatus.Dead, 3), (dead.Status, dead.Attempts));
            host.Clock.MoveTo(dead.DueAt.AddSeconds(1));
            await host.SendAsync(message.Id);
            Assert.Equal(0, host.Handler.CountFor(message.Id));
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/outbox")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync("/app/district/outbox")).StatusCode);
        var page = WebUtility.HtmlDecode(dev.LastPage);
        Assert.Contains("The LMS answered 503: the grade service is unavailable.", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{message.Id}\"", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("/app/district/outbox", await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await dev.GetAsync("/app/district/outbox");

        await dev.FollowAsync(await dev.PostAsync("/app/district/outbox?handler=Retry", new Dictionary<string, string> { ["messageId"] = message.Id.ToString() }));
        Assert.Contains("The message is queued to be sent again.", dev.LastPage, StringComparison.Ordinal);
        await host.Handler.DeliveredAsync(message.Id);
        var done = await WaitDoneAsync(message.Id);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(1, host.Handler.CountFor(message.Id));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == message.Id && e.Action == "outbox.retried" && e.TenantId == tenantId)));

        // Sent now: a second retry is refused kindly, and another district's admin cannot even see it.
        await dev.GetAsync("/app/district/outbox");
        Assert.DoesNotContain($"value=\"{message.Id}\"", dev.LastPage, StringComparison.Ordinal);
        var other = await TestDistrict.CreateAsync(host);
        var stranger = await other.ActorAsync(other.Admin);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<RetryOutboxMessage, int>(async r => { await r.HandleAsync(stranger, message.Id, CancellationToken.None); return 0; }));
        var overview = await host.WithServiceAsync<OutboxQueries, OutboxOverview>(q => q.OverviewAsync(stranger, 1, CancellationToken.None));
        Assert.DoesNotContain(overview.DeadLetters, d => d.Id == message.Id);
    }

    [Fact]
    public async Task TwoWorkersClaimingTheSameMessageAtOnce_OnlyOneSends()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var district = await TestDistrict.CreateAsync(host);
        var message = await host.LostMessageAsync(district.TenantId);
        var (entered, release) = host.Handler.Hold(message.Id);

        var first = Task.Run(() => host.SendAsync(message.Id));
        var second = Task.Run(() => host.SendAsync(message.Id));
        await entered.WaitAsync(TimeSpan.FromSeconds(60));
        // The worker without the claim returns while the other is still sending; were both let through, neither returns.
        await Task.WhenAny(first, second).WaitAsync(TimeSpan.FromSeconds(60));
        release.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, host.Handler.CountFor(message.Id));
        var done = await host.MessageAsync(message.Id);
        Assert.Equal((OutboxStatus.Done, 1), (done.Status, done.Attempts));
    }

    private async Task<T> InScopeAsync<T>(Func<AppDbContext, LtiMicroCred.Outbox.Outbox, AuditLog, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return await action(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<LtiMicroCred.Outbox.Outbox>(), services.GetRequiredService<AuditLog>());
    }

    /// <summary>The message ids of every send job Hangfire holds: queued, running, scheduled or finished.</summary>
    private List<Guid> QueuedMessageIds()
    {
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var jobs = monitoring.EnqueuedJobs("default", 0, 10_000).Select(j => j.Value.Job)
            .Concat(monitoring.ProcessingJobs(0, 10_000).Select(j => j.Value.Job))
            .Concat(monitoring.ScheduledJobs(0, 10_000).Select(j => j.Value.Job))
            .Concat(monitoring.SucceededJobs(0, 10_000).Select(j => j.Value.Job))
            .Concat(monitoring.FailedJobs(0, 10_000).Select(j => j.Value.Job));
        return jobs.Where(j => j is not null && j.Type == typeof(SendOutboxMessageJob)).Select(j => (Guid)j.Args[0]).ToList();
    }

    /// <summary>The job marks the row done just after the handler returns: wait for that write.</summary>
    private async Task<OutboxMessage> WaitDoneAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await host.MessageAsync(id);
            if (message.Status == OutboxStatus.Done || DateTime.UtcNow > deadline)
            {
                Assert.Equal(OutboxStatus.Done, message.Status);
                return message;
            }

            await Task.Yield();
        }
    }
}

public sealed class OutboxTests_Sqlite(SqliteOutboxHost host) : OutboxTests<SqliteOutboxHost>(host), IClassFixture<SqliteOutboxHost>;

public sealed class OutboxTests_PostgreSql(PostgresOutboxHost host) : OutboxTests<PostgresOutboxHost>(host), IClassFixture<PostgresOutboxHost>;

/// <summary>The minutely sweep, registered as the host registers it, on the real Hangfire server.</summary>
public abstract class OutboxSweepTests<THost>(THost host) where THost : OutboxHost
{
    [Fact]
    public async Task TheSweep_SendsAPendingMessageWhoseJobWasLost_AndOneWhoseWorkerCrashedOnceItsLeaseRunsOut()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var district = await TestDistrict.CreateAsync(host);
        var lost = await host.LostMessageAsync(district.TenantId);
        var crashed = await host.LostMessageAsync(district.TenantId, m => (m.ClaimedBy, m.ClaimedUntil) = ("gone-node/worker", m.CreatedAt.AddMinutes(5)));
        try
        {
            host.Services.GetRequiredService<IRecurringJobManager>().Trigger(OutboxSweepJob.RecurringJobId);
            await host.Handler.DeliveredAsync(lost.Id);
            Assert.Equal(0, host.Handler.CountFor(crashed.Id));
            Assert.Equal(OutboxStatus.Pending, (await host.MessageAsync(crashed.Id)).Status);

            host.Clock.MoveTo(crashed.ClaimedUntil!.Value.AddSeconds(1));
            Assert.True(await host.WithServiceAsync<OutboxSweepJob, int>(sweep => sweep.RunAsync(CancellationToken.None)) >= 1);
            await host.Handler.DeliveredAsync(crashed.Id);
            Assert.Equal(1, host.Handler.CountFor(lost.Id));
            Assert.Equal(1, host.Handler.CountFor(crashed.Id));
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }
}

public sealed class OutboxSweepTests_Sqlite(SqliteOutboxSweepHost host) : OutboxSweepTests<SqliteOutboxSweepHost>(host), IClassFixture<SqliteOutboxSweepHost>;

public sealed class OutboxSweepTests_PostgreSql(PostgresOutboxSweepHost host) : OutboxSweepTests<PostgresOutboxSweepHost>(host), IClassFixture<PostgresOutboxSweepHost>;
