using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Reviews;

/// <summary>A clock the tests move: the real time plus an offset (shared by the tool and the sandbox, like the Canvas tests' clock).</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock so that "now" is <paramref name="at"/> (to within the time the test takes).</summary>
    public void MoveTo(DateTimeOffset at) => Offset += at - GetUtcNow();
}

/// <summary>The real host with a movable clock and a pinned seed for the reviewers' tie-breaks.</summary>
public abstract class ReviewHost : ToolHost, IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IReviewRandomness>(new ReviewRandomness(seed: 20261124));
    }

    // A job client made at start takes this host's Hangfire settings (see DirectoryHostSettings.StartAsync).
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<IBackgroundJobClient>();
    }
}

public sealed class SqliteReviewHost : ReviewHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresReviewHost : ReviewHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>
/// A district with a peer-reviewed credential (two criteria, four levels, passing at level 1) and helpers to add
/// colleagues and to take a teacher's attempt to submission through the real use cases.
/// </summary>
public sealed class ReviewScenario
{
    private readonly ToolHost _host;

    private ReviewScenario(ToolHost host, TestDistrict district, Credential credential)
    {
        _host = host;
        District = district;
        Credential = credential;
    }

    public TestDistrict District { get; }

    public Credential Credential { get; }

    public static Rubric Rubric { get; } = new()
    {
        Levels = [new RubricLevel("Not yet", 0), new RubricLevel("Developing", 1), new RubricLevel("Proficient", 2), new RubricLevel("Exemplary", 3)],
        Criteria = [new RubricCriterion("analysis", "Analysis", ["Missing", "Partial", "Complete", "Insightful"]), new RubricCriterion("action", "Action", ["None", "Planned", "Taken", "Sustained"])],
        Passing = new PassingRule(MinimumLevel: 1),
    };

    public static async Task<ReviewScenario> CreateAsync(ToolHost host, int requiredReviews = 2, bool anonymous = true, ReviewerEligibility eligibility = ReviewerEligibility.AnyColleague)
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var scenario = new ReviewScenario(host, d, await AddCredentialAsync(d));
        if (requiredReviews > 0)
        {
            await scenario.SetPolicyAsync(new ReviewPolicyInput(requiredReviews, anonymous, 5, 1, 2, eligibility));
        }

        return scenario;
    }

    /// <summary>Another peer-reviewed credential of the district (a teacher has one open attempt per credential).</summary>
    public async Task<Credential> AddCredentialAsync(ReviewPolicyInput policy)
    {
        var credential = await AddCredentialAsync(District);
        await SetPolicyAsync(policy, credential.Id);
        return credential;
    }

    private static async Task<Credential> AddCredentialAsync(TestDistrict d)
    {
        var definition = TestDistrict.Definition(new SubmissionCriterion { Key = "sample", Title = "Work sample", Kind = EvidenceKind.WorkSample }) with { Rubric = Rubric };
        var (credential, _, _) = await d.AddCredentialAsync("peer-" + Guid.NewGuid().ToString("N")[..6], "Peer reviewed practice", definition: definition);
        return credential;
    }

    public async Task SetPolicyAsync(ReviewPolicyInput input, Guid? credentialId = null) =>
        await _host.WithServiceAsync<SetReviewPolicy, int>(async u => { await u.HandleAsync(await District.ActorAsync(District.Admin), credentialId ?? Credential.Id, input, CancellationToken.None); return 0; });

    /// <summary>A colleague with the given roles at a school (or none).</summary>
    public async Task<Person> AddPersonAsync(string name, School? school, ProductRoles schoolRoles = ProductRoles.Teacher, ProductRoles assigned = ProductRoles.None)
    {
        var now = DateTimeOffset.UtcNow;
        var person = new Person
        {
            Id = Guid.NewGuid(), TenantId = District.TenantId, PlatformId = District.PlatformId, Subject = Guid.NewGuid().ToString("N"), Name = name,
            CreatedAt = now, LastLaunchAt = now, AssignedRoles = assigned,
        };
        await _host.WithDbAsync(async db =>
        {
            db.People.Add(person);
            if (school is not null)
            {
                db.SchoolMemberships.Add(new SchoolMembership { PersonId = person.Id, SchoolId = school.Id, Roles = schoolRoles, Source = MembershipSource.Administrator, UpdatedAt = now });
            }

            return await db.SaveChangesAsync();
        });
        return person;
    }

    /// <summary>Starts the teacher's attempt, adds evidence and submits it through the real use cases.</summary>
    public async Task<Guid> SubmitAsync(Person teacher, Credential? credential = null)
    {
        var actor = await District.ActorAsync(teacher);
        var id = await _host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(actor, (credential ?? Credential).Id, CancellationToken.None));
        await Run<StartWork>(u => u.HandleAsync(actor, id, CancellationToken.None));
        await _host.WithServiceAsync<AddDirectEvidence, Guid>(u => u.HandleAsync(actor, id, new LinkEvidence("sample", "Unit plan", "https://docs.example/unit"), CancellationToken.None));
        await Run<SubmitForReview>(u => u.HandleAsync(actor, id, CancellationToken.None));
        return id;
    }

    public Task<List<ReviewAssignment>> ReviewsAsync(Guid attemptId) =>
        _host.WithDbAsync(db => db.ReviewAssignments.AsNoTracking().Where(r => r.AttemptId == attemptId).OrderBy(r => r.AllocatedAt).ToListAsync());

    public Task<Attempt> AttemptAsync(Guid attemptId) => _host.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == attemptId));

    public async Task<Actor> ActorAsync(Guid personId) =>
        await _host.WithServiceAsync<ActorDirectory, Actor>(directory => directory.LoadAsync(personId, District.TenantId, CancellationToken.None));

    /// <summary>The reviewer submits levels for (analysis, action) with feedback.</summary>
    public async Task SubmitReviewAsync(ReviewAssignment review, int analysis, int action, string overall = "Clear evidence.")
    {
        var reviewer = await ActorAsync(review.ReviewerId);
        await Run<SubmitReview>(u => u.HandleAsync(reviewer, review.Id, Input(analysis, action, overall), CancellationToken.None));
    }

    public static ReviewInput Input(int? analysis, int? action, string? overall = null) => new(
        new Dictionary<string, int?> { ["analysis"] = analysis, ["action"] = action },
        new Dictionary<string, string?> { ["analysis"] = "On analysis: " + analysis, ["action"] = "On action: " + action },
        overall);

    public Task Run<T>(Func<T, Task> action) where T : notnull =>
        _host.WithServiceAsync<T, int>(async u => { await action(u); return 0; });
}
