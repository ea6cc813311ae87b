using System.Net;
using System.Security.Cryptography;
using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Persistence;
using LtiMicroCred.Sandbox;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.CanvasAccess;

/// <summary>
/// "Connect to Canvas" through the real host and the sandbox LMS over HTTP: the consent page, the redirect back, the
/// tokens stored encrypted; then the product's Canvas client reading course work with them, refreshing them when they
/// expire; and every way the flow is refused, each with a plain page and a status that says so.
/// </summary>
public abstract class CanvasConnectTests<THost>(THost host) : IAsyncLifetime where THost : CanvasToolHost
{
    private const long Course = 4321;
    private const long LessonPlanAssignment = 1101;
    private const long AdaCanvasId = 7001;
    private const long CarlaCanvasId = 5001;

    public async Task InitializeAsync()
    {
        host.Clock.Offset = TimeSpan.Zero;
        await host.WithDbAsync(db => db.CanvasConnections.ExecuteDeleteAsync());
    }

    public async Task DisposeAsync()
    {
        host.Clock.Offset = TimeSpan.Zero;
        // A test that removed the developer key puts the sandbox's back, as the bootstrap made it.
        if (!await host.WithDbAsync(db => db.CanvasDeveloperKeys.AnyAsync()))
        {
            await RestoreSandboxKeyAsync();
        }
    }

