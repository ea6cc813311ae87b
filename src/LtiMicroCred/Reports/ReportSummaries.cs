using Hangfire;
using LtiMicroCred.Attempts;
using LtiMicroCred.Decisions;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Reports;

/// <summary>Summary row: a teacher holds a skill (an awarded attempt aligned to it) at the school the attempt counted for.</summary>
public sealed class SkillHolding
{
    public Guid TenantId { get; set; }

    public Guid SkillId { get; set; }

    public Guid TeacherId { get; set; }

    public Guid? SchoolId { get; set; }

    public DateTimeOffset FirstAwardedAt { get; set; }
}

/// <summary>Summary row: how many teachers hold a skill, at one school (<see cref="SchoolScope"/>) or district-wide (<see cref="DistrictScope"/>, school null).</summary>
public sealed class SkillHoldingCount
{
    public const int SchoolScope = 0;
    public const int DistrictScope = 1;

    public Guid TenantId { get; set; }

    public Guid SkillId { get; set; }

    public Guid? SchoolId { get; set; }

    public int Scope { get; set; }

    public int Teachers { get; set; }

    /// <summary>Schools with a holder: 1 on a school's row, how many schools on the district row.</summary>
    public int Schools { get; set; }
}

/// <summary>When a tenant's summary was last rebuilt, and the newest award it includes (the summary is current while no award is newer).</summary>
public sealed class ReportSummaryState
{
    public Guid TenantId { get; set; }

    public DateTimeOffset RefreshedAt { get; set; }

    public DateTimeOffset? LatestAwardAt { get; set; }
}

internal sealed class ReportSummaryConfiguration :
    IEntityTypeConfiguration<SkillHolding>, IEntityTypeConfiguration<SkillHoldingCount>, IEntityTypeConfiguration<ReportSummaryState>
{
    public void Configure(EntityTypeBuilder<SkillHolding> builder)
    {
        builder.ToTable("SkillHoldings").HasNoKey();
        builder.HasIndex(h => new { h.TenantId, h.SkillId });
    }

    public void Configure(EntityTypeBuilder<SkillHoldingCount> builder)
    {
        builder.ToTable("SkillHoldingCounts").HasNoKey();
        builder.HasIndex(h => new { h.TenantId, h.Scope, h.SkillId });
    }

    public void Configure(EntityTypeBuilder<ReportSummaryState> builder)
    {
        builder.ToTable("ReportSummaryStates").HasKey(s => s.TenantId);
    }
}

