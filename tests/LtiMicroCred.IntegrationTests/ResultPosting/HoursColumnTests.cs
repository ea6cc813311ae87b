using System.Text.Json.Nodes;
using LtiMicroCred.Access;
using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting.Hours;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>
/// The in-service hours total copied to a Canvas custom gradebook column in the PD course, through the real outbox,
/// Hangfire and Canvas client, against WireMock answering with the Canvas contract's shapes (07c, 07d, 07f).
/// </summary>
public abstract class HoursColumnTests<THost>(THost host) where THost : HoursHost
{
    private const long AdminCanvasId = 9001;
    private const long TeacherCanvasId = 7001;
    private const long ColumnId = 412;

    [Fact]
    public async Task ColumnOption_IsRefused_UntilThePdCourseIsACanvasCourse_AndTheAdminHasConnectedCanvas()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var (lms, pd, canvasCourseId) = await PdCourseAsync(canvasCourse: false);
        var d = lms.District;
        var admin = await d.ActorAsync(d.Admin);

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<SetHoursColumn>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), true, None)));
        var notCanvas = await Refused(admin);
        Assert.Contains("not a Canvas course", notCanvas, StringComparison.Ordinal);

        await host.WithDbAsync(db => db.Courses.Where(c => c.Id == pd).ExecuteUpdateAsync(s => s.SetProperty(c => c.CanvasCourseId, canvasCourseId)));
        Assert.Contains("developer key", await Refused(admin), StringComparison.Ordinal);

        await SetDeveloperKeyAsync(d.TenantId);
        Assert.Contains("Connect the tool to Canvas first", await Refused(admin), StringComparison.Ordinal);
        var view = await host.WithServiceAsync<HoursQueries, HoursSettingsView>(q => q.GetAsync(admin, pd, None));
        Assert.Equal((false, false), (view.Column!.Enabled, view.Column.Offered));
        Assert.Contains("Connect the tool to Canvas first", view.Column.NotOfferedReason, StringComparison.Ordinal);

        // Nothing stored, nothing asked of Canvas, and an award queues no column message.
        Assert.False(await host.WithDbAsync(db => db.HoursSettings.Where(s => s.TenantId == d.TenantId).Select(s => s.ColumnEnabled).SingleAsync()));
        Assert.Equal(0, lms.Requests(ColumnsPath(canvasCourseId), "GET") + lms.Requests(ColumnsPath(canvasCourseId), "POST"));
        Assert.Equal(0, await host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.TenantId == d.TenantId && a.Detail!.Contains("Canvas column"))));
        await lms.AwardAsync();
        Assert.Empty(await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind));
    }

    [Fact]
    public async Task Column_IsCreatedOnce_AndShowsTheTeachersTotal_AfterAnAwardAndACorrection()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var (lms, pd, canvasCourseId) = await PdCourseAsync(canvasCourse: true);
        var d = lms.District;
        var admin = await d.ActorAsync(d.Admin);
        await SetDeveloperKeyAsync(d.TenantId);
        await ConnectAsync(d.TenantId, d.Admin.Id, "admin-token-" + d.TenantId.ToString("N"));
        await SetCanvasUserIdAsync(d.Teacher.Id, TeacherCanvasId);
        StubColumns(lms, canvasCourseId);
        var cell = StubCell(canvasCourseId, TeacherCanvasId);

        // Turned on twice: one column made (the second finds it by title), read-only, not the notes column; audited.
        await Use<SetHoursColumn>(host, u => u.HandleAsync(admin, true, None));
        await Use<SetHoursColumn>(host, u => u.HandleAsync(admin, true, None));
        Assert.Equal(1, lms.Requests(ColumnsPath(canvasCourseId), "POST"));
        var created = Bodies(ColumnsPath(canvasCourseId), "POST").Single()["column"]!;
        Assert.Equal(("In-service hours", true, false, false), ((string?)created["title"], (bool?)created["read_only"], (bool?)created["teacher_notes"], (bool?)created["hidden"]));
        var settings = await host.WithDbAsync(db => db.HoursSettings.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId));
        Assert.Equal((true, canvasCourseId, ColumnId, d.Admin.Id), (settings.ColumnEnabled, settings.CanvasCourseId, settings.CanvasColumnId, settings.ColumnConnectedBy));
        Assert.Equal(2, await host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.TenantId == d.TenantId && a.Action == "policy.changed" && a.Detail!.Contains("Canvas column: on"))));
        var view = await host.WithServiceAsync<HoursQueries, HoursSettingsView>(q => q.GetAsync(admin, pd, None));
        Assert.Equal((true, true), (view.Column!.Enabled, view.Column.Offered));

        // An award: "4 hours" in the teacher's cell.
        var award = await lms.AwardAsync();
        var first = Assert.Single(await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind));
        await host.WaitAsync(first.Id, m => m.Status == OutboxStatus.Done);
        Assert.Equal(["4 hours"], Contents(cell));

        // A correction to 3 hours: the reversal and the new award each write "3 hours".
        host.Clock.Offset = TimeSpan.FromMinutes(5);
        await host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(admin, award.Id, "The session was 3 hours.", 3m, None));
        var later = (await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind)).Where(m => m.Id != first.Id).ToList();
        Assert.Equal(2, later.Count);
        foreach (var m in later)
        {
            await host.WaitAsync(m.Id, x => x.Status == OutboxStatus.Done);
        }

        Assert.Equal(["4 hours", "3 hours", "3 hours"], Contents(cell));

        // The award's message sent again (its "done" lost): the same newest text, never the older total.
        await host.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending)));
        await host.SendAsync(first.Id);
        Assert.Equal(OutboxStatus.Done, (await host.MessageAsync(first.Id)).Status);
        Assert.Equal("3 hours", Contents(cell)[^1]);
        Assert.All(Requests(cell, "PUT"), r => Assert.Equal("Bearer admin-token-" + d.TenantId.ToString("N"), r.RequestMessage.Headers!["Authorization"].Single()));

        // Turned off: audited, and a later entry queues no column message.
        await Use<SetHoursColumn>(host, u => u.HandleAsync(admin, false, None));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.TenantId == d.TenantId && a.Detail == "In-service hours Canvas column: off")));
        var count = (await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind)).Count;
        var corrected = await host.WithDbAsync(db => db.LedgerEntries.Where(e => e.TenantId == d.TenantId && e.EntryType == LedgerEntryType.Award && e.Amount == 3m).Select(e => e.Id).SingleAsync());
        await host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(admin, corrected, "Nothing was owed.", null, None));
        Assert.Equal(count, (await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind)).Count);
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task ColumnSend_WithoutTheTeachersCanvasId_OrWithARevokedAdminToken_FailsWithASentence_AndARetryFromTheOutboxPageSendsIt()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var (lms, _, canvasCourseId) = await PdCourseAsync(canvasCourse: true);
        var d = lms.District;
        var admin = await d.ActorAsync(d.Admin);
        await SetDeveloperKeyAsync(d.TenantId);
        await ConnectAsync(d.TenantId, d.Admin.Id, "good-token-" + d.TenantId.ToString("N"));
        StubColumns(lms, canvasCourseId);
        var cell = StubCell(canvasCourseId, TeacherCanvasId);
        await Use<SetHoursColumn>(host, u => u.HandleAsync(admin, true, None));

        // The teacher never launched with canvas_user_id: a sentence on the row, a dead letter after three tries.
        await lms.AwardAsync();
        var message = Assert.Single(await host.MessagesAsync(d.TenantId, HoursColumnHandler.ColumnKind));
        var dead = await DeadAsync(message.Id);
        Assert.Contains("Canvas user id is not known", dead.LastError, StringComparison.Ordinal);
        Assert.Empty(Requests(cell, "PUT"));

        // Once it is known, the district admin retries from the outbox page: sent.
        await SetCanvasUserIdAsync(d.Teacher.Id, TeacherCanvasId);
        await Use<RetryOutboxMessage>(host, u => u.HandleAsync(admin, message.Id, None));
        await host.WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
        Assert.Equal(["4 hours"], Contents(cell));

        // Canvas revokes the admin's grant: the access token gets 401 and the refresh invalid_grant.
        var revoked = "revoked-token-" + d.TenantId.ToString("N");
        await host.WithDbAsync(db => db.CanvasConnections.Where(c => c.TenantId == d.TenantId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.ProtectedAccessToken, Secrets.ProtectToken(revoked))
            .SetProperty(c => c.ProtectedRefreshToken, Secrets.ProtectToken("refresh-canvas-forgot"))));
        host.Platform.Server.Given(Request.Create().WithPath(CellPath(canvasCourseId, TeacherCanvasId)).UsingPut().WithHeader("Authorization", "Bearer " + revoked, MatchBehaviour.AcceptOnMatch))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", "Bearer realm=\"canvas-lms\"").WithHeader("Content-Type", "application/json")
                .WithBody("{\"errors\":[{\"message\":\"Invalid access token.\"}]}"));
        host.Platform.Server.Given(Request.Create().WithPath("/login/oauth2/token").UsingPost().WithBody(new RegexMatcher("refresh-canvas-forgot")))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh_token not found\"}"));
        await host.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending)));
        await host.SendAsync(message.Id);
        var failed = await host.MessageAsync(message.Id);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Contains("Canvas no longer accepts the Canvas connection", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked, failed.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await host.WithDbAsync(db => db.CanvasConnections.CountAsync(c => c.TenantId == d.TenantId)));
        var deadAgain = await DeadAsync(message.Id);
        Assert.Contains("Canvas no longer accepts the Canvas connection", deadAgain.LastError, StringComparison.Ordinal);

        // The admin connects again; the retry from the page sends with the new token.
        await ConnectAsync(d.TenantId, d.Admin.Id, "fresh-token-" + d.TenantId.ToString("N"));
        await Use<RetryOutboxMessage>(host, u => u.HandleAsync(admin, message.Id, None));
        await host.WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
        Assert.Equal("Bearer fresh-token-" + d.TenantId.ToString("N"), Requests(cell, "PUT")[^1].RequestMessage.Headers!["Authorization"].Single());
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task Sandbox_DevTurnsTheColumnOnOnThePage_TheColumnIsMadeInTheSandboxCanvas_AndAnAwardWritesAdasCell()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var (tenantId, credential) = await SandboxDistrict.OfferAsync(host, "hours-column-sandbox");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev", "course-pd-1");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await dev.GetAsync("/app/district/hours")).StatusCode);
        await dev.FollowAsync(await dev.PostAsync("/app/district/hours", new Dictionary<string, string>()));
        // Not connected to Canvas yet: the option is explained, not offered.
        Assert.Contains("Not offered now: Connect the tool to Canvas first", System.Net.WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"enabled\"", dev.LastPage, StringComparison.Ordinal);

        using (var browser = new CanvasAccess.CanvasBrowser(host))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.ConnectAsync("admin-dev")).Status);
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, (await dev.GetAsync("/app/district/hours")).StatusCode);
        Assert.Contains("Also show the total in a Canvas custom gradebook column", dev.LastPage, StringComparison.Ordinal);
        await dev.FollowAsync(await dev.PostAsync("/app/district/hours?handler=Column", new Dictionary<string, string> { ["enabled"] = "true" }));
        var page = System.Net.WebUtility.HtmlDecode(dev.LastPage);
        Assert.Contains("The total now also goes to the “In-service hours” Canvas column.", page, StringComparison.Ordinal);
        Assert.Contains("The Canvas column is now <strong>on</strong>", page, StringComparison.Ordinal);

        // The PD course's Canvas id came from the launch ($Canvas.course.id); the column is in the sandbox's Canvas.
        var settings = await host.WithDbAsync(db => db.HoursSettings.AsNoTracking().SingleAsync(s => s.TenantId == tenantId));
        Assert.Equal(4322L, settings.CanvasCourseId);
        var devId = await host.WithDbAsync(db => db.People.Where(p => p.TenantId == tenantId && p.Subject == "admin-dev").Select(p => p.Id).SingleAsync());
        var columns = await host.WithServiceAsync<CanvasUserClients, List<LtiMicroCred.Canvas.Models.CustomColumn>>(async c =>
        {
            var client = await c.ForPersonAsync(devId, None);
            var all = new List<LtiMicroCred.Canvas.Models.CustomColumn>();
            await foreach (var column in client.ListCustomColumnsAsync(4322, includeHidden: true, None))
            {
                all.Add(column);
            }

            return all;
        });
        var made = Assert.Single(columns, c => c.Title == "In-service hours");
        Assert.Equal((settings.CanvasColumnId, true, false), ((long?)made.Id, made.ReadOnly, made.TeacherNotes));

        var entry = await SandboxDistrict.AwardAdaAsync(host, tenantId, credential.Id);
        var message = Assert.Single(await host.MessagesAsync(tenantId, HoursColumnHandler.ColumnKind), m => m.Payload.Contains(entry.Id.ToString(), StringComparison.Ordinal));
        var done = await host.WaitAsync(message.Id, m => m.Status == OutboxStatus.Done || m.Attempts > 0);
        Assert.True(done.Status == OutboxStatus.Done, done.LastError);
    }

    private CanvasSecrets Secrets => host.Services.GetRequiredService<CanvasSecrets>();

    /// <summary>A district on the WireMock LMS with its PD course chosen (line item and scores stubbed) and, when asked, its Canvas course id.</summary>
    private async Task<(WireMockLms Lms, Guid Pd, long CanvasCourseId)> PdCourseAsync(bool canvasCourse)
    {
        var lms = await WireMockLms.CreateAsync(host);
        var pd = await lms.CourseAsync("pd");
        var lineItem = lms.StubLineItems("pd", UsePdCourseForHours.ResourceId, UsePdCourseForHours.Tag, 77);
        lms.StubScores(lineItem);
        // A course id of this district's own, so districts sharing the WireMock server never share a stub.
        var canvasCourseId = 1000 + (long)(BitConverter.ToUInt32(lms.District.TenantId.ToByteArray(), 0) % 1_000_000_000);
        if (canvasCourse)
        {
            await host.WithDbAsync(db => db.Courses.Where(c => c.Id == pd).ExecuteUpdateAsync(s => s.SetProperty(c => c.CanvasCourseId, canvasCourseId)));
        }

        await Use<UsePdCourseForHours>(host, async u => await u.HandleAsync(await lms.District.ActorAsync(lms.District.Admin), pd, None));
        return (lms, pd, canvasCourseId);
    }

    private Task SetDeveloperKeyAsync(Guid tenantId) =>
        Use<SetCanvasDeveloperKey>(host, u => u.HandleAsync(new SetCanvasDeveloperKeyCommand(tenantId, new Uri(host.Platform.Url), "10000000000042", "a-developer-key-secret"), None));

    private Task SetCanvasUserIdAsync(Guid personId, long canvasUserId) =>
        host.WithDbAsync(db => db.People.Where(p => p.Id == personId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CanvasUserId, canvasUserId)));

    /// <summary>What the connect flow stores once the admin approves the tool in Canvas (CanvasAccess tests cover the flow itself).</summary>
    private async Task ConnectAsync(Guid tenantId, Guid adminId, string accessToken)
    {
        await SetCanvasUserIdAsync(adminId, AdminCanvasId);
        await host.WithDbAsync(db =>
        {
            db.CanvasConnections.Add(new CanvasConnection
            {
                Id = Guid.NewGuid(), TenantId = tenantId, CanvasBaseUrl = CanvasHost.Normalize(new Uri(host.Platform.Url)), CanvasUserId = AdminCanvasId, PersonId = adminId,
                CanvasUserName = "District Admin", ProtectedAccessToken = Secrets.ProtectToken(accessToken), ProtectedRefreshToken = Secrets.ProtectToken("refresh-" + accessToken),
                AccessTokenExpiresAt = null, ConnectedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });
    }

    private static string ColumnsPath(long courseId) => $"/api/v1/courses/{courseId}/custom_gradebook_columns";

    private static string CellPath(long courseId, long userId) => $"{ColumnsPath(courseId)}/{ColumnId}/data/{userId}";

    /// <summary>The course's columns: only the notes column until the tool makes its own (07c, 07d).</summary>
    private void StubColumns(WireMockLms lms, long courseId)
    {
        var path = ColumnsPath(courseId);
        const string notes = "{\"id\":405,\"teacher_notes\":true,\"title\":\"Notes\",\"position\":2,\"hidden\":false,\"read_only\":false}";
        const string ours = "{\"id\":412,\"teacher_notes\":false,\"title\":\"In-service hours\",\"position\":1,\"hidden\":false,\"read_only\":true}";
        var scenario = "columns-" + path;
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario)
            .RespondWith(Json(200, "[" + notes + "]"));
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WillSetStateTo("created")
            .RespondWith(Json(200, ours));
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(scenario).WhenStateIs("created")
            .RespondWith(Json(200, "[" + ours + "," + notes + "]"));
        _ = lms;
    }

    /// <summary>The teacher's cell (07f): Canvas echoes the content.</summary>
    private string StubCell(long courseId, long userId)
    {
        var path = CellPath(courseId, userId);
        // Lower than the revoked-token stub's priority (WireMock tries lower numbers first).
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingPut()).AtPriority(10)
            .RespondWith(Json(200, "{\"content\":\"set\",\"user_id\":" + userId + "}"));
        return path;
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithHeader("X-Rate-Limit-Remaining", "541.12").WithBody(body);

    private List<WireMock.Logging.ILogEntry> Requests(string path, string method) =>
        host.Platform.Server.LogEntries.Where(e => e.RequestMessage.Path == path && e.RequestMessage.Method == method && e.ResponseMessage.StatusCode is 200)
            .OrderBy(e => e.RequestMessage.DateTime).ToList();

    private List<JsonObject> Bodies(string path, string method) =>
        Requests(path, method).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject()).ToList();

    private List<string> Contents(string cellPath) =>
        Bodies(cellPath, "PUT").Select(b => (string)b["column_data"]!["content"]!).ToList();

    private async Task<string> Refused(Actor admin) =>
        (await Assert.ThrowsAsync<RuleViolationException>(() => Use<SetHoursColumn>(host, u => u.HandleAsync(admin, true, None)))).Message;

    /// <summary>The first try runs on Hangfire; the clock is moved past each backoff for the next, until the row is a dead letter.</summary>
    private async Task<OutboxMessage> DeadAsync(Guid id)
    {
        var message = await host.WaitAsync(id, m => m.ClaimedBy == null && (m.Attempts > 0 || m.Status != OutboxStatus.Pending));
        while (message.Status != OutboxStatus.Dead)
        {
            Assert.Equal(OutboxStatus.Pending, message.Status);
            message = await host.SendWhenDueAsync(id);
        }

        return message;
    }
}

public sealed class HoursColumnTests_Sqlite(SqliteHoursHost host) : HoursColumnTests<SqliteHoursHost>(host), IClassFixture<SqliteHoursHost>;

public sealed class HoursColumnTests_PostgreSql(PostgresHoursHost host) : HoursColumnTests<PostgresHoursHost>(host), IClassFixture<PostgresHoursHost>;
