using Hangfire;
using Hangfire.PostgreSql;
using LtiMicroCred.Jobs;
using LtiMicroCred.Web.Launching;

namespace LtiMicroCred.Web.Hosting;

/// <summary>The "Jobs" section.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Runs a Hangfire server in this process (turn off on web-only nodes).</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>When the tool's signing key rotates (cron, UTC). Default: 03:00 on the first of each month.</summary>
    public string KeyRotationCron { get; set; } = "0 3 1 * *";

    /// <summary>
    /// The tenants whose district administrators may open the jobs dashboard. The dashboard shows every district's
    /// jobs, so on a shared install only the operator's own tenant belongs here. Empty: allowed only while the install
    /// has a single tenant (one district running its own copy).
    /// </summary>
    public List<Guid> OperatorTenants { get; set; } = [];
}

public static class JobsExtensions
{
    public const string DashboardPath = "/hangfire";

    /// <summary>Hangfire on the storage that matches the database: SQL Server, PostgreSQL, or in-memory with SQLite.</summary>
    public static void AddJobs(this WebApplicationBuilder builder, DatabaseOptions database)
    {
        var jobs = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        builder.Services.AddSingleton(jobs);
        // Each host gets its own storage instance in DI. Hangfire's Use*Storage would set the process-wide
        // JobStorage.Current, which several hosts in one process (the test suites) would overwrite, so a job could be
        // enqueued to one host's storage and run by another host's server.
        builder.Services.AddSingleton<JobStorage>(_ => database.Provider switch
        {
            DatabaseProvider.SqlServer => new Hangfire.SqlServer.SqlServerStorage(database.ConnectionString),
            DatabaseProvider.PostgreSql => PostgreSqlJobStorage(database.ConnectionString),
            // Durability never rests on Hangfire's storage: whatever must survive is an outbox row in the database.
            _ => new Hangfire.InMemory.InMemoryStorage(),
        });
        // Likewise the activator: Hangfire's default is the process-wide JobActivator.Current, the last host's, so a
        // job could be built from another host's services (and its database).
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, config) =>
        {
            config.UseLogProvider(new HostLogProvider(services.GetRequiredService<ILoggerFactory>()));
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        if (jobs.RunServer)
        {
            builder.Services.AddHangfireServer(o => o.WorkerCount = jobs.WorkerCount);
            // The outbox drain loops (Outbox:DrainWorkers, off by default) run where jobs run.
            builder.Services.AddHostedService<LtiMicroCred.Outbox.OutboxDrainService>();
        }
    }

    /// <summary>
    /// Workers look for new jobs every second rather than the library's 15 s default: a teacher waiting for "bring in
    /// my LMS submissions" should not wait a quarter of a minute before the work even starts.
    /// </summary>
    private static PostgreSqlStorage PostgreSqlJobStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }

    public static void ScheduleRecurringJobs(this IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var jobs = services.GetRequiredService<JobsOptions>();
        manager.AddOrUpdate<ToolKeyRotationJob>(ToolKeyRotationJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), jobs.KeyRotationCron);
        manager.AddOrUpdate<LaunchStatePurgeJob>(LaunchStatePurgeJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        manager.AddOrUpdate<Reviews.ReviewTimelinessJob>(Reviews.ReviewTimelinessJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        manager.AddOrUpdate<LtiMicroCred.Outbox.OutboxSweepJob>(LtiMicroCred.Outbox.OutboxSweepJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        manager.AddOrUpdate<LtiMicroCred.Celebrations.LeadersDigestJob>(LtiMicroCred.Celebrations.LeadersDigestJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        manager.AddOrUpdate<LtiMicroCred.Portfolio.PurgePortfolioExportsJob>(LtiMicroCred.Portfolio.PurgePortfolioExportsJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        manager.AddOrUpdate<LtiMicroCred.Reports.ReportSummaryJob>(LtiMicroCred.Reports.ReportSummaryJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), "*/15 * * * *");
    }

    /// <summary>The dashboard, for district administrators only (see <see cref="AdminDashboardAuthorization"/>).</summary>
    public static void MapJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminDashboardAuthorization()],
            AppPath = "/app",
            DashboardTitle = "LtiMicroCred jobs",
        });
}
