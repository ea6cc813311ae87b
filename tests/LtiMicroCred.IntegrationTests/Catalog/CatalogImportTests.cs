using System.Text;
using LtiMicroCred.Catalog;
using LtiMicroCred.Catalog.Sample;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>Catalog import and export: the whole file checked first, all or nothing, versions kept for attempts, round trips.</summary>
public abstract class CatalogImportTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task ImportSample_IntoADistrictWithItsSchools_CreatesEveryPart()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.AddSampleSchoolsAsync(district);
        var admin = await district.ActorAsync(district.Admin);

        var summary = await host.ImportAsync(admin, SampleCatalog.Document());

        Assert.Equal(new ChangeCount(3, 0, 0), summary.Frameworks);
        Assert.Equal(new ChangeCount(8, 0, 0), summary.Credentials);
        Assert.Equal(0, summary.NewVersions);
        Assert.Equal(new ChangeCount(1, 0, 0), summary.Stacks);
        Assert.Equal(new ChangeCount(1, 0, 0), summary.Pathways);
        Assert.Equal(new ChangeCount(9, 0, 0), summary.Offerings);
        Assert.Equal(new ChangeCount(5, 0, 0), summary.Budgets);
        var counts = await host.WithDbAsync(async db => new
        {
            Skills = await db.Skills.CountAsync(s => db.SkillFrameworks.Any(f => f.Id == s.FrameworkId && f.TenantId == district.TenantId)),
            Credentials = await db.Credentials.CountAsync(c => c.TenantId == district.TenantId),
            Alignments = await db.SkillAlignments.CountAsync(a => db.CredentialVersions.Any(v => v.Id == a.CredentialVersionId
                && db.Credentials.Any(c => c.Id == v.CredentialId && c.TenantId == district.TenantId))),
            StackEntries = await db.Stacks.Where(s => s.TenantId == district.TenantId).SelectMany(s => s.Entries).OrderBy(e => e.Position).Select(e => e.Position).ToListAsync(),
            Prerequisites = await db.Pathways.Where(p => p.TenantId == district.TenantId).SelectMany(p => p.Entries).CountAsync(e => e.Prerequisite),
        });
        Assert.Equal(20, counts.Skills);
        Assert.Equal(9, counts.Credentials); // the district's own "data-literacy" and the sample's eight
        Assert.Equal(SampleCatalog.Document().Credentials.Sum(c => c.Skills.Count), counts.Alignments);
        Assert.Equal([0, 1, 2], counts.StackEntries);
        Assert.Equal(1, counts.Prerequisites);
    }

    [Fact]
    public async Task ImportInvalid_ReportsEveryProblemWithItsPath_AndWritesNothing()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        var small = CatalogFiles.Small();
        var broken = small
            .With("plc-data", c => c with
            {
                Rubric = c.Rubric! with
                {
                    Criteria = [new CatalogRubricCriterion { Key = "quality", Title = "Quality", Descriptors = ["Missing", "Complete"] }],
                    Passing = new CatalogPassing { MinimumLevel = 3 },
                },
            })
            .With("video", c => c with
            {
                Criteria = [new CatalogCriterion { Key = "clip", Title = "Clip", Kind = EvidenceKind.Video, MinMinutes = 12, MaxMinutes = 8 }],
                Resources = [new CatalogResource { Title = "Old server", Url = "ftp://files.example.org/reading.pdf" }],
                Skills = [new CatalogAlignment { Framework = "tls", Code = "Z" }],
            });
        broken = broken with
        {
            Credentials = [.. broken.Credentials, CatalogFiles.Credential("plc-data", "Again")],
            Offerings = [.. broken.Offerings, new CatalogOffering { Credential = "video", School = "nowhere", Incentive = new CatalogIncentive { Kind = IncentiveKind.Stipend, Amount = 200 } }],
            Stacks = [new CatalogStack { Key = "team", Title = "Team", Credentials = ["plc-data", "missing-one"] }],
        };

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => host.ImportAsync(admin, broken));

        Assert.Equal(
            [
                "$.credentials[0].rubric.criteria[0].descriptors",
                "$.credentials[0].rubric.passing.minimumLevel",
                "$.credentials[1].resources[0].url",
                "$.credentials[1].criteria[0].minMinutes",
                "$.credentials[1].skills[0].code",
                "$.credentials[2].key",
                "$.stacks[0].credentials[1]",
                "$.offerings[2].school",
            ],
            refused.Errors.Keys);
        Assert.Contains("3 levels", refused.Errors["$.credentials[0].rubric.criteria[0].descriptors"], StringComparison.Ordinal);
        Assert.Contains("unknown skill", refused.Errors["$.credentials[1].skills[0].code"], StringComparison.Ordinal);
        Assert.Contains("\"nowhere\"", refused.Errors["$.offerings[2].school"], StringComparison.Ordinal);
        await AssertOnlyTheDistrictsOwnCatalogAsync(district);
    }

    [Theory]
    [InlineData("{\"format\":\"ltimicrocred-catalog/1\",\"credentials\":[{\"key\":\"x\",\"titel\":\"Typo\"}]}", "$.credentials[0]", "unknown property")]
    [InlineData("{\"format\":\"ltimicrocred-catalog/1\",\"offerings\":[{\"credential\":\"x\",\"incentive\":{\"kind\":\"gold\"}}]}", "$.offerings[0].incentive.kind", "allowed values")]
    [InlineData("{\"format\":\"ltimicrocred-catalog/1\",\"credentials\":[", "$", "not valid JSON")]
    public async Task ImportUnreadableFile_SaysWhereAndWhy_AndWritesNothing(string json, string path, string reason)
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => host.ImportAsync(admin, Encoding.UTF8.GetBytes(json)));

        var (at, why) = Assert.Single(refused.Errors);
        Assert.StartsWith(path, at, StringComparison.Ordinal);
        Assert.Contains(reason, why, StringComparison.Ordinal);
        await AssertOnlyTheDistrictsOwnCatalogAsync(district);
    }

    [Fact]
    public async Task EditedCredential_WithoutAttempts_IsCorrectedInPlace()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        var exported = await host.ExportAsync(admin);

        var summary = await host.ImportAsync(admin, exported.With("data-literacy", c => c with { Competency = "Sharper competency." }));

        Assert.Equal(new ChangeCount(0, 1, 0), summary.Credentials);
        Assert.Equal(0, summary.NewVersions);
        var versions = await VersionsAsync(district.Credential.Id);
        var version = Assert.Single(versions);
        Assert.Equal(district.Version.Id, version.Id);
        Assert.Equal("Sharper competency.", version.Definition.Competency);
    }

    [Fact]
    public async Task EditedCredential_WithAnAttemptOnTheCurrentVersion_PublishesANewVersion_AndTheAttemptKeepsItsOwn()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.AddAttemptAsync(district, district.Credential.Id, district.Version.Id);
        var exported = await host.ExportAsync(admin);

        var summary = await host.ImportAsync(admin, exported.With("data-literacy", c => c with { Competency = "Sharper competency." }));

        Assert.Equal(1, summary.NewVersions);
        Assert.Equal(new ChangeCount(0, 0, 0), summary.Credentials);
        var versions = await VersionsAsync(district.Credential.Id);
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal(district.Version.Definition.Competency, versions[0].Definition.Competency);
        Assert.Equal("Sharper competency.", versions[1].Definition.Competency);
        var (current, attemptVersion) = await host.WithDbAsync(async db => (
            (await db.Credentials.SingleAsync(c => c.Id == district.Credential.Id)).CurrentVersionId,
            (await db.Attempts.SingleAsync(a => a.CredentialId == district.Credential.Id)).CredentialVersionId));
        Assert.Equal(versions[1].Id, current);
        Assert.Equal(district.Version.Id, attemptVersion);
    }

    [Fact]
    public async Task ChangedSkills_WithAnAttempt_PublishANewVersion_AndTheOldVersionKeepsItsSkills()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, CatalogFiles.Small());
        var first = (await CredentialAsync(district, "plc-data")).CurrentVersionId!.Value;
        await host.AddAttemptAsync(district, (await CredentialAsync(district, "plc-data")).Id, first);

        var summary = await host.ImportAsync(admin, CatalogFiles.Small().With("plc-data", c => c with { Skills = [new CatalogAlignment { Framework = "tls", Code = "B" }] }));

        Assert.Equal(1, summary.NewVersions);
        var second = (await CredentialAsync(district, "plc-data")).CurrentVersionId!.Value;
        Assert.NotEqual(first, second);
        Assert.Equal(["A"], await SkillCodesAsync(first));
        Assert.Equal(["B"], await SkillCodesAsync(second));
    }

    [Fact]
    public async Task UnchangedCredential_WithAnAttempt_GetsNoNewVersion()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, CatalogFiles.Small());
        var credential = await CredentialAsync(district, "plc-data");
        await host.AddAttemptAsync(district, credential.Id, credential.CurrentVersionId!.Value);

        var summary = await host.ImportAsync(admin, CatalogFiles.Small());

        Assert.False(summary.ChangedAnything);
        Assert.Equal(new ChangeCount(0, 0, 2), summary.Credentials);
        Assert.Single(await VersionsAsync(credential.Id));
    }

    [Fact]
    public async Task StackAndPathwayLists_AreReplacedByTheFilesLists()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, CatalogFiles.Small());
        var small = CatalogFiles.Small();

        var summary = await host.ImportAsync(admin, small with
        {
            Stacks = [small.Stacks[0] with { Credentials = ["video", "data-literacy"] }],
            Pathways = [small.Pathways[0] with { Prerequisites = [], Credentials = ["plc-data", "video"], MinimumCount = 2 }],
        });

        Assert.Equal(new ChangeCount(0, 1, 0), summary.Stacks);
        Assert.Equal(new ChangeCount(0, 1, 0), summary.Pathways);
        var (stack, pathway) = await host.WithDbAsync(async db => (
            await db.Stacks.Where(s => s.TenantId == district.TenantId).SelectMany(s => s.Entries).OrderBy(e => e.Position)
                .Join(db.Credentials, e => e.CredentialId, c => c.Id, (e, c) => c.Key).ToListAsync(),
            await db.Pathways.Where(p => p.TenantId == district.TenantId).SelectMany(p => p.Entries)
                .Join(db.Credentials, e => e.CredentialId, c => c.Id, (e, c) => new { c.Key, e.Prerequisite }).OrderBy(e => e.Key).ToListAsync()));
        Assert.Equal(["video", "data-literacy"], stack);
        Assert.Equal([("plc-data", false), ("video", false)], pathway.Select(e => (e.Key, e.Prerequisite)));
    }

    [Fact]
    public async Task Export_ThenImport_ChangesNothing_AndExportsTheSameBytesAgain()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.AddSampleSchoolsAsync(district);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, SampleCatalog.Document());
        await host.ImportAsync(admin, CatalogFiles.Small() with { Budgets = [], Offerings = [], Settings = null });
        var first = CatalogJson.Write(await host.ExportAsync(admin));

        var summary = await host.ImportAsync(admin, first);

        Assert.False(summary.ChangedAnything, Encoding.UTF8.GetString(first));
        Assert.Equal(11, summary.Credentials.Unchanged);
        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(CatalogJson.Write(await host.ExportAsync(admin))));
    }

    [Fact]
    public async Task Export_WritesTheFormatWithCamelCaseNamesAndEnumStrings()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, CatalogFiles.Small());

        var json = Encoding.UTF8.GetString(CatalogJson.Write(await host.ExportAsync(admin)));

        Assert.Contains("\"format\": \"ltimicrocred-catalog/1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"cpdUnits\"", json, StringComparison.Ordinal);
        Assert.Contains("\"credentialsPerUnit\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"reward\": \"salaryStep\"", json, StringComparison.Ordinal);
        Assert.Contains("\"school\": \"N1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"workSample\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAdmins_CannotImportOrExport()
    {
        var district = await TestDistrict.CreateAsync(host);
        foreach (var person in new[] { district.Teacher, district.Principal })
        {
            var actor = await district.ActorAsync(person);
            await Assert.ThrowsAsync<ForbiddenException>(() => host.ImportAsync(actor, CatalogFiles.Small()));
            await Assert.ThrowsAsync<ForbiddenException>(() => host.ExportAsync(actor));
        }

        await AssertOnlyTheDistrictsOwnCatalogAsync(district);
    }

    private async Task AssertOnlyTheDistrictsOwnCatalogAsync(TestDistrict district)
    {
        var (keys, frameworks, budgets) = await host.WithDbAsync(async db => (
            await db.Credentials.Where(c => c.TenantId == district.TenantId).Select(c => c.Key).ToListAsync(),
            await db.SkillFrameworks.CountAsync(f => f.TenantId == district.TenantId),
            await db.IncentiveBudgets.CountAsync(b => b.TenantId == district.TenantId)));
        Assert.Equal(["data-literacy"], keys);
        Assert.Equal(0, frameworks);
        Assert.Equal(0, budgets);
    }

    private Task<List<CredentialVersion>> VersionsAsync(Guid credentialId) =>
        host.WithDbAsync(db => db.CredentialVersions.AsNoTracking().Where(v => v.CredentialId == credentialId).OrderBy(v => v.Number).ToListAsync());

    private Task<Credential> CredentialAsync(TestDistrict district, string key) =>
        host.WithDbAsync(db => db.Credentials.AsNoTracking().SingleAsync(c => c.TenantId == district.TenantId && c.Key == key));

    private Task<List<string>> SkillCodesAsync(Guid versionId) =>
        host.WithDbAsync(db => db.SkillAlignments.Where(a => a.CredentialVersionId == versionId).Join(db.Skills, a => a.SkillId, s => s.Id, (a, s) => s.Code).ToListAsync());
}

public sealed class CatalogImportTests_Sqlite(SqliteToolHost host) : CatalogImportTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CatalogImportTests_PostgreSql(PostgresToolHost host) : CatalogImportTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
