using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LtiMicroCred.IntegrationTests.Persistence;

/// <summary>The provider's own migrations build the schema, and the stores behave the same on every database.</summary>
public abstract class PersistenceTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Migrations_AreAllApplied_FromTheProvidersOwnAssembly()
    {
        var pending = await host.WithDbAsync(db => db.Database.GetPendingMigrationsAsync());
        Assert.Empty(pending);
        var applied = (await host.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync())).ToList();
        Assert.NotEmpty(applied);
        var assembly = await host.WithDbAsync(db => Task.FromResult(db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Assembly.GetName().Name));
        Assert.Equal("LtiMicroCred.Migrations." + host.Provider, assembly);
    }

    [Fact]
    public async Task LaunchState_CanBeTakenOnlyOnce_EvenWhenRacing()
    {
        var platformId = await host.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var now = DateTimeOffset.UtcNow;
        var state = "race-" + Guid.NewGuid().ToString("N");
        await host.WithServiceAsync<ILaunchStateStore, bool>(async s =>
        {
            await s.SaveAsync(new LaunchState(state, "n", platformId, "https://tool/launch", "hash", null, now, now.AddMinutes(5)), CancellationToken.None);
            return true;
        });

        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            host.WithServiceAsync<ILaunchStateStore, LaunchStateTake>(s => s.TakeAsync(state, "hash", DateTimeOffset.UtcNow, CancellationToken.None))));

        Assert.Single(takes, t => t.Outcome == LaunchStateTakeOutcome.Taken);
        Assert.All(takes.Where(t => t.Outcome != LaunchStateTakeOutcome.Taken), t => Assert.Equal(LaunchStateTakeOutcome.AlreadyUsed, t.Outcome));
        Assert.All(takes, t => Assert.Equal(state, t.State?.State));
    }

    [Fact]
    public async Task LaunchState_TakenInOneStep_ComesBackWhole_AndEachRefusalSaysWhy()
    {
        var platformId = await host.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var now = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var saved = new LaunchState("take-" + Guid.NewGuid().ToString("N"), "nonce-1", platformId, "https://tool/launch", "right", "lti.put_data", now, now.AddMinutes(10));
        var expiring = saved with { State = "take-" + Guid.NewGuid().ToString("N"), ExpiresAt = now.AddMinutes(1) };
        await host.WithServiceAsync<ILaunchStateStore, bool>(async s =>
        {
            await s.SaveAsync(saved, CancellationToken.None);
            await s.SaveAsync(expiring, CancellationToken.None);
            return true;
        });
        Task<LaunchStateTake> Take(string state, string hash, DateTimeOffset at) =>
            host.WithServiceAsync<ILaunchStateStore, LaunchStateTake>(s => s.TakeAsync(state, hash, at, CancellationToken.None));

        Assert.Equal(new LaunchStateTake(LaunchStateTakeOutcome.NotFound, null), await Take("take-unknown", "right", now));
        Assert.Equal(new LaunchStateTake(LaunchStateTakeOutcome.NotBoundToBrowser, saved), await Take(saved.State, "wrong", now));
        // Another browser's attempt leaves the state to its own browser.
        Assert.Equal(new LaunchStateTake(LaunchStateTakeOutcome.Taken, saved), await Take(saved.State, "right", now.AddMinutes(1)));
        Assert.Equal(new LaunchStateTake(LaunchStateTakeOutcome.AlreadyUsed, saved), await Take(saved.State, "right", now.AddMinutes(2)));
        Assert.Equal(new LaunchStateTake(LaunchStateTakeOutcome.Expired, expiring), await Take(expiring.State, "right", now.AddMinutes(1)));
    }

    [Fact]
    public async Task RecordLaunch_ConcurrentFirstLaunchesOfOnePerson_MakeOnePerson()
    {
        var platformId = await host.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var subject = "concurrent-" + Guid.NewGuid().ToString("N");
        var roles = LtiRole.ParseAll(["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]);
        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            host.WithServiceAsync<RecordLaunch, LaunchSession>(r => r.HandleAsync(
                new RecordLaunchCommand(platformId, subject, "Ben Castillo", "Ben", "Castillo", null, "ctx-race", "Race Course", null, roles),
                CancellationToken.None))));

        Assert.Single(sessions.Select(s => s.PersonId).Distinct());
        Assert.Equal(1, await host.WithDbAsync(db => db.People.CountAsync(p => p.Subject == subject)));
    }

    [Fact]
    public async Task FailedWrites_OfEveryKind_DoNotBlockTheWritesAfterThem()
    {
        // A unique-key violation, a concurrency failure (an update of a row that is not there) and a failed bulk
        // update each end a write abnormally; the writes after them must still go through.
        var platformId = await host.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var session = await host.WithServiceAsync<RecordLaunch, LaunchSession>(r => r.HandleAsync(
            new RecordLaunchCommand(platformId, "gate-" + Guid.NewGuid().ToString("N"), "Carla Nguyen", null, null, null, null, null, null, []),
            CancellationToken.None));
        var existing = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == session.PersonId));
        await Assert.ThrowsAsync<DbUpdateException>(() => host.WithDbAsync(async db =>
        {
            db.People.Add(new LtiMicroCred.People.Person
            {
                Id = Guid.NewGuid(), TenantId = existing.TenantId, PlatformId = existing.PlatformId, Subject = existing.Subject, Name = "Duplicate",
            });
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => host.WithDbAsync(async db =>
        {
            db.Tenants.Update(new LtiMicroCred.Tenancy.Tenant { Id = Guid.NewGuid(), Name = "Not there" });
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAnyAsync<Exception>(() => host.WithDbAsync(db =>
            db.People.Where(p => p.Id == existing.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Subject, p => null!))));

        // A transaction that wrote and was then disposed without a commit (an exception between the save and the commit).
        await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Tenants.Where(t => t.Id == existing.TenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, t => t.Name));
            return 0;
        });

        var renamed = await host.WithDbAsync(db => db.Tenants.Where(t => t.Id == existing.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, t => t.Name)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, renamed);
    }
}

