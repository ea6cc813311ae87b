using Hangfire;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Portfolio;

/// <summary>
/// Hourly: removes expired exports and their ZIPs (a ZIP whose bytes are also kept as evidence, or by a live export,
/// stays), and queues again an export whose job was lost (still queued or running long after it was asked for).
/// Safe to run twice.
/// </summary>
public sealed partial class PurgePortfolioExportsJob(AppDbContext db, IFileStore store, IBackgroundJobClient jobs, TimeProvider time, ILogger<PurgePortfolioExportsJob> logger)
{
    public const string RecurringJobId = "portfolio-export-purge";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await db.PortfolioExports.Where(e => e.ExpiresAt <= now).OrderBy(e => e.ExpiresAt).Take(500).ToListAsync(cancellationToken);
        foreach (var export in expired)
        {
            if (export.FileKey is { } key
                && !await db.PortfolioExports.AnyAsync(e => e.FileKey == key && e.ExpiresAt > now, cancellationToken)
                && !await db.StoredFiles.AnyAsync(f => f.StorageKey == key, cancellationToken))
            {
                await store.DeleteAsync(key, cancellationToken);
            }

            db.PortfolioExports.Remove(export);
        }

        await db.SaveChangesAsync(cancellationToken);
        var staleBefore = now - RequestPortfolioExport.StaleAfter;
        var lost = await db.PortfolioExports.AsNoTracking()
            .Where(e => (e.Status == PortfolioExportStatus.Queued || e.Status == PortfolioExportStatus.Running) && e.CreatedAt < staleBefore && e.ExpiresAt > now)
            .Select(e => e.Id).Take(100).ToListAsync(cancellationToken);
        foreach (var id in lost)
        {
            jobs.Enqueue<BuildPortfolioExportJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        if (expired.Count > 0 || lost.Count > 0)
        {
            LogPurged(logger, expired.Count, lost.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Portfolio exports: {Expired} expired removed, {Requeued} lost ones queued again")]
    private static partial void LogPurged(ILogger logger, int expired, int requeued);
}

public static class PortfolioServiceCollectionExtensions
{
    /// <summary>The evidence portfolio export: the request, the page's queries, the build job and the purge.</summary>
    public static IServiceCollection AddPortfolio(this IServiceCollection services)
    {
        services.AddScoped<RequestPortfolioExport>();
        services.AddScoped<PortfolioQueries>();
        services.AddScoped<BuildPortfolioExportJob>();
        services.AddScoped<PurgePortfolioExportsJob>();
        services.AddOptions<PortfolioOptions>().BindConfiguration(PortfolioOptions.Section);
        return services;
    }
}
