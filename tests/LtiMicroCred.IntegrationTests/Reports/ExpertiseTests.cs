using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Reports;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Reports;

/// <summary>The expertise map on the real database: holders by skill and school, gaps, and who may read which schools.</summary>
public abstract class ExpertiseTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Map_CountsHoldersOfAlignedAwards_ListsThem_AndShowsEachSchoolsGaps()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var (analysis, planning) = await FrameworkAsync(d);
        await AwardAsync(d);
        // An attempt still open teaches nothing to the map.
        await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        var admin = await d.ActorAsync(d.Admin);

        var map = await MapAsync(admin, new ReportFilter(), null);
        Assert.Equal([(analysis, 1, 1, 2), (planning, 0, 0, 2)], map.Skills.Select(s => (s.SkillId, s.Holders, s.SchoolsWithHolder, s.SchoolsInView)));
        Assert.Equal([(d.North.Id, new[] { planning }), (d.South.Id, new[] { analysis, planning })], map.Gaps.Select(g => (g.SchoolId, g.Missing.Select(m => m.SkillId).ToArray())));
        Assert.Empty(map.Holders);

        var chosen = await MapAsync(admin, new ReportFilter(), analysis);
        Assert.Equal([new SkillHolder(d.Teacher.Id, "Ada Teacher", d.North.Id, "North Elementary")], chosen.Holders);
        Assert.Equal(0, (await MapAsync(admin, new ReportFilter(SchoolId: d.South.Id), null)).Skills.Sum(s => s.SchoolsWithHolder));

        var principal = await d.ActorAsync(d.Principal);
        var theirs = await MapAsync(principal, new ReportFilter(), analysis);
        Assert.Equal([d.North.Id], theirs.Gaps.Select(g => g.SchoolId));
        Assert.Single(theirs.Holders);
        await Assert.ThrowsAsync<ForbiddenException>(() => MapAsync(principal, new ReportFilter(SchoolId: d.South.Id), null));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await MapAsync(await d.ActorAsync(d.Teacher), new ReportFilter(), null));

        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var otherAdmin = await other.ActorAsync(other.Admin);
        Assert.Empty((await MapAsync(otherAdmin, new ReportFilter(), null)).Skills);
        await Assert.ThrowsAsync<NotFoundException>(() => MapAsync(otherAdmin, new ReportFilter(), analysis));
    }

    private async Task AwardAsync(TestDistrict d)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
    }

    /// <summary>A framework of two skills; the district's credential is aligned to the first only.</summary>
    private Task<(Guid Analysis, Guid Planning)> FrameworkAsync(TestDistrict d) => host.WithDbAsync(async db =>
    {
        var framework = new SkillFramework { Id = Guid.NewGuid(), TenantId = d.TenantId, Key = "tls", Name = "Teacher leadership" };
        var analysis = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "1a", Name = "Analyses data" };
        var planning = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "1b", Name = "Plans re-teaching" };
        db.AddRange(framework, analysis, planning, new SkillAlignment { CredentialVersionId = d.Version.Id, SkillId = analysis.Id });
        await db.SaveChangesAsync();
        return (analysis.Id, planning.Id);
    });

    private Task<ExpertiseReport> MapAsync(Actor actor, ReportFilter filter, Guid? skill) =>
        host.WithServiceAsync<ExpertiseQueries, ExpertiseReport>(q => q.MapAsync(actor, filter, skill, None));
}

public sealed class ExpertiseTests_Sqlite(SqliteToolHost host) : ExpertiseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class ExpertiseTests_PostgreSql(PostgresToolHost host) : ExpertiseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
