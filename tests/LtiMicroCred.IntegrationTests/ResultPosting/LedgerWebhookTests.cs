using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LtiMicroCred.Access;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Outbox;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting.Webhooks;
using Microsoft.EntityFrameworkCore;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>
/// The PD-system webhook through the real outbox, the real Hangfire server and a WireMock receiver on a dynamic port:
/// the signed body of an award, a retry with the same event id, nothing when off, the secret encrypted at rest.
/// </summary>
public abstract class LedgerWebhookTests<THost>(THost host) : IDisposable where THost : OutboxHost
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
    public async Task AnAward_IsPostedAsSignedJson_WithTheOutboxEventId_AndTheSecretIsNotStoredInPlainText()
    {
        host.Clock.Offset = TimeSpan.Zero;
        Answer(HttpStatusCode.OK);
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var admin = await d.ActorAsync(d.Admin);
        await SetAsync(admin, enabled: true);

        var entry = await AwardAsync(d);
        var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.TenantId == d.TenantId && m.Kind == LedgerWebhook.Kind));
        var done = await WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
        Assert.Equal(1, done.Attempts);

        var request = Assert.Single(Requests()).RequestMessage;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/ledger", request.Path);
        Assert.StartsWith("application/json", Header(request, "Content-Type"), StringComparison.Ordinal);
        Assert.Equal(message.EventId.ToString(), Header(request, WebhookSignature.EventIdHeader));
        var raw = request.BodyAsBytes!;
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), raw)), Header(request, WebhookSignature.Header));
        Assert.NotEqual("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("another secret"), raw)), Header(request, WebhookSignature.Header));

        using var json = JsonDocument.Parse(raw);
        var body = json.RootElement;
        Assert.Equal((message.EventId.ToString(), "ledger.entry", d.TenantId.ToString()), (body.GetProperty("eventId").GetString(), body.GetProperty("type").GetString(), body.GetProperty("tenant").GetString()));
        Assert.Equal(entry.ApprovedAt, body.GetProperty("occurredAt").GetDateTimeOffset());
        var teacher = body.GetProperty("teacher");
        Assert.Equal((d.Teacher.Name, d.Teacher.Email, d.Teacher.Subject), (teacher.GetProperty("name").GetString(), teacher.GetProperty("email").GetString(), teacher.GetProperty("ltiSubject").GetString()));
        var credential = body.GetProperty("credential");
        Assert.Equal((d.Credential.Key, d.Credential.Title), (credential.GetProperty("key").GetString(), credential.GetProperty("title").GetString()));
        var e = body.GetProperty("entry");
        Assert.Equal((entry.Id.ToString(), "award", "in_service_hours", 4m), (e.GetProperty("id").GetString(), e.GetProperty("entryType").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("amount").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, e.GetProperty("cpdUnits").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("reversesEntryId").ValueKind);

        // At rest: Data Protection ciphertext, not the secret; the audit names the change, not the secret.
        var column = await host.WithDbAsync(db => db.WebhookSettings.Where(s => s.TenantId == d.TenantId).Select(s => s.SecretCiphertext).SingleAsync());
        Assert.DoesNotContain(Secret, column, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), column, StringComparison.Ordinal);
        var audits = await host.WithDbAsync(db => db.AuditEntries.Where(a => a.TenantId == d.TenantId && a.Action == "policy.changed").Select(a => a.Detail).ToListAsync());
        Assert.Contains(audits, a => a!.Contains("PD-system webhook on", StringComparison.Ordinal));
        Assert.DoesNotContain(audits, a => a!.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReceiverThatAnswers500ThenOk_GetsTheSameEventIdTwice_AndTheMessageEndsDone()
    {
        host.Clock.Offset = TimeSpan.Zero;
        Answer(HttpStatusCode.InternalServerError);
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SetAsync(await d.ActorAsync(d.Admin), enabled: true);
        try
        {
            await AwardAsync(d);
            var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.TenantId == d.TenantId && m.Kind == LedgerWebhook.Kind));
            var failed = await WaitAsync(message.Id, m => m.Attempts == 1 && m.ClaimedBy == null);
            Assert.Equal(OutboxStatus.Pending, failed.Status);
            Assert.Contains("500", failed.LastError, StringComparison.Ordinal);

            Answer(HttpStatusCode.OK);
            host.Clock.MoveTo(failed.DueAt.AddSeconds(1));
            await host.SendAsync(message.Id);

            var done = await host.MessageAsync(message.Id);
            Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
            var requests = Requests();
            Assert.Equal(2, requests.Count);
            Assert.All(requests, r => Assert.Equal(message.EventId.ToString(), Header(r.RequestMessage, WebhookSignature.EventIdHeader)));
            Assert.Equal(requests[0].RequestMessage.Body, requests[1].RequestMessage.Body);
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task AWebhookThatIsOff_EnqueuesNothing_AndACorrectionWhenOn_EnqueuesTheReversalAndTheCorrectedAward()
    {
        host.Clock.Offset = TimeSpan.Zero;
        Answer(HttpStatusCode.OK);
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var admin = await d.ActorAsync(d.Admin);
        await SetAsync(admin, enabled: false);

        var entry = await AwardAsync(d);
        Assert.Equal(0, await host.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.TenantId == d.TenantId && m.Kind == LedgerWebhook.Kind)));

        // On again, with the stored secret kept (no new secret given).
        await Use<SetWebhookSettings>(host, u => u.HandleAsync(admin, Url, null, true, None));
        var reversal = await host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(admin, entry.Id, "The session was 3 hours.", 3m, None));
        var messages = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == d.TenantId && m.Kind == LedgerWebhook.Kind).ToListAsync());
        var corrected = await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.TenantId == d.TenantId && e.EntryType == LedgerEntryType.Award && e.Id != entry.Id));
        Assert.Equal(new[] { reversal, corrected.Id }.Order(), messages.Select(m => JsonSerializer.Deserialize<LedgerWebhookPayload>(m.Payload, JsonSerializerOptions.Web)!.EntryId).Order());
        foreach (var m in messages)
        {
            await WaitAsync(m.Id, x => x.Status == OutboxStatus.Done);
        }

        var bodies = Requests().Select(r => JsonDocument.Parse(r.RequestMessage.Body!).RootElement.GetProperty("entry")).ToList();
        var reversed = Assert.Single(bodies, b => b.GetProperty("entryType").GetString() == "correction");
        Assert.Equal((entry.Id.ToString(), -4m), (reversed.GetProperty("reversesEntryId").GetString(), reversed.GetProperty("amount").GetDecimal()));
        Assert.All(Requests(), r => Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), r.RequestMessage.BodyAsBytes!)), Header(r.RequestMessage, WebhookSignature.Header)));
    }

    [Fact]
    public async Task TheSetting_RefusesPlainHttpAndShortSecrets_AndOnlyADistrictAdminMayChangeIt()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var admin = await d.ActorAsync(d.Admin);

        var http = await Assert.ThrowsAsync<InvalidInputException>(() => Use<SetWebhookSettings>(host, u => u.HandleAsync(admin, "http://pd.example.org/hook", Secret, true, None)));
        Assert.True(http.Errors.ContainsKey("url"));
        var shortSecret = await Assert.ThrowsAsync<InvalidInputException>(() => Use<SetWebhookSettings>(host, u => u.HandleAsync(admin, "https://pd.example.org/hook", "short", true, None)));
        Assert.True(shortSecret.Errors.ContainsKey("secret"));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<SetWebhookSettings>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), "https://pd.example.org/hook", Secret, true, None)));
        Assert.False(await host.WithDbAsync(db => db.WebhookSettings.AnyAsync(s => s.TenantId == d.TenantId)));

        await Use<SetWebhookSettings>(host, u => u.HandleAsync(admin, "https://pd.example.org/hook", Secret, true, None));
        var view = await host.WithServiceAsync<WebhookQueries, WebhookSettingsView>(q => q.GetAsync(admin, None));
        Assert.Equal(new WebhookSettingsView("https://pd.example.org/hook", true, true), view);
    }

    [Fact]
    public async Task ThePage_LetsADistrictAdminSaveTheWebhook_ShowsNoSecret_AndRefusesATeacher()
    {
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/webhook")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync("/app/district/webhook")).StatusCode);
        Assert.Contains("/app/district/webhook", await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await dev.GetAsync("/app/district/webhook");
        var refused = await dev.PostAsync("/app/district/webhook", new Dictionary<string, string> { ["url"] = "http://pd.example.org/hook", ["secret"] = Secret, ["enabled"] = "true" });
        Assert.Contains("full https address", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        await dev.GetAsync("/app/district/webhook");
        await dev.FollowAsync(await dev.PostAsync("/app/district/webhook", new Dictionary<string, string> { ["url"] = Url, ["secret"] = Secret, ["enabled"] = "true" }));
        Assert.Contains("The webhook is saved.", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains(Url, dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("a secret is stored", dev.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, dev.LastPage, StringComparison.Ordinal);
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.TenantId).SingleAsync());
        var saved = await host.WithDbAsync(db => db.WebhookSettings.SingleAsync(s => s.TenantId == tenantId));
        Assert.Equal((Url, true), (saved.Url, saved.Enabled));
    }

    private string Url => receiver.Url + "/hooks/ledger";

    private void Answer(HttpStatusCode status)
    {
        receiver.ResetMappings();
        receiver.Given(Request.Create().WithPath("/hooks/ledger").UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
    }

    private List<ILogEntry> Requests() => receiver.LogEntries.Where(e => e.RequestMessage.Path == "/hooks/ledger").OrderBy(e => e.RequestMessage.DateTime).ToList();

    private static string? Header(WireMock.IRequestMessage request, string name) =>
        request.Headers!.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => string.Join(",", h.Value)).SingleOrDefault();

    private Task SetAsync(Actor admin, bool enabled) => Use<SetWebhookSettings>(host, u => u.HandleAsync(admin, Url, Secret, enabled, None));

    private async Task<LedgerEntry> AwardAsync(TestDistrict d)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        return await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));
    }

    /// <summary>The send job runs on the Hangfire server: poll the row (no sleeps) until it says so.</summary>
    private async Task<OutboxMessage> WaitAsync(Guid id, Func<OutboxMessage, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await host.MessageAsync(id);
            if (until(message))
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The message is still {message.Status} after {message.Attempts} attempt(s): {message.LastError}");
            await Task.Yield();
        }
    }
}

public sealed class LedgerWebhookTests_Sqlite(SqliteOutboxHost host) : LedgerWebhookTests<SqliteOutboxHost>(host), IClassFixture<SqliteOutboxHost>;

public sealed class LedgerWebhookTests_PostgreSql(PostgresOutboxHost host) : LedgerWebhookTests<PostgresOutboxHost>(host), IClassFixture<PostgresOutboxHost>;
