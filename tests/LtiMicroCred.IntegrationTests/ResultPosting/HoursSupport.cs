using System.Text.Json.Nodes;
using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Reviews;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.People;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>
/// The real host with a movable clock, no minutely sweep, no in-client retries (the outbox retries), three sends before
/// a dead letter, a one-second LMS call timeout and short rate-limit pauses, so every fault is seen by the outbox.
/// </summary>
public abstract class HoursHost : ToolHost, IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Lti:ServiceRetryCount"] = "0",
        ["Lti:ServiceAttemptTimeout"] = "00:00:01",
        ["Lti:ServiceMaxRatePause"] = "00:00:00.100",
        ["Outbox:MaxAttempts"] = "3",
    };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<IBackgroundJobClient>();
        Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(OutboxSweepJob.RecurringJobId);
    }

    /// <summary>Runs the send job as a Hangfire worker would, in a scope of its own; a failed send's rethrow is swallowed.</summary>
    public async Task SendAsync(Guid messageId)
    {
        try
        {
            await WithServiceAsync<SendOutboxMessageJob, int>(async job =>
            {
                await job.RunAsync(messageId, CancellationToken.None);
                return 0;
            });
        }
        catch (Exception e) when (e is InvalidOperationException or Lti.Services.LtiServiceException)
        {
            // Recorded on the row, which the test reads.
        }
    }

    public Task<OutboxMessage> MessageAsync(Guid id) => WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    public Task<List<OutboxMessage>> MessagesAsync(Guid tenantId, string kind) =>
        WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == tenantId && m.Kind == kind).ToListAsync());

    /// <summary>The send job also runs on the real Hangfire server: poll the row (no sleeps) until the condition holds.</summary>
    public async Task<OutboxMessage> WaitAsync(Guid id, Func<OutboxMessage, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await MessageAsync(id);
            if (condition(message))
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The message is {message.Status} after {message.Attempts} attempt(s): {message.LastError}");
            await Task.Yield();
        }
    }

    /// <summary>Moves the clock past the row's backoff and sends it again, as the sweep or Hangfire's retry would.</summary>
    public async Task<OutboxMessage> SendWhenDueAsync(Guid id)
    {
        var failed = await WaitAsync(id, m => m.ClaimedBy == null && (m.Attempts > 0 || m.Status != OutboxStatus.Pending));
        Clock.MoveTo(failed.DueAt.AddSeconds(1));
        await SendAsync(id);
        return await MessageAsync(id);
    }
}

public sealed class SqliteHoursHost : HoursHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresHoursHost : HoursHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>A test district whose LMS is the WireMock platform, with helpers for Canvas-shaped AGS answers.</summary>
public sealed class WireMockLms(HoursHost host, TestDistrict district)
{
    public TestDistrict District { get; } = district;

    public string Prefix => $"/api/lti/courses/{District.TenantId:N}";

    public string TokenPath => $"/login/oauth2/token/{District.TenantId:N}";