    [Fact]
    public async Task SandboxBootstrap_SetsTheSandboxRestDeveloperKey_WithTheSecretEncrypted()
    {
        var sandbox = host.Services.GetRequiredService<SandboxLms>().Platform;

        var key = await host.WithServiceAsync<TenantCanvasKeys, TenantCanvasKey?>(async keys =>
            await keys.GetAsync(await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == SandboxBootstrap.TenantName).Select(t => t.Id).SingleAsync()), CancellationToken.None));

        Assert.NotNull(key);
        Assert.Equal(sandbox.CanvasBaseUrl, key.CanvasBaseUrl.AbsoluteUri.TrimEnd('/'));
        Assert.Equal((sandbox.RestClientId, sandbox.RestClientSecret), (key.Key.ClientId, key.Key.ClientSecret));
        Assert.DoesNotContain(sandbox.RestClientSecret, key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshTokenRevoked_RemovesTheConnection_AndAsksThePersonToConnectAgain()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("principal-carla")).Status);
        var canvas = await CanvasAsAsync(CarlaCanvasId);
        var revoked = host.Services.GetRequiredService<CanvasSecrets>().ProtectToken("a-refresh-token-canvas-no-longer-knows");
        await host.WithDbAsync(db => db.CanvasConnections.ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedRefreshToken, revoked)));
        host.Clock.Offset = TimeSpan.FromHours(2);

        var e = await Assert.ThrowsAsync<CanvasAuthorizationRequiredException>(() => canvas.ListAssignmentsAsync(Course).ToListAsync().AsTask());

        Assert.Contains("connect the tool to Canvas again", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.WithDbAsync(db => db.CanvasConnections.CountAsync()));
        var person = await PersonIdAsync(CarlaCanvasId);
        await using var scope = host.Services.CreateAsyncScope();
        await Assert.ThrowsAsync<CanvasAuthorizationRequiredException>(() => scope.ServiceProvider.GetRequiredService<CanvasUserClients>().ForPersonAsync(person, CancellationToken.None));
    }

    [Fact]
    public async Task Connect_ConsentThenCallback_StoresTokensEncryptedForTheLaunchingPerson()
    {
        using var browser = new CanvasBrowser(host);
        var (status, page) = await browser.ConnectAsync("principal-carla");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Canvas is connected</h1>", page, StringComparison.Ordinal);
        Assert.Contains("as Carla Nguyen", page, StringComparison.Ordinal);
        var carla = await PersonIdAsync(CarlaCanvasId);
        var row = await host.WithDbAsync(db => db.CanvasConnections.AsNoTracking().SingleAsync());
        Assert.Equal((carla, CarlaCanvasId, "Carla Nguyen"), (row.PersonId, row.CanvasUserId, row.CanvasUserName));
        Assert.NotNull(row.AccessTokenExpiresAt);

        var secrets = host.Services.GetRequiredService<CanvasSecrets>();
        var access = secrets.UnprotectToken(row.ProtectedAccessToken);
        var refresh = secrets.UnprotectToken(row.ProtectedRefreshToken);
        Assert.False(string.IsNullOrEmpty(access));
        Assert.False(string.IsNullOrEmpty(refresh));
        var raw = await RawColumnsAsync("SELECT \"ProtectedAccessToken\" || '|' || \"ProtectedRefreshToken\" FROM \"CanvasConnections\"");
        Assert.DoesNotContain(access, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh, raw, StringComparison.Ordinal);

        var secret = host.Services.GetRequiredService<SandboxLms>().Platform.RestClientSecret;
        var rawSecret = await RawColumnsAsync("SELECT \"ProtectedClientSecret\" FROM \"CanvasDeveloperKeys\"");
        Assert.DoesNotContain(secret, rawSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(access!, StringComparison.Ordinal)
            || l.Message.Contains(refresh!, StringComparison.Ordinal) || l.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectPage_SetsAFirstPartyBindingCookieAndSendsTheBrowserToCanvasWithASealedState()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");

        var connect = await browser.OpenConnectPageAsync();

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var location = connect.Headers.Location!;
        Assert.StartsWith(host.Services.GetRequiredService<SandboxLms>().Platform.RestAuthorizationEndpoint + "?", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("client_id=sandbox-rest-key", location.Query, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString(new Uri(host.BaseAddress, "/app/canvas/callback").AbsoluteUri), location.Query, StringComparison.Ordinal);
        var cookie = Assert.Single(connect.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ltimc_canvas_bind=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/app/canvas", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ConnectedPrincipal_CanvasClient_ListsAssignmentsAndSubmissionsAndDownloadsAnAttachment()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("principal-carla")).Status);
        var canvas = await CanvasAsAsync(CarlaCanvasId);

        var assignments = await canvas.ListAssignmentsAsync(Course).ToListAsync();
        var submissions = await canvas.ListSubmissionsAsync(Course, LessonPlanAssignment).ToListAsync();
        var adas = Assert.Single(submissions, s => s.UserId == AdaCanvasId);
        var pdf = Assert.Single(adas.Attachments!, a => a.DisplayName == "Lesson plan - Okafor.pdf");
        using var bytes = new MemoryStream();
        var download = await canvas.DownloadFileAsync(pdf, bytes);

        Assert.Contains(assignments, a => a.Id == LessonPlanAssignment && a.Name == "Evidence 1: Lesson plan");
        Assert.Contains(submissions, s => s.UserId == 7002);
        Assert.Equal(pdf.Size, download.Length);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes.ToArray()), StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes.ToArray())), download.Sha256Hex, ignoreCase: true);
    }

    [Fact]
    public async Task AccessTokenNearExpiry_IsRefreshedBeforeTheRequest_AndTheRefreshTokenIsKept()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("principal-carla")).Status);
        var before = await StoredTokensAsync();

        host.Clock.Offset = TimeSpan.FromHours(1) - EfCanvasUserTokenSource.RefreshMargin / 2;
        var assignments = await ListAssignmentsAsAsync(CarlaCanvasId);

        var after = await StoredTokensAsync();
        Assert.NotEmpty(assignments);
        Assert.NotEqual(before.Access, after.Access);
        Assert.Equal(before.Refresh, after.Refresh);
        Assert.True(after.ExpiresAt > before.ExpiresAt);
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith("Refreshed the Canvas access token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessTokenRejectedAsExpired_IsRefreshedAndTheRequestRetried()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("principal-carla")).Status);
        var before = await StoredTokensAsync();
        // The tool believes the token is good for a day; the sandbox's clock says it expired an hour ago.
        var farFuture = host.Clock.GetUtcNow().AddDays(1);
        await host.WithDbAsync(db => db.CanvasConnections.ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, farFuture)));
        host.Clock.Offset = TimeSpan.FromHours(2);
        var rejectedBefore = host.Logs.Lines.Count(IsTokenRejected);

        var submissions = await (await CanvasAsAsync(CarlaCanvasId)).ListSubmissionsAsync(Course, LessonPlanAssignment).ToListAsync();

        var after = await StoredTokensAsync();
        Assert.NotEmpty(submissions);
        Assert.Equal(rejectedBefore + 1, host.Logs.Lines.Count(IsTokenRejected));
        Assert.NotEqual(before.Access, after.Access);
        Assert.Equal(before.Refresh, after.Refresh);
        Assert.True(after.ExpiresAt > host.Clock.GetUtcNow());
    }

    [Fact]
    public async Task ConcurrentRefreshesOnTwoNodes_ShareOneNewTokenAndKeepTheRefreshToken()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("principal-carla")).Status);
        var before = await StoredTokensAsync();
        var connection = await host.WithDbAsync(db => db.CanvasConnections.Select(c => new { c.Id, c.CanvasBaseUrl }).SingleAsync());
        var user = new LtiMicroCred.Canvas.Auth.CanvasUserKey(connection.CanvasBaseUrl, connection.Id.ToString());
        var nodes = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<EfCanvasUserTokenSource>(host.Services)).ToList();

        var fresh = await Task.WhenAll(nodes.Select(n => n.RefreshAccessTokenAsync(user, before.Access, CancellationToken.None).AsTask()));

        var after = await StoredTokensAsync();
        Assert.Equal(fresh[0], fresh[1]);
        Assert.Equal(after.Access, fresh[0]);
        Assert.NotEqual(before.Access, fresh[0]);
        Assert.Equal(before.Refresh, after.Refresh);
        Assert.Null(await host.WithDbAsync(db => db.CanvasConnections.Select(c => c.RefreshLeaseUntil).SingleAsync()));
        Assert.NotEmpty(await ListAssignmentsAsAsync(CarlaCanvasId));
    }

    [Fact]
    public async Task ACanvasUserIdClaimedBySomeoneElse_NeverOpensTheConnection()
    {
        using var ada = new CanvasBrowser(host);
        Assert.Equal(HttpStatusCode.OK, (await ada.ConnectAsync("teacher-ada")).Status);
        using var ben = new CanvasBrowser(host);
        await ben.LaunchAsync("teacher-ben");
        // As if another platform's custom parameters had named Ada's Canvas user for Ben.
        var ben0 = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Name == "Ben Castillo"));
        var (benId, bensOwn) = (ben0.Id, ben0.CanvasUserId);
        await host.WithDbAsync(db => db.People.Where(p => p.Id == benId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CanvasUserId, AdaCanvasId)));
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            await Assert.ThrowsAsync<CanvasAuthorizationRequiredException>(() =>
                scope.ServiceProvider.GetRequiredService<CanvasUserClients>().ForPersonAsync(benId, CancellationToken.None));
        }
        finally
        {
            // The host is shared by this class's tests, which find people by their Canvas user id.
            await host.WithDbAsync(db => db.People.Where(p => p.Id == benId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CanvasUserId, bensOwn)));
        }

        Assert.NotEmpty(await ListAssignmentsAsAsync(AdaCanvasId));
    }

    [Fact]
    public async Task Decline_ShowsAPlainPageAndStoresNothing()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        var callback = await browser.ConsentAsync("teacher-ada", authorize: false);

        var answer = await browser.ReturnToToolAsync(callback);

        Assert.Contains("error=access_denied", callback.Query, StringComparison.Ordinal);
        await AssertRefusedAsync(answer, HttpStatusCode.OK, "Canvas was not connected", "You chose not to let LtiMicroCred use your Canvas account");
    }

    [Fact]
    public async Task NoDeveloperKey_ConnectShowsAPlainPageWithConflict()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        await host.WithDbAsync(db => db.CanvasDeveloperKeys.ExecuteDeleteAsync());

        var connect = await browser.OpenConnectPageAsync();
        var status = await browser.Http.GetStringAsync("/app/canvas?lt=" + Uri.EscapeDataString(browser.LaunchToken));

        Assert.Equal(HttpStatusCode.Conflict, connect.StatusCode);
        AssertNotice(await connect.Content.ReadAsStringAsync(), "Canvas access is not set up", "Your district has not added LtiMicroCred");
        Assert.False(connect.Headers.Contains("Set-Cookie"));
        Assert.Contains("Your district has not set up Canvas access", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoDeveloperKeyAnyMore_CallbackShowsAPlainPageAndStoresNothing()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        var callback = await browser.ConsentAsync("teacher-ada");
        await host.WithDbAsync(db => db.CanvasDeveloperKeys.ExecuteDeleteAsync());

        var answer = await browser.ReturnToToolAsync(callback);

        await AssertRefusedAsync(answer, HttpStatusCode.Conflict, "Canvas access is not set up", "Your district has not added");
    }

    [Fact]
    public async Task ApprovalByAnotherCanvasUser_IsRefusedAndStoresNothing()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        var callback = await browser.ConsentAsync("teacher-ben");

        var answer = await browser.ReturnToToolAsync(callback);

        await AssertRefusedAsync(answer, HttpStatusCode.Forbidden, "You approved as someone else", "is not the one you open LtiMicroCred with");
    }

    [Fact]
    public async Task StateStartedByAnotherPersonsBrowser_IsRefusedAndStoresNothing()
    {
        using var ada = new CanvasBrowser(host);
        await ada.LaunchAsync("teacher-ada");
        var adasCallback = await ada.ConsentAsync("teacher-ada");
        using var ben = new CanvasBrowser(host);
        await ben.LaunchAsync("teacher-ben");
        await ben.ConsentAsync("teacher-ben");

        using var stranger = new CanvasBrowser(host);

        var inBensBrowser = await ben.ReturnToToolAsync(adasCallback);
        var withoutCookie = await stranger.ReturnToToolAsync(adasCallback);

        await AssertRefusedAsync(inBensBrowser, HttpStatusCode.Forbidden, "This connection was started somewhere else", "Nothing was stored");
        await AssertRefusedAsync(withoutCookie, HttpStatusCode.Forbidden, "This connection was started somewhere else", "Nothing was stored");
        Assert.Equal(HttpStatusCode.OK, (await ada.ReturnToToolAsync(adasCallback)).Status);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("missing")]
    [InlineData("expired")]
    public async Task BadState_IsRefusedWithBadRequestAndStoresNothing(string how)
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        var callback = await browser.ConsentAsync("teacher-ada");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query);
        var state = query["state"].ToString();
        var target = how switch
        {
            "tampered" => Callback(query["code"]!, state[..^4] + (state.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA")),
            "missing" => Callback(query["code"]!, null),
            _ => callback,
        };
        if (how == "expired")
        {
            host.Clock.Offset = CanvasAuthorizationStates.Lifetime + TimeSpan.FromMinutes(1);
        }

        var answer = await browser.ReturnToToolAsync(target);

        await AssertRefusedAsync(answer, HttpStatusCode.BadRequest, "This connection link is no longer valid", "Nothing was stored");
    }

    [Fact]
    public async Task ConnectWithoutALaunch_IsUnauthorized()
    {
        using var http = host.CreateRawClient();

        var response = await http.GetAsync("/app/canvas/connect");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CanvasPage_InTheFrame_OffersTheConnectionInANewWindowThenShowsItConnected()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ada");
        var lt = Uri.EscapeDataString(browser.LaunchToken);

        var home = await browser.Http.GetStringAsync("/app?lt=" + lt);
        var before = await browser.Http.GetAsync("/app/canvas?lt=" + lt);
        var beforePage = await before.Content.ReadAsStringAsync();
        await browser.ReturnToToolAsync(await browser.ConsentAsync("teacher-ada"));
        var after = await browser.Http.GetStringAsync("/app/canvas?lt=" + lt);

        Assert.Contains($"href=\"/app/canvas?lt={lt}\"", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.False(before.Headers.Contains("X-Frame-Options"));
        Assert.Contains("<h1>Your Canvas connection</h1>", beforePage, StringComparison.Ordinal);
        Assert.Contains("Not connected.", beforePage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/canvas/connect?lt={lt}\" target=\"_blank\" rel=\"noopener\"", beforePage, StringComparison.Ordinal);
        Assert.Contains("(opens in a new window)", beforePage, StringComparison.Ordinal);
        Assert.Contains("Connected to Canvas as Ada Okafor.", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_RecordsThePersonsCanvasUserId()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("admin-dev");

        var devs = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.CanvasUserId).ToListAsync());

        Assert.Equal([5002L], devs);
    }

    private static bool IsTokenRejected(Infrastructure.CapturedLogs.LogLine line) =>
        line.Category == typeof(CanvasClient).FullName && line.Message.StartsWith("Canvas rejected the access token", StringComparison.Ordinal);

    /// <summary>A refusal: its status, its plain page, and no connection stored.</summary>
    private async Task AssertRefusedAsync((HttpStatusCode Status, string Page) answer, HttpStatusCode status, string title, string text)
    {
        Assert.Equal(status, answer.Status);
        AssertNotice(answer.Page, title, text);
        Assert.Equal(0, await host.WithDbAsync(db => db.CanvasConnections.CountAsync()));
    }

    private static void AssertNotice(string page, string title, string text)
    {
        Assert.Contains($"<h1>{title}</h1>", page, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(text), page, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page, StringComparison.Ordinal);
    }

    private Uri Callback(string code, string? state) =>
        new(host.BaseAddress, "/app/canvas/callback?code=" + Uri.EscapeDataString(code) + (state is null ? string.Empty : "&state=" + Uri.EscapeDataString(state)));

    private Task<Guid> PersonIdAsync(long canvasUserId) =>
        host.WithDbAsync(db => db.People.Where(p => p.CanvasUserId == canvasUserId).Select(p => p.Id).SingleAsync());

    /// <summary>The product's Canvas client as the person with that Canvas user id, through their stored connection.</summary>
    private async Task<CanvasUserClient> CanvasAsAsync(long canvasUserId)
    {
        var person = await PersonIdAsync(canvasUserId);
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CanvasUserClients>().ForPersonAsync(person, CancellationToken.None);
    }

    private async Task<List<Canvas.Models.Assignment>> ListAssignmentsAsAsync(long canvasUserId) =>
        await (await CanvasAsAsync(canvasUserId)).ListAssignmentsAsync(Course).ToListAsync();

    private async Task<(string Access, string Refresh, DateTimeOffset? ExpiresAt)> StoredTokensAsync()
    {
        var row = await host.WithDbAsync(db => db.CanvasConnections.AsNoTracking().SingleAsync());
        var secrets = host.Services.GetRequiredService<CanvasSecrets>();
        return (secrets.UnprotectToken(row.ProtectedAccessToken)!, secrets.UnprotectToken(row.ProtectedRefreshToken)!, row.AccessTokenExpiresAt);
    }

    private Task<string> RawColumnsAsync(string sql) => host.WithDbAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = host.Provider == "SqlServer" ? sql.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("||", "+", StringComparison.Ordinal) : sql;
            var values = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetString(0));
            }

            return Assert.Single(values);
        }
        finally
        {
            await connection.CloseAsync();
        }
    });

    private Task RestoreSandboxKeyAsync() => host.WithDbAsync(async db =>
    {
        var sandbox = host.Services.GetRequiredService<SandboxLms>().Platform;
        var tenantId = await db.Tenants.Where(t => t.Name == SandboxBootstrap.TenantName).Select(t => t.Id).SingleAsync();
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SetCanvasDeveloperKey>().HandleAsync(
            new SetCanvasDeveloperKeyCommand(tenantId, new Uri(sandbox.CanvasBaseUrl), sandbox.RestClientId, sandbox.RestClientSecret), CancellationToken.None);
        return true;
    });
}

public sealed class CanvasConnectTests_Sqlite(SqliteCanvasToolHost host) : CanvasConnectTests<SqliteCanvasToolHost>(host), IClassFixture<SqliteCanvasToolHost>;

public sealed class CanvasConnectTests_PostgreSql(PostgresCanvasToolHost host) : CanvasConnectTests<PostgresCanvasToolHost>(host), IClassFixture<PostgresCanvasToolHost>;
