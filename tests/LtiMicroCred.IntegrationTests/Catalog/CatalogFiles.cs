using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Schools;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>Catalog files for tests, and the few steps around them (import, export, an attempt on a version).</summary>
internal static class CatalogFiles
{
    /// <summary>A small valid catalog for a <see cref="TestDistrict"/> (it names the schools N1 and S1).</summary>
    public static CatalogDocument Small() => new()
    {
        Format = CatalogDocument.CurrentFormat,
        Settings = new CatalogSettings { RequirePlanApproval = false },
        Frameworks =
        [
            new CatalogFramework
            {
                Key = "tls", Name = "Teacher leadership",
                Skills = [new CatalogSkill { Code = "A", Name = "Collaboration" }, new CatalogSkill { Code = "B", Name = "Using data" }],
            },
        ],
        Credentials = [Credential("plc-data", "PLC data cycle", "A"), Credential("video", "Video coaching", "B")],
        Stacks = [new CatalogStack { Key = "team", Title = "Team learning", Credentials = ["plc-data", "video"] }],
        Pathways =
        [
            new CatalogPathway
            {
                Key = "leader", Title = "Teacher leader", Prerequisites = ["plc-data"], Credentials = ["video"], MinimumCount = 1, CommitteeSize = 3,
                Reward = PathwayReward.SalaryStep, RewardDetail = "5% of base salary",
            },
        ],
        Offerings =
        [
            new CatalogOffering { Credential = "plc-data", Incentive = new CatalogIncentive { Kind = IncentiveKind.PdPoints, Amount = 6 } },
            new CatalogOffering { Credential = "video", School = "N1", Incentive = new CatalogIncentive { Kind = IncentiveKind.CpdUnits, Amount = 1, CredentialsPerUnit = 2 } },
        ],
        Budgets =
        [
            new CatalogBudget { Year = 2026, Kind = IncentiveKind.PdPoints, Amount = 300 },
            new CatalogBudget { Year = 2026, Kind = IncentiveKind.Stipend, School = "S1", Amount = 1000 },
        ],
    };

    public static CatalogCredential Credential(string key, string title, params string[] skills) => new()
    {
        Key = key,
        Title = title,
        Summary = "A summary of " + title,
        Competency = "The educator shows " + title,
        KeyMethod = "A method for " + title,
        MethodComponents = ["First part", "Second part"],
        Resources = [new CatalogResource { Title = "Reading", Url = "https://example.org/reading" }],
        Criteria =
        [
            new CatalogCriterion { Key = "sample", Title = "Work sample", Kind = EvidenceKind.WorkSample },
            new CatalogCriterion { Key = "video", Title = "Lesson video", Kind = EvidenceKind.Video, MinMinutes = 7, MaxMinutes = 10 },
        ],
        Rubric = new CatalogRubric
        {
            Levels = [new CatalogRubricLevel { Name = "Not yet", Points = 0 }, new CatalogRubricLevel { Name = "Developing", Points = 1 }, new CatalogRubricLevel { Name = "Proficient", Points = 2 }],
            Criteria = [new CatalogRubricCriterion { Key = "quality", Title = "Quality", Descriptors = ["Missing", "Partial", "Complete"] }],
            Passing = new CatalogPassing { MinimumLevel = 2 },
        },
        Skills = [.. skills.Select(code => new CatalogAlignment { Framework = "tls", Code = code })],
    };

    public static CatalogDocument With(this CatalogDocument document, string key, Func<CatalogCredential, CatalogCredential> change) =>
        document with { Credentials = [.. document.Credentials.Select(c => c.Key == key ? change(c) : c)] };

    public static Task<CatalogImportSummary> ImportAsync(this ToolHost host, Actor actor, CatalogDocument document) =>
        host.ImportAsync(actor, CatalogJson.Write(document));

    public static Task<CatalogImportSummary> ImportAsync(this ToolHost host, Actor actor, byte[] json) =>
        host.WithServiceAsync<ImportCatalog, CatalogImportSummary>(import => import.HandleAsync(actor, new MemoryStream(json), CancellationToken.None));

    public static Task<CatalogDocument> ExportAsync(this ToolHost host, Actor actor) =>
        host.WithServiceAsync<ExportCatalog, CatalogDocument>(export => export.HandleAsync(actor, CancellationToken.None));

    /// <summary>Adds the schools the sample catalog names, so it can be imported into a test district.</summary>
    public static Task AddSampleSchoolsAsync(this ToolHost host, TestDistrict district) => host.WithDbAsync(async db =>
    {
        foreach (var (code, name) in LtiMicroCred.Catalog.Sample.SampleCatalog.Schools)
        {
            db.Schools.Add(new School { Id = Guid.NewGuid(), TenantId = district.TenantId, Code = code, Name = name, CreatedAt = DateTimeOffset.UtcNow });
        }

        return await db.SaveChangesAsync();
    });

    public static Task AddAttemptAsync(this ToolHost host, TestDistrict district, Guid credentialId, Guid versionId) => host.WithDbAsync(async db =>
    {
        var offering = db.Offerings.First(o => o.CredentialId == credentialId);
        var now = DateTimeOffset.UtcNow;
        db.Attempts.Add(new Attempt
        {
            Id = Guid.NewGuid(), TenantId = district.TenantId, TeacherId = district.Teacher.Id, CredentialId = credentialId, CredentialVersionId = versionId,
            OfferingId = offering.Id, SchoolId = district.North.Id, Status = AttemptStatus.InProgress, CreatedAt = now, UpdatedAt = now, Revision = Guid.NewGuid(),
        });
        return await db.SaveChangesAsync();
    });
}