    public static async Task<WireMockLms> CreateAsync(HoursHost host)
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var lms = new WireMockLms(host, d);
        await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == d.PlatformId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenEndpoint, host.Platform.Url + lms.TokenPath)));
        host.Platform.Server.Given(Request.Create().WithPath(lms.TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"ags-token-" + Guid.NewGuid().ToString("N") + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/score\"}"));
        return lms;
    }

    /// <summary>A course of the district as a launch with the AGS claim records it (null: a launch without AGS).</summary>
    public Task<Guid> CourseAsync(string contextId, bool withAgs = true) => host.WithDbAsync(async db =>
    {
        var course = new Course
        {
            Id = Guid.NewGuid(), TenantId = District.TenantId, PlatformId = District.PlatformId, ContextId = contextId, Title = "Course " + contextId,
            LineItemsUrl = withAgs ? host.Platform.Url + Prefix + "/" + contextId + "/line_items" : null, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course.Id;
    });

    /// <summary>
    /// The course's line items container: empty until a line item is created (Canvas's 201 answer, 02b), then listing it
    /// (02a), so a second find-or-create finds it.
    /// </summary>
    public string StubLineItems(string contextId, string resourceId, string tag, int id)
    {
        var path = Prefix + "/" + contextId + "/line_items";
        var url = host.Platform.Url + path + "/" + id;
        var item = new JsonObject { ["id"] = url, ["scoreMaximum"] = 100.0, ["label"] = "Line item", ["resourceId"] = resourceId, ["tag"] = tag }.ToJsonString();
        var scenario = "items-" + path;
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json; charset=utf-8").WithBody("[]"));
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WillSetStateTo("created")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json; charset=utf-8")
                .WithHeader("X-Rate-Limit-Remaining", "598.73").WithBody(item));
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario).WhenStateIs("created")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json; charset=utf-8").WithBody("[" + item + "]"));
        return url;
    }

    public void StubScores(string lineItemUrl) =>
        host.Platform.Server.Given(Request.Create().WithPath(new Uri(lineItemUrl).AbsolutePath + "/scores").UsingPost()).RespondWith(ScoreResponse());

    /// <summary>The Canvas contract's answer (03_ags_scores_create.json).</summary>
    public static IResponseBuilder ScoreResponse() =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lis.v1.score+json; charset=utf-8")
            .WithBody("{\"resultUrl\":\"https://canvas.example.edu/api/lti/courses/4321/line_items/55/results/9001\"}");

    public List<JsonObject> ScoreBodies(string lineItemUrl) =>
        host.Platform.Server.LogEntries.Where(e => e.RequestMessage.Path == new Uri(lineItemUrl).AbsolutePath + "/scores" && e.RequestMessage.Method == "POST")
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject())
            .ToList();

    public int Requests(string path, string method) =>
        host.Platform.Server.LogEntries.Count(e => e.RequestMessage.Path == path && e.RequestMessage.Method == method);

    /// <summary>Maps a criterion of the district's credential to a line item on the WireMock LMS.</summary>
    public async Task<string> MapAsync(string criterion, string lineItemPath)
    {
        var url = host.Platform.Url + lineItemPath;
        var admin = await District.ActorAsync(District.Admin);
        await Use<LtiMicroCred.Evidence.MapAssignment>(host, u => u.HandleAsync(admin, new LtiMicroCred.Evidence.MapAssignmentCommand(District.Credential.Id, criterion, "course-1", "assignment-" + criterion, null, url), None));
        return url;
    }

    /// <summary>The district's teacher submits and their principal awards (4 in-service hours): the ledger entry.</summary>
    public async Task<LedgerEntry> AwardAsync()
    {
        var id = await SubmittedAsync(host, await District.ActorAsync(District.Teacher), District.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await District.ActorAsync(District.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        return await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));
    }
}

/// <summary>
/// The sandbox district, driven as people would: Ada (teacher at Lincoln), Carla (its principal) and Dev (district admin)
/// launch from the sandbox LMS; a credential of the test catalog is offered for 4 in-service hours without plan approval.
/// </summary>
public static class SandboxDistrict
{
    public static async Task<(Guid TenantId, Credential Credential)> OfferAsync(ToolHost host, string key)
    {
        using (await PageSession.LaunchAsync(host, "teacher-ada", "course-pd-1"))
        using (await PageSession.LaunchAsync(host, "principal-carla"))
        {
        }

        var tenantId = await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == SandboxBootstrap.TenantName).Select(t => t.Id).SingleAsync());
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = key, Title = "Test credential " + key, CreatedAt = DateTimeOffset.UtcNow };
        await host.WithDbAsync(async db =>
        {
            var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = DateTimeOffset.UtcNow };
            credential.CurrentVersionId = version.Id;
            db.Credentials.Add(credential);
            db.CredentialVersions.Add(version);
            db.Offerings.Add(new Offering { Id = Guid.NewGuid(), TenantId = tenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.InServiceHours, 4) });
            if (await db.ProgrammeSettings.SingleOrDefaultAsync(s => s.TenantId == tenantId) is { } settings)
            {
                settings.RequirePlanApproval = false;
            }
            else
            {
                db.ProgrammeSettings.Add(new ProgrammeSettings { TenantId = tenantId, RequirePlanApproval = false });
            }

            await db.SaveChangesAsync();
            return 0;
        });
        return (tenantId, credential);
    }

    public static Task<Actor> ActorAsync(ToolHost host, Guid tenantId, string subject) =>
        host.WithDbAsync(db => db.People.Where(p => p.TenantId == tenantId && p.Subject == subject).Select(p => p.Id).SingleAsync())
            .ContinueWith(id => host.WithServiceAsync<ActorDirectory, Actor>(d => d.LoadAsync(id.Result, tenantId, None))).Unwrap();

    /// <summary>Ada submits and Carla awards: the award's ledger entry.</summary>
    public static async Task<LedgerEntry> AwardAdaAsync(ToolHost host, Guid tenantId, Guid credentialId)
    {
        var id = await SubmittedAsync(host, await ActorAsync(host, tenantId, "teacher-ada"), credentialId);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await ActorAsync(host, tenantId, "principal-carla"), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        return await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));
    }
}
