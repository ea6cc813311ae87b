using System.Text.Json.Nodes;
using Hangfire;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Reviews;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>The real host with a movable clock, no minutely sweep, and no in-client retries (the outbox retries).</summary>
public abstract class GradePassbackHost : ToolHost, IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Lti:ServiceRetryCount"] = "0" };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<IBackgroundJobClient>();
        Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(OutboxSweepJob.RecurringJobId);
    }

    public Task SendAsync(Guid messageId) => WithServiceAsync<SendOutboxMessageJob, int>(async job =>
    {
        await job.RunAsync(messageId, CancellationToken.None);
        return 0;
    });
}

public sealed class SqliteGradePassbackHost : GradePassbackHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresGradePassbackHost : GradePassbackHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>
/// A decision posts its score to each mapped line item through the outbox, to a WireMock LMS (token endpoint and
/// Canvas-shaped score endpoint): the body, idempotent resends, the outbox's retry after a 5xx.
/// </summary>
public abstract class GradePassbackTests<THost>(THost host) where THost : GradePassbackHost
{
    [Fact]
    public async Task Award_PostsRubricTotal_ToEachMappedLineItem_WithDecisionTimeAndTeacherId_AndASecondRunPostsNothing()
    {
        var (d, prefix) = await DistrictOnWireMockAsync();
        var sample = await MapAsync(d, "sample", prefix + "/line_items/1");
        var video = await MapAsync(d, "video", prefix + "/line_items/2");
        StubScores(prefix + "/line_items/1/scores");
        StubScores(prefix + "/line_items/2/scores");
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);

        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback("Private words"), "Well done, private note."), None));

        var decision = await host.WithDbAsync(db => db.AttemptDecisions.AsNoTracking().SingleAsync(x => x.AttemptId == id));
        var messages = await GradeMessagesAsync(d.TenantId);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Contains(decision.Id.ToString(), m.Payload, StringComparison.Ordinal));
        foreach (var m in messages)
        {
            await WaitAsync(m.Id, x => x.Status == OutboxStatus.Done);
        }

        foreach (var url in new[] { sample, video })
        {
            var body = Assert.Single(ScoreBodies(new Uri(url).AbsolutePath + "/scores"));
            Assert.Equal(d.Teacher.Subject, (string?)body["userId"]);
            Assert.Equal(2d, (double?)body["scoreGiven"]);
            Assert.Equal(2d, (double?)body["scoreMaximum"]);
            Assert.Equal(decision.DecidedAt, DateTimeOffset.Parse((string)body["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("Completed", (string?)body["activityProgress"]);
            Assert.Equal("FullyGraded", (string?)body["gradingProgress"]);
            Assert.Contains("awarded", (string?)body["comment"], StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("private", (string?)body["comment"], StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(2, host.Platform.Server.LogEntries.Count(e => e.RequestMessage.Path.StartsWith(prefix + "/line_items/", StringComparison.Ordinal)));
        foreach (var m in messages)
        {
            await host.SendAsync(m.Id);
        }

        Assert.Equal(2, host.Platform.Server.LogEntries.Count(e => e.RequestMessage.Path.StartsWith(prefix + "/line_items/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NotYet_OnCompleteIncomplete_AfterA503_IsSentAgainByTheOutboxRetry_AsZeroOfOne()
    {
        var (d, prefix) = await DistrictOnWireMockAsync();
        await host.WithDbAsync(db => db.ProgrammeSettings.Where(s => s.TenantId == d.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.GradeScale, GradeScale.CompleteIncomplete)));
        var scores = prefix + "/line_items/1/scores";
        await MapAsync(d, "sample", prefix + "/line_items/1");
        var scenario = "grade-" + d.TenantId;
        host.Platform.Server.Given(Request.Create().WithPath(scores).UsingPost()).InScenario(scenario).WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        host.Platform.Server.Given(Request.Create().WithPath(scores).UsingPost()).InScenario(scenario).WhenStateIs("up")
            .RespondWith(ScoreResponse());
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);

        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Add the re-teaching plan."), null), None));

        var message = Assert.Single(await GradeMessagesAsync(d.TenantId));
        var failed = await WaitAsync(message.Id, m => m.Attempts >= 1);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Contains("503", failed.LastError ?? string.Empty, StringComparison.Ordinal);
        try
        {
            host.Clock.MoveTo(failed.DueAt.AddSeconds(1));
            await host.SendAsync(message.Id);
            var done = await WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
            Assert.Equal(2, done.Attempts);
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }

        var bodies = ScoreBodies(scores);
        Assert.Equal(2, bodies.Count);
        var decidedAt = await host.WithDbAsync(db => db.AttemptDecisions.Where(x => x.AttemptId == id).Select(x => x.DecidedAt).SingleAsync());
        Assert.All(bodies, body =>
        {
            Assert.Equal(0d, (double?)body["scoreGiven"]);
            Assert.Equal(1d, (double?)body["scoreMaximum"]);
            Assert.Equal("FullyGraded", (string?)body["gradingProgress"]);
            Assert.Equal(decidedAt, DateTimeOffset.Parse((string)body["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.StartsWith("Not yet", (string?)bodies[1]["comment"], StringComparison.Ordinal);
        Assert.DoesNotContain("re-teaching", (string?)bodies[1]["comment"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotYet_PostsPending_ALaterAwardReplacesIt_AndAResendOfTheOlderDecisionPostsNothing()
    {
        var (d, prefix) = await DistrictOnWireMockAsync();
        await host.WithDbAsync(db => db.ProgrammeSettings.Where(s => s.TenantId == d.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NotYetGrade, NotYetGrade.Pending)));
        var scores = prefix + "/line_items/1/scores";
        await MapAsync(d, "sample", prefix + "/line_items/1");
        StubScores(scores);
        var teacher = await d.ActorAsync(d.Teacher);
        var principal = await d.ActorAsync(d.Principal);
        var first = await SubmittedAsync(host, teacher, d.Credential.Id);

        await Use<DecideAttempt>(host, u => u.HandleAsync(principal, first, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Add the re-teaching plan."), null), None));
        var notYet = Assert.Single(await GradeMessagesAsync(d.TenantId));
        await WaitAsync(notYet.Id, m => m.Status == OutboxStatus.Done);
        var pending = Assert.Single(ScoreBodies(scores));
        Assert.Equal("Pending", (string?)pending["gradingProgress"]);
        Assert.Equal("Completed", (string?)pending["activityProgress"]);
        Assert.Null(pending["scoreGiven"]);

        var second = await host.WithServiceAsync<LtiMicroCred.Attempts.ResubmitAttempt, Guid>(u => u.HandleAsync(teacher, first, None));
        await Use<LtiMicroCred.Attempts.SubmitForReview>(host, u => u.HandleAsync(teacher, second, None));
        await Use<DecideAttempt>(host, u => u.HandleAsync(principal, second, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        var award = Assert.Single(await GradeMessagesAsync(d.TenantId), m => m.Id != notYet.Id);
        await WaitAsync(award.Id, m => m.Status == OutboxStatus.Done);
        var bodies = ScoreBodies(scores);
        Assert.Equal(2, bodies.Count);
        Assert.Equal(("FullyGraded", 2d), ((string?)bodies[1]["gradingProgress"], (double?)bodies[1]["scoreGiven"]));
        Assert.True(DateTimeOffset.Parse((string)bodies[1]["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse((string)pending["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));

        // The older decision's message sent again (its "done" lost in a crash): skipped, marked done, nothing posted.
        await host.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == notYet.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending)));
        await host.SendAsync(notYet.Id);
        Assert.Equal(OutboxStatus.Done, (await WaitAsync(notYet.Id, m => m.Status == OutboxStatus.Done)).Status);
        Assert.Equal(2, ScoreBodies(scores).Count);
    }

    /// <summary>A district whose platform's token endpoint is on the WireMock LMS; its LMS paths start with the returned prefix.</summary>
    private async Task<(TestDistrict District, string Prefix)> DistrictOnWireMockAsync()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var prefix = $"/api/lti/courses/{d.TenantId:N}";
        var token = $"/login/oauth2/token/{d.TenantId:N}";
        await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == d.PlatformId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenEndpoint, host.Platform.Url + token)));
        host.Platform.Server.Given(Request.Create().WithPath(token).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"ags-token\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/score\"}"));
        return (d, prefix);
    }

    private async Task<string> MapAsync(TestDistrict d, string criterion, string lineItemPath)
    {
        var url = host.Platform.Url + lineItemPath;
        var admin = await d.ActorAsync(d.Admin);
        await Use<MapAssignment>(host, u => u.HandleAsync(admin, new MapAssignmentCommand(d.Credential.Id, criterion, "course-1", "assignment-" + criterion, null, url), None));
        return url;
    }

    private void StubScores(string path) =>
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(ScoreResponse());

    // The Canvas contract's answer (03_ags_scores_create.json).
    private static IResponseBuilder ScoreResponse() =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lis.v1.score+json; charset=utf-8")
            .WithBody("{\"resultUrl\":\"https://canvas.example.edu/api/lti/courses/4321/line_items/55/results/9001\"}");

    private List<JsonObject> ScoreBodies(string path) =>
        host.Platform.Server.LogEntries.Where(e => e.RequestMessage.Path == path && e.RequestMessage.Method == "POST")
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject())
            .ToList();

    private Task<List<OutboxMessage>> GradeMessagesAsync(Guid tenantId) =>
        host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == tenantId && m.Kind == GradePassback.Kind).ToListAsync());

    /// <summary>The send job runs on the real Hangfire server: wait for its write to the row.</summary>
    private async Task<OutboxMessage> WaitAsync(Guid id, Func<OutboxMessage, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));
            if (condition(message) || DateTime.UtcNow > deadline)
            {
                Assert.True(condition(message), $"The grade message is {message.Status} after {message.Attempts} attempt(s): {message.LastError}");
                return message;
            }

            await Task.Yield();
        }
    }
}

public sealed class GradePassbackTests_Sqlite(SqliteGradePassbackHost host) : GradePassbackTests<SqliteGradePassbackHost>(host), IClassFixture<SqliteGradePassbackHost>;

public sealed class GradePassbackTests_PostgreSql(PostgresGradePassbackHost host) : GradePassbackTests<PostgresGradePassbackHost>(host), IClassFixture<PostgresGradePassbackHost>;
