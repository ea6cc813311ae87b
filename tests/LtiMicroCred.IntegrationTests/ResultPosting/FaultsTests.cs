using System.Net;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting;
using LtiMicroCred.ResultPosting.Webhooks;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>
/// What the LMS and the PD system do wrong, through the real outbox, the send job and the real Hangfire server: each
/// fault is answered by a retry, nothing is lost (every expected request arrives), and what cannot be sent becomes a
/// dead letter a district admin sends again from the page.
/// </summary>
public abstract class FaultsTests<THost>(THost host) : IDisposable where THost : HoursHost
{
    private const string Secret = "pd-system-shared-secret-0123456789";
    private readonly WireMockServer receiver = WireMockServer.Start();

    public void Dispose()
    {
        receiver.Stop();
        receiver.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Ags500ThenOk_TheOutboxRetryPostsTheScore_DoneAfterTwoSends()
    {
        var (lms, scores, message) = await GradeWithFirstAnswerAsync(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json")
            .WithBody("{\"errors\":[{\"message\":\"An error occurred.\"}]}"));
        var failed = await host.WaitAsync(message, m => m.Attempts == 1 && m.ClaimedBy == null);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Contains("500", failed.LastError, StringComparison.Ordinal);

        var done = await host.SendWhenDueAsync(message);
        Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
        Assert.Equal(2, lms.Requests(scores, "POST"));
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task Ags401_GetsAFreshToken_AndTheScoreIsPostedInTheSameSend()
    {
        var (lms, scores, message) = await GradeWithFirstAnswerAsync(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
            .WithBody("{\"errors\":{\"type\":\"unauthorized\",\"message\":\"Invalid access token.\"}}"));
        var done = await host.WaitAsync(message, m => m.Status == OutboxStatus.Done);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(2, lms.Requests(lms.TokenPath, "POST"));
        var posts = host.Platform.Server.LogEntries.Where(e => e.RequestMessage.Path == scores).OrderBy(e => e.RequestMessage.DateTime).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(401, posts[0].ResponseMessage.StatusCode);
        Assert.Equal(200, posts[1].ResponseMessage.StatusCode);
    }

    [Fact]
    public async Task CanvasThrottle403_IsRetriedByTheOutbox_ThenPosted()
    {
        // 10_error_throttled.json: plain text, no Retry-After, the bucket empty.
        var (lms, scores, message) = await GradeWithFirstAnswerAsync(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "text/plain; charset=utf-8")
            .WithHeader("X-Rate-Limit-Remaining", "0.0").WithBody("403 Forbidden (Rate Limit Exceeded)\n"));
        var failed = await host.WaitAsync(message, m => m.Attempts == 1 && m.ClaimedBy == null);
        Assert.Contains("Rate Limit Exceeded", failed.LastError, StringComparison.Ordinal);

        var done = await host.SendWhenDueAsync(message);
        Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
        Assert.Equal(2, lms.Requests(scores, "POST"));
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task AgsTimeout_CountsAsAFailedSend_ThenTheRetryPosts()
    {
        // Lti:ServiceAttemptTimeout is one second here; the LMS answers after three.
        var (lms, scores, message) = await GradeWithFirstAnswerAsync(WireMockLms.ScoreResponse().WithDelay(TimeSpan.FromSeconds(3)));
        var failed = await host.WaitAsync(message, m => m.Attempts == 1 && m.ClaimedBy == null);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Contains("could not be reached", failed.LastError, StringComparison.OrdinalIgnoreCase);

        // WireMock moves its scenario on once the slow answer is written: wait for that, not for a fixed time.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (lms.Requests(scores, "POST") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The slow answer never finished.");
            await Task.Yield();
        }

        var done = await host.SendWhenDueAsync(message);
        Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
        Assert.Equal(2, lms.Requests(scores, "POST"));
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task WebhookReceiverDownForTwoSends_ThenUp_GetsTheSameEventIdEachTime_AndTheMessageIsDone()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        var scenario = "down-" + path;
        receiver.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WillSetStateTo("still down")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        receiver.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WhenStateIs("still down").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        receiver.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200));
        var lms = await WireMockLms.CreateAsync(host);
        await Use<SetWebhookSettings>(host, async u => await u.HandleAsync(await lms.District.ActorAsync(lms.District.Admin), receiver.Url + path, Secret, true, None));

