using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Reports;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Reports;

/// <summary>The report summary (skill holdings) on the real database: rebuild, read, a newer award, tenant isolation.</summary>
public abstract class ReportSummaryTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Refresh_TheDistrictMapReadsTheSummary_WithItsTime_AndANewerAwardShowsBeforeAndAfterTheNextRefresh()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var analysis = await FrameworkAsync(d);
        await AwardAsync(d, d.Teacher);
        await RefreshAsync(d.TenantId);
        var admin = await d.ActorAsync(d.Admin);

        var state = await host.WithDbAsync(db => db.ReportSummaryStates.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId));
        var map = await MapAsync(admin, new ReportFilter(), analysis);
        // The award also queued a rebuild on the host's job server, which may finish between the two reads.
        var stateAfter = await host.WithDbAsync(db => db.ReportSummaryStates.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId));
        Assert.NotNull(map.FiguresAsOf);
        Assert.InRange(map.FiguresAsOf.Value, state.RefreshedAt, stateAfter.RefreshedAt);
        Assert.Equal([(1, 1, 2)], map.Skills.Where(s => s.SkillId == analysis).Select(s => (s.Holders, s.SchoolsWithHolder, s.SchoolsInView)));
        Assert.Equal([new SkillHolder(d.Teacher.Id, "Ada Teacher", d.North.Id, "North Elementary")], map.Holders);
        var rows = await host.WithDbAsync(db => db.SkillHoldings.AsNoTracking().Where(h => h.TenantId == d.TenantId).ToListAsync());
        Assert.Equal([(analysis, d.Teacher.Id, (Guid?)d.North.Id)], rows.Select(r => (r.SkillId, r.TeacherId, r.SchoolId)));
        Assert.True(rows[0].FirstAwardedAt <= state.RefreshedAt);

        // Filters the summary does not hold, and a principal, read the live rows.
        Assert.Null((await MapAsync(admin, new ReportFilter(CredentialId: d.Credential.Id), null)).FiguresAsOf);
        Assert.Null((await MapAsync(await d.ActorAsync(d.Principal), new ReportFilter(), null)).FiguresAsOf);

        // A newer award: the map has it at once (the summary is behind, so it reads live), and from the summary once rebuilt.
        await AwardAsync(d, d.SouthTeacher);
        var meanwhile = await MapAsync(admin, new ReportFilter(), analysis);
        Assert.Equal(2, meanwhile.Skills.Single(s => s.SkillId == analysis).Holders);
        Assert.Equal(2, meanwhile.Holders.Count);
        await RefreshAsync(d.TenantId);
        var after = await MapAsync(admin, new ReportFilter(), analysis);
        Assert.NotNull(after.FiguresAsOf);
        Assert.Equal([(2, 2)], after.Skills.Where(s => s.SkillId == analysis).Select(s => (s.Holders, s.SchoolsWithHolder)));
        Assert.Equal(new[] { d.Teacher.Id, d.SouthTeacher.Id }.Order(), after.Holders.Select(h => h.TeacherId).Order());
    }

    [Fact]
    public async Task AnAward_QueuesARebuild_SoTheSummaryCatchesUpWithinSeconds()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await FrameworkAsync(d);
        await AwardAsync(d, d.Teacher);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        DateTimeOffset? current;
        while ((current = await host.WithServiceAsync<ReportSummaries, DateTimeOffset?>(s => s.CurrentAsync(d.TenantId, None))) is null && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.NotNull(current);
        Assert.Equal(1, await host.WithDbAsync(db => db.SkillHoldings.CountAsync(h => h.TenantId == d.TenantId)));
    }

    [Fact]
    public async Task TheJob_RebuildsEachTenantFromItsOwnRowsOnly()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var analysis = await FrameworkAsync(d);
        await AwardAsync(d, d.Teacher);
        await AwardAsync(d, d.SouthTeacher);
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var otherAnalysis = await FrameworkAsync(other);
        await AwardAsync(other, other.Teacher);

        await host.WithServiceAsync<ReportSummaryJob, bool>(async j => { await j.RunAsync(None); return true; });

        var map = await MapAsync(await d.ActorAsync(d.Admin), new ReportFilter(), null);
        var otherMap = await MapAsync(await other.ActorAsync(other.Admin), new ReportFilter(), otherAnalysis);
        Assert.NotNull(map.FiguresAsOf);
        Assert.NotNull(otherMap.FiguresAsOf);
        Assert.Equal((2, 2), map.Skills.Where(s => s.SkillId == analysis).Select(s => (s.Holders, s.SchoolsWithHolder)).Single());
        Assert.Equal((1, 1), otherMap.Skills.Where(s => s.SkillId == otherAnalysis).Select(s => (s.Holders, s.SchoolsWithHolder)).Single());
        Assert.Equal([other.Teacher.Id], otherMap.Holders.Select(h => h.TeacherId));
        Assert.DoesNotContain(map.Skills, s => s.SkillId == otherAnalysis);
        var counts = await host.WithDbAsync(db => db.SkillHoldingCounts.AsNoTracking().Where(c => c.TenantId == d.TenantId || c.TenantId == other.TenantId).ToListAsync());
        Assert.Equal([(d.TenantId, 2), (other.TenantId, 1)], counts.Where(c => c.Scope == SkillHoldingCount.DistrictScope).OrderBy(c => c.Teachers == 1).Select(c => (c.TenantId, c.Teachers)));

        // Another tenant's rebuild leaves this tenant's summary alone, and a rebuild with nothing new does nothing.
        await AwardAsync(other, other.SouthTeacher);
        await RefreshAsync(other.TenantId);
        Assert.Equal(2, await host.WithDbAsync(db => db.SkillHoldings.CountAsync(h => h.TenantId == d.TenantId)));
        Assert.False(await host.WithServiceAsync<ReportSummaries, bool>(s => s.RefreshAsync(d.TenantId, None)));
    }

    private Task RefreshAsync(Guid tenantId) => host.WithServiceAsync<ReportSummaryJob, bool>(async j => { await j.RunTenantAsync(tenantId, None); return true; });

    private async Task AwardAsync(TestDistrict d, LtiMicroCred.People.Person teacher)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
    }

    /// <summary>A framework of two skills; the district's credential is aligned to the first only.</summary>
    private Task<Guid> FrameworkAsync(TestDistrict d) => host.WithDbAsync(async db =>
    {
        var framework = new SkillFramework { Id = Guid.NewGuid(), TenantId = d.TenantId, Key = "tls", Name = "Teacher leadership" };
        var analysis = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "1a", Name = "Analyses data" };
        var planning = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "1b", Name = "Plans re-teaching" };
        db.AddRange(framework, analysis, planning, new SkillAlignment { CredentialVersionId = d.Version.Id, SkillId = analysis.Id });
        await db.SaveChangesAsync();
        return analysis.Id;
    });

    private Task<ExpertiseReport> MapAsync(LtiMicroCred.Access.Actor actor, ReportFilter filter, Guid? skill) =>
        host.WithServiceAsync<ExpertiseQueries, ExpertiseReport>(q => q.MapAsync(actor, filter, skill, None));
}

public sealed class ReportSummaryTests_Sqlite(SqliteToolHost host) : ReportSummaryTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class ReportSummaryTests_PostgreSql(PostgresToolHost host) : ReportSummaryTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
