using LtiMicroCred.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LtiMicroCred.Web.Hosting;

public static class PersistenceExtensions
{
    private const string MigrationsAssemblyPrefix = "LtiMicroCred.Migrations.";

    /// <summary>One model, the provider and its own migrations assembly chosen by configuration.</summary>
    public static DatabaseOptions AddPersistence(this WebApplicationBuilder builder)
    {
        var database = DatabaseOptions.Read(builder.Configuration);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<SqliteWriteGate>();
        builder.Services.AddSingleton<SqliteSynchronousNormal>();
        builder.Services.AddSingleton<SqliteConnectionPerContext>();
        builder.Services.AddDbContextPool<AppDbContext>((services, options) =>
        {
            Configure(options, database);
            // Queues each outbox message's send job once the save that wrote it commits.
            options.AddInterceptors(services.GetRequiredService<LtiMicroCred.Outbox.OutboxEnqueueInterceptor>());
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                options.AddInterceptors(
                    services.GetRequiredService<SqliteWriteGate>(),
                    services.GetRequiredService<SqliteSynchronousNormal>(),
                    services.GetRequiredService<SqliteConnectionPerContext>());
            }
        });
        builder.Services.AddDataProtection()
            .SetApplicationName("LtiMicroCred")
            .PersistKeysToDbContext<AppDbContext>();
        return database;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseOptions database)
    {
        var migrations = MigrationsAssemblyPrefix + database.Provider;
        _ = database.Provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(database.ConnectionString, o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.PostgreSql => options.UseNpgsql(TunePostgreSql(database.ConnectionString), o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.SqlServer => options.UseSqlServer(database.ConnectionString, o => o.MigrationsAssembly(migrations).EnableRetryOnFailure()),
            _ => throw new StartupConfigurationException($"The setting Database:Provider has the unknown value '{database.Provider}'."),
        };

        // A failed command surfaces as an exception that its caller handles (a lost insert race is retried) or lets
        // the error page log; EF's own error lines would log expected races as errors, with the SQL, a second time.
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }

    /// <summary>
    /// EF opens and closes a pooled connection around every query, and by default Npgsql resets a returned connection
    /// (DISCARD ALL before its next command) and plans every statement afresh. The tool keeps no session state on its
    /// connections (no SET, temporary tables or advisory locks), so the reset is skipped, and statements used twice
    /// are prepared on the connection. A connection string that sets Max Auto Prepare itself keeps its own value.
    /// </summary>
    public static string TunePostgreSql(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>Applies pending migrations. SQLite also gets write-ahead logging so readers do not block the writer.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var database = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(database.ConnectionString);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
