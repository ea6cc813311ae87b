using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh district in the test host's database: two schools, a teacher at each, a principal of the first, a district
/// admin, and one credential offered district-wide. Each test makes its own, so tests sharing a host never see each
/// other's data (and a second district is how cross-tenant refusals are tested).
/// </summary>
public sealed class TestDistrict
{
    private readonly ToolHost _host;

    private TestDistrict(ToolHost host, Guid tenantId, Guid platformId)
    {
        _host = host;
        TenantId = tenantId;
        PlatformId = platformId;
    }

    public Guid TenantId { get; }

    public Guid PlatformId { get; }

    public School North { get; private set; } = null!;

    public School South { get; private set; } = null!;

    public Person Teacher { get; private set; } = null!;

    public Person SouthTeacher { get; private set; } = null!;

    public Person Principal { get; private set; } = null!;

    public Person Admin { get; private set; } = null!;

    public Credential Credential { get; private set; } = null!;

    public CredentialVersion Version { get; private set; } = null!;

    public Offering Offering { get; private set; } = null!;

    public static async Task<TestDistrict> CreateAsync(ToolHost host, bool requirePlanApproval = true)
    {
        var now = DateTimeOffset.UtcNow;
        var tenant = new Tenant { Id = Guid.NewGuid(), Name = "District " + Guid.NewGuid().ToString("N")[..6], CreatedAt = now };
        var platform = new PlatformRegistration
        {
            Id = Guid.NewGuid(), TenantId = tenant.Id, Name = "LMS", Issuer = "https://lms.example/" + tenant.Id.ToString("N"), ClientId = "client",
            AuthorizationEndpoint = "https://lms.example/auth", TokenEndpoint = "https://lms.example/token", JwksUrl = "https://lms.example/jwks", CreatedAt = now,
        };
        var district = new TestDistrict(host, tenant.Id, platform.Id);
        await host.WithDbAsync(async db =>
        {
            db.Tenants.Add(tenant);
            db.Platforms.Add(platform);
            db.ProgrammeSettings.Add(new ProgrammeSettings { TenantId = tenant.Id, RequirePlanApproval = requirePlanApproval });
            district.North = new School { Id = Guid.NewGuid(), TenantId = tenant.Id, Name = "North Elementary", Code = "N1", CreatedAt = now };
            district.South = new School { Id = Guid.NewGuid(), TenantId = tenant.Id, Name = "South Middle", Code = "S1", CreatedAt = now };
            db.Schools.AddRange(district.North, district.South);
            district.Teacher = district.AddPerson(db, "Ada Teacher", district.North, ProductRoles.Teacher);
            district.SouthTeacher = district.AddPerson(db, "Ben Teacher", district.South, ProductRoles.Teacher);
            district.Principal = district.AddPerson(db, "Carla Principal", district.North, ProductRoles.Principal);
            district.Admin = district.AddPerson(db, "Dev Admin", null, ProductRoles.None);
            district.Admin.AssignedRoles = ProductRoles.DistrictAdmin;
            await db.SaveChangesAsync();
            return 0;
        });
        (district.Credential, district.Version, district.Offering) = await district.AddCredentialAsync("data-literacy", "Data literacy");
        return district;
    }

    public static CredentialDefinition Definition(params SubmissionCriterion[] criteria) => new()
    {
        Competency = "The educator uses classroom data to adjust instruction.",
        KeyMethod = "Collect, analyse and act on a common formative assessment.",
        MethodComponents = ["Choose an assessment", "Analyse results", "Plan re-teaching"],
        Resources = [new ResourceLink("Using data well", "https://example.org/data")],
        Criteria = criteria.Length > 0
            ? criteria
            : [
                new SubmissionCriterion { Key = "sample", Title = "Work sample", Kind = EvidenceKind.WorkSample },
                new SubmissionCriterion { Key = "video", Title = "Lesson video", Kind = EvidenceKind.Video, MinMinutes = 7, MaxMinutes = 10 },
                new SubmissionCriterion { Key = "reflection", Title = "Reflection", Kind = EvidenceKind.Reflection },
            ],
        Rubric = new Rubric
        {
            Levels = [new RubricLevel("Not yet", 0), new RubricLevel("Developing", 1), new RubricLevel("Proficient", 2)],
            Criteria = [new RubricCriterion("analysis", "Analysis", ["Missing", "Partial", "Complete"])],
            Passing = new PassingRule(MinimumLevel: 2),
        },
    };

    public async Task<(Credential, CredentialVersion, Offering)> AddCredentialAsync(string key, string title, Incentive? incentive = null,
        DateTimeOffset? windowClosesAt = null, Guid? schoolId = null, CredentialDefinition? definition = null)
    {
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = TenantId, Key = key, Title = title, CreatedAt = now };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = definition ?? Definition(), PublishedAt = now };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering
        {
            Id = Guid.NewGuid(), TenantId = TenantId, CredentialId = credential.Id, SchoolId = schoolId, WindowClosesAt = windowClosesAt,
            Incentive = incentive ?? new Incentive(IncentiveKind.InServiceHours, 4),
        };
        await _host.WithDbAsync(async db =>
        {
            db.Credentials.Add(credential);
            db.CredentialVersions.Add(version);
            db.Offerings.Add(offering);
            await db.SaveChangesAsync();
            return 0;
        });
        return (credential, version, offering);
    }

    public Task<Actor> ActorAsync(Person person) =>
        _host.WithServiceAsync<ActorDirectory, Actor>(directory => directory.LoadAsync(person.Id, TenantId, CancellationToken.None));

    private Person AddPerson(AppDbContext db, string name, School? school, ProductRoles roles)
    {
        var now = DateTimeOffset.UtcNow;
        var person = new Person
        {
            Id = Guid.NewGuid(), TenantId = TenantId, PlatformId = PlatformId, Subject = Guid.NewGuid().ToString("N"), Name = name,
            CreatedAt = now, LastLaunchAt = now,
        };
        db.People.Add(person);
        if (school is not null)
        {
            db.SchoolMemberships.Add(new SchoolMembership { PersonId = person.Id, SchoolId = school.Id, Roles = roles, Source = MembershipSource.Administrator, UpdatedAt = now });
        }

        return person;
    }
}