        await lms.AwardAsync();
        var message = Assert.Single(await host.MessagesAsync(lms.District.TenantId, LedgerWebhook.Kind));
        var failed = await host.WaitAsync(message.Id, m => m.Attempts == 1 && m.ClaimedBy == null);
        Assert.Contains("503", failed.LastError, StringComparison.Ordinal);
        Assert.Equal((OutboxStatus.Pending, 2), ((await host.SendWhenDueAsync(message.Id)).Status, (await host.MessageAsync(message.Id)).Attempts));
        var done = await host.SendWhenDueAsync(message.Id);
        Assert.Equal((OutboxStatus.Done, 3), (done.Status, done.Attempts));

        var requests = receiver.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(message.EventId.ToString(), r.RequestMessage.Headers![WebhookSignature.EventIdHeader].Single()));
        Assert.Single(requests.Select(r => r.RequestMessage.Body).Distinct());
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task AReceiverThatAlwaysFails_IsADeadLetterAfterMaxAttempts_ShownOnThePage_AndTheRetryFromThePageIsDone()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        receiver.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("Bad Gateway"));
        var (tenantId, credential) = await SandboxDistrict.OfferAsync(host, "faults-dead");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        await dev.GetAsync("/app/district/webhook");
        await dev.FollowAsync(await dev.PostAsync("/app/district/webhook", new Dictionary<string, string> { ["url"] = receiver.Url + path, ["secret"] = Secret, ["enabled"] = "true" }));

        var entry = await SandboxDistrict.AwardAdaAsync(host, tenantId, credential.Id);
        var message = Assert.Single(await host.MessagesAsync(tenantId, LedgerWebhook.Kind), m => m.Payload.Contains(entry.Id.ToString(), StringComparison.Ordinal));
        await host.WaitAsync(message.Id, m => m.Attempts == 1 && m.ClaimedBy == null);
        await host.SendWhenDueAsync(message.Id);
        var dead = await host.SendWhenDueAsync(message.Id);
        Assert.Equal((OutboxStatus.Dead, 3), (dead.Status, dead.Attempts));
        Assert.Equal("The PD system answered 502 Bad Gateway.", dead.LastError);

        // Dead: neither Hangfire's retry nor the sweep sends it again.
        host.Clock.MoveTo(dead.DueAt.AddSeconds(1));
        await host.SendAsync(message.Id);
        Assert.Equal(3, receiver.LogEntries.Count(e => e.RequestMessage.Path == path));
        host.Clock.Offset = TimeSpan.Zero;

        await dev.GetAsync("/app/district/outbox");
        Assert.Contains("The PD system answered 502 Bad Gateway.", WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        Assert.Contains($"value=\"{message.Id}\"", dev.LastPage, StringComparison.Ordinal);

        // The PD system is fixed; the admin sends it again from the page, and the real Hangfire server sends it.
        receiver.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(200));
        await dev.FollowAsync(await dev.PostAsync("/app/district/outbox?handler=Retry", new Dictionary<string, string> { ["messageId"] = message.Id.ToString() }));
        Assert.Contains("The message is queued to be sent again.", dev.LastPage, StringComparison.Ordinal);
        var done = await host.WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
        Assert.Equal(1, done.Attempts);
        var requests = receiver.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal(message.EventId.ToString(), r.RequestMessage.Headers![WebhookSignature.EventIdHeader].Single()));
    }

    /// <summary>A WireMock district with one mapped line item whose first score POST gets <paramref name="first"/> and the next ones 200; the award's grade message.</summary>
    private async Task<(WireMockLms Lms, string ScoresPath, Guid MessageId)> GradeWithFirstAnswerAsync(IResponseBuilder first)
    {
        host.Clock.Offset = TimeSpan.Zero;
        var lms = await WireMockLms.CreateAsync(host);
        var scores = lms.Prefix + "/line_items/1/scores";
        await lms.MapAsync("sample", lms.Prefix + "/line_items/1");
        var scenario = "fault-" + scores;
        host.Platform.Server.Given(Request.Create().WithPath(scores).UsingPost()).InScenario(scenario).WillSetStateTo("up").RespondWith(first);
        host.Platform.Server.Given(Request.Create().WithPath(scores).UsingPost()).InScenario(scenario).WhenStateIs("up").RespondWith(WireMockLms.ScoreResponse());
        await lms.AwardAsync();
        var message = Assert.Single(await host.MessagesAsync(lms.District.TenantId, GradePassback.Kind));
        return (lms, scores, message.Id);
    }
}

public sealed class FaultsTests_Sqlite(SqliteHoursHost host) : FaultsTests<SqliteHoursHost>(host), IClassFixture<SqliteHoursHost>;

public sealed class FaultsTests_PostgreSql(PostgresHoursHost host) : FaultsTests<PostgresHoursHost>(host), IClassFixture<PostgresHoursHost>;