/// <summary>
/// Rebuilds one tenant's report summary (skill holdings and their counts) with set-based SQL in one transaction:
/// delete, then INSERT ... SELECT ... GROUP BY. The state row is locked first, so two rebuilds of a tenant run one
/// after the other. Reports read the summary only while it is current (<see cref="CurrentAsync"/>).
/// </summary>
public sealed class ReportSummaries(AppDbContext db, TimeProvider clock)
{
    /// <summary>The newest award decision of the tenant (walks the (TenantId, DecidedAt) index newest first).</summary>
    private Task<DateTimeOffset?> LatestAwardAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.AttemptDecisions.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.Outcome == DecisionOutcome.Awarded)
            .OrderByDescending(d => d.DecidedAt).Select(d => (DateTimeOffset?)d.DecidedAt).FirstOrDefaultAsync(cancellationToken);

    /// <summary>When the tenant's summary was rebuilt, if it holds every award made so far; null when it is missing or behind.</summary>
    public async Task<DateTimeOffset?> CurrentAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var state = await db.ReportSummaryStates.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (state is null)
        {
            return null;
        }

        return await LatestAwardAsync(tenantId, cancellationToken) == state.LatestAwardAt ? state.RefreshedAt : null;
    }

    /// <summary>Rebuilds the tenant's summary unless it is already current; returns whether it rebuilt.</summary>
    public async Task<bool> RefreshAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(tenantId, cancellationToken) is not null)
        {
            return false;
        }

        if (!await db.ReportSummaryStates.AnyAsync(s => s.TenantId == tenantId, cancellationToken))
        {
            try
            {
                db.ReportSummaryStates.Add(new ReportSummaryState { TenantId = tenantId, RefreshedAt = DateTimeOffset.MinValue });
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another rebuild created it first.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        var rebuilt = true;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            // Lock the state row first: a concurrent rebuild of the tenant waits here until this one commits.
            await db.ReportSummaryStates.Where(s => s.TenantId == tenantId).ExecuteUpdateAsync(u => u.SetProperty(s => s.RefreshedAt, now), cancellationToken);
            var latest = await LatestAwardAsync(tenantId, cancellationToken);
            // An award day queues one rebuild per award: those that waited on the lock find the summary made current
            // by the rebuild they waited for, and stop here instead of rebuilding the whole tenant again.
            var included = await db.ReportSummaryStates.Where(s => s.TenantId == tenantId).Select(s => s.LatestAwardAt).SingleAsync(cancellationToken);
            if (included is not null && included == latest)
            {
                rebuilt = false;
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            await db.SkillHoldingCounts.Where(h => h.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            await db.SkillHoldings.Where(h => h.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            var awarded = nameof(AttemptStatus.Awarded);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "SkillHoldings" ("TenantId", "SkillId", "TeacherId", "SchoolId", "FirstAwardedAt")
                SELECT a."TenantId", al."SkillId", a."TeacherId", a."SchoolId", MIN(d."DecidedAt")
                FROM "Attempts" a
                JOIN "SkillAlignments" al ON al."CredentialVersionId" = a."CredentialVersionId"
                JOIN "AttemptDecisions" d ON d."AttemptId" = a."Id"
                WHERE a."TenantId" = {tenantId} AND a."Status" = {awarded}
                GROUP BY a."TenantId", al."SkillId", a."TeacherId", a."SchoolId"
                """, cancellationToken);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "SkillHoldingCounts" ("TenantId", "SkillId", "SchoolId", "Scope", "Teachers", "Schools")
                SELECT "TenantId", "SkillId", "SchoolId", {SkillHoldingCount.SchoolScope}, COUNT(*), 1
                FROM "SkillHoldings" WHERE "TenantId" = {tenantId}
                GROUP BY "TenantId", "SkillId", "SchoolId"
                """, cancellationToken);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "SkillHoldingCounts" ("TenantId", "SkillId", "SchoolId", "Scope", "Teachers", "Schools")
                SELECT "TenantId", "SkillId", NULL, {SkillHoldingCount.DistrictScope}, COUNT(DISTINCT "TeacherId"), COUNT(DISTINCT "SchoolId")
                FROM "SkillHoldings" WHERE "TenantId" = {tenantId}
                GROUP BY "TenantId", "SkillId"
                """, cancellationToken);
            await db.ReportSummaryStates.Where(s => s.TenantId == tenantId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.RefreshedAt, now).SetProperty(s => s.LatestAwardAt, latest), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return rebuilt;
    }
}

/// <summary>Every 15 minutes, and once after each award: rebuilds the report summaries that are behind.</summary>
public sealed class ReportSummaryJob(AppDbContext db, ReportSummaries summaries)
{
    public const string RecurringJobId = "report-summaries";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var tenant in tenants)
        {
            await summaries.RefreshAsync(tenant, cancellationToken);
        }
    }

    public Task RunTenantAsync(Guid tenantId, CancellationToken cancellationToken) => summaries.RefreshAsync(tenantId, cancellationToken);

    /// <summary>Queues a rebuild of the tenant's summary (after an award, so a small district sees it within seconds).</summary>
    public static void Queue(IBackgroundJobClient jobs, Guid tenantId) =>
        jobs.Enqueue<ReportSummaryJob>(j => j.RunTenantAsync(tenantId, CancellationToken.None));
}