public sealed class PersistenceTests_Sqlite(SqliteToolHost host) : PersistenceTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

/// <summary>
/// SQLite's per-connection settings: WAL (set by the migration step) and synchronous=NORMAL (set on every new
/// connection), and one connection per context rather than one per statement.
/// </summary>
public sealed class SqliteConnectionSettingsTests(SqliteToolHost host) : IClassFixture<SqliteToolHost>
{
    [Fact]
    public async Task Connections_UseWriteAheadLogging_WithSynchronousNormal()
    {
        var (journalMode, synchronous) = await host.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA journal_mode;";
                var journal = (string?)await command.ExecuteScalarAsync();
                command.CommandText = "PRAGMA synchronous;";
                return (journal, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

        Assert.Equal("wal", journalMode);
        Assert.Equal(1, synchronous); // NORMAL
    }

    [Fact]
    public async Task OneContext_KeepsOneConnection_FromItsFirstQueryToItsEnd()
    {
        // A temporary table lives in its connection only, so the second statement sees it only on the same one.
        // (The test database turns Microsoft.Data.Sqlite's pool off, so a new open would be a new connection.)
        var seen = await host.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE connection_probe (x INTEGER)");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO connection_probe VALUES (1)");
            var count = await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM connection_probe").SingleAsync();
            await db.Database.ExecuteSqlRawAsync("DROP TABLE connection_probe");
            return count;
        });

        Assert.Equal(1, seen);
    }
}

public sealed class PersistenceTests_PostgreSql(PostgresToolHost host) : PersistenceTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;

#if SQLSERVER
public sealed class PersistenceTests_SqlServer(SqlServerToolHost host) : PersistenceTests<SqlServerToolHost>(host), IClassFixture<SqlServerToolHost>;
#endif
