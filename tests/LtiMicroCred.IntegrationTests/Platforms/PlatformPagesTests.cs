using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LtiMicroCred.Access;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Platforms;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.IntegrationTests.Platforms;

/// <summary>
/// The district's platform page over HTTP through the real host (sandbox launches for the people, the WireMock test
/// platform for the LMS): only the own tenant's platforms, a manual registration that then launches, refusals with
/// their reasons, disable refusing the login by name, deployments, and the Canvas secret never shown and encrypted.
/// </summary>
public abstract partial class PlatformPagesTests<THost>(THost host) : IDisposable where THost : ToolHost
{
    private const string Page = "/app/district/platforms";
    private const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";
    private readonly string _issuer = "https://manual-" + Guid.NewGuid().ToString("N")[..8] + ".test.example";
    private readonly LaunchClient _client = new(host);
    private readonly WireMockServer _lms = WireMockServer.Start();

    public void Dispose()
    {
        _client.Dispose();
        _lms.Stop();
        _lms.Dispose();
        host.Platform.AssertNoUnexpectedRequests();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ThePage_ListsOnlyTheOwnDistrictsPlatforms_RefusesATeacherAndAPrincipal_AndAnotherDistrictGetsNotFound()
    {
        var other = await TestDistrict.CreateAsync(host);
        var otherIssuer = await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == other.PlatformId).Select(p => p.Issuer).SingleAsync());
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync(Page)).StatusCode);
        Assert.Contains(Page, await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await dev.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var tenantId = await SandboxTenantAsync();
        var own = await host.WithDbAsync(db => db.Platforms.Where(p => p.TenantId == tenantId).Select(p => p.Issuer).ToListAsync());
        Assert.NotEmpty(own);
        Assert.All(own, issuer => Assert.Contains(WebUtility.HtmlEncode(issuer), dev.LastPage, StringComparison.Ordinal));
        Assert.DoesNotContain(otherIssuer, dev.LastPage, StringComparison.Ordinal);
        Assert.Contains(host.BaseAddress.ToString().TrimEnd('/') + "/lti/register", dev.LastPage, StringComparison.Ordinal);

        // A use case given another district's platform answers NotFound, and changes nothing.
        var sandboxPlatform = await host.WithDbAsync(db => db.Platforms.Where(p => p.TenantId == tenantId).Select(p => p.Id).FirstAsync());
        var otherAdmin = await other.ActorAsync(other.Admin);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<ManagePlatforms, int>(async m =>
        {
            await m.SetEnabledAsync(otherAdmin, sandboxPlatform, false, CancellationToken.None);
            return 0;
        }));
        Assert.True(await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == sandboxPlatform).Select(p => p.Enabled).SingleAsync()));
    }

    [Fact]
    public async Task AManuallyAddedPlatform_Launches_ADisabledOneIsRefusedByName_AndDeploymentsCanBeAddedAndRemoved()
    {
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        await dev.GetAsync(Page);
        var added = await dev.FollowAsync(await dev.PostAsync(Page + "?handler=Add", ManualFields()));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("The platform is registered.", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains(_issuer, dev.LastPage, StringComparison.Ordinal);
        var platform = await host.WithDbAsync(db => db.Platforms.Include(p => p.Deployments).SingleAsync(p => p.Issuer == _issuer));
        Assert.Equal((await SandboxTenantAsync(), "manual-client", true), (platform.TenantId, platform.ClientId, platform.Enabled));
        Assert.Equal(["manual-dep-1", "manual-dep-2"], platform.Deployments.Select(d => d.DeploymentId).Order(StringComparer.Ordinal));
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.SubjectId == platform.Id && a.Action == "platform.added")));

        await LaunchAsync("manual-dep-1");

        await dev.GetAsync(Page);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=Enabled", new Dictionary<string, string> { ["platformId"] = platform.Id.ToString(), ["enabled"] = "false" }));
        Assert.Contains("The platform is disabled", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("Disabled: launches refused", dev.LastPage, StringComparison.Ordinal);
        var refused = await LoginAsync("manual-dep-1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Response.StatusCode);
        Assert.Contains("platform_disabled", refused.Body, StringComparison.Ordinal);
        Assert.Contains("disabled in the tool", refused.Body, StringComparison.Ordinal);
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.SubjectId == platform.Id && a.Action == "platform.disabled")));

        await dev.GetAsync(Page);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=Enabled", new Dictionary<string, string> { ["platformId"] = platform.Id.ToString(), ["enabled"] = "true" }));
        await LaunchAsync("manual-dep-2");

        // A removed deployment no longer logs in; an added one does.
        var second = platform.Deployments.Single(d => d.DeploymentId == "manual-dep-2");
        await dev.GetAsync(Page);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=RemoveDeployment", new Dictionary<string, string> { ["platformId"] = platform.Id.ToString(), ["deploymentRowId"] = second.Id.ToString() }));
        Assert.Contains("The deployment is removed.", dev.LastPage, StringComparison.Ordinal);
        var gone = await LoginAsync("manual-dep-2");
        Assert.Equal(HttpStatusCode.BadRequest, gone.Response.StatusCode);
        Assert.Contains("unknown_deployment", gone.Body, StringComparison.Ordinal);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=AddDeployment", new Dictionary<string, string> { ["platformId"] = platform.Id.ToString(), ["deploymentId"] = "manual-dep-3" }));
        Assert.Contains("manual-dep-3", dev.LastPage, StringComparison.Ordinal);
        var twice = await dev.PostAsync(Page + "?handler=AddDeployment", new Dictionary<string, string> { ["platformId"] = platform.Id.ToString(), ["deploymentId"] = "manual-dep-3" });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("already registered for the platform", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#deploymentId\">", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("id=\"deploymentId\"", dev.LastPage, StringComparison.Ordinal);
        await LaunchAsync("manual-dep-3");
    }

    [Fact]
    public async Task ARegistrationWithBadValues_IsRefusedWithAMessagePerField_AndNothingIsAdded()
    {
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        await dev.GetAsync(Page);
        var fields = ManualFields();
        fields["authorizationEndpoint"] = "http://lms.district.example/auth";
        fields["tokenEndpoint"] = "not an address";
        fields["clientId"] = " ";
        fields["deploymentIds"] = "\n";
        var refused = await dev.PostAsync(Page + "?handler=Add", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = WebUtility.HtmlDecode(dev.LastPage);
        Assert.Contains("must start with https://", body, StringComparison.Ordinal);
        Assert.Contains("Enter a full address starting with https://.", body, StringComparison.Ordinal);
        Assert.Contains("Enter the client id the LMS gave the tool", body, StringComparison.Ordinal);
        Assert.Contains("Enter at least one deployment id", body, StringComparison.Ordinal);
        Assert.Contains(_issuer, body, StringComparison.Ordinal); // what was typed is kept

        // The pair the test platform already holds (another registration) is refused without naming its district.
        await dev.GetAsync(Page);
        var taken = ManualFields();
        taken["issuer"] = TestPlatform.Issuer;
        taken["clientId"] = TestPlatform.ClientId;
        Assert.Equal(HttpStatusCode.BadRequest, (await dev.PostAsync(Page + "?handler=Add", taken)).StatusCode);
        Assert.Contains("already registered with the tool", WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Platforms.AnyAsync(p => p.Issuer == _issuer)));
        Assert.Equal(1, await host.WithDbAsync(db => db.Platforms.CountAsync(p => p.Issuer == TestPlatform.Issuer)));
    }

    [Fact]
    public async Task TheCanvasSecret_IsNeverShownOrLogged_IsStoredEncrypted_AndAnEmptySecretKeepsIt()
    {
        const string Secret = "canvas-dev-key-secret-Zx81Qp0w";
        // A district with no key yet must give a secret.
        var fresh = await TestDistrict.CreateAsync(host);
        var freshAdmin = await fresh.ActorAsync(fresh.Admin);
        var missing = await Assert.ThrowsAsync<InvalidInputException>(() => host.WithServiceAsync<SetCanvasSettings, int>(async u =>
        {
            await u.HandleAsync(freshAdmin, "https://district.instructure.com", "170000000000123", " ", CancellationToken.None);
            return 0;
        }));
        Assert.Contains("Enter the developer key's client secret", missing.Errors["canvasClientSecret"], StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.CanvasDeveloperKeys.AnyAsync(k => k.TenantId == fresh.TenantId)));

        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        await dev.GetAsync(Page);
        var insecure = await dev.PostAsync(Page + "?handler=Canvas", new Dictionary<string, string> { ["canvasBaseUrl"] = "http://district.instructure.com", ["canvasClientId"] = "170000000000123", ["canvasClientSecret"] = Secret });
        Assert.Equal(HttpStatusCode.BadRequest, insecure.StatusCode);
        Assert.Contains("The Canvas address must start with https://.", WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, dev.LastPage, StringComparison.Ordinal);

        await dev.GetAsync(Page);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=Canvas", new Dictionary<string, string> { ["canvasBaseUrl"] = "https://District.Instructure.com/", ["canvasClientId"] = "170000000000123", ["canvasClientSecret"] = Secret }));
        Assert.Contains("The Canvas API settings are saved.", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("a secret is set", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("https://district.instructure.com", dev.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, dev.LastPage, StringComparison.Ordinal);

        var tenantId = await SandboxTenantAsync();
        var column = await host.WithDbAsync(db => db.CanvasDeveloperKeys.Where(k => k.TenantId == tenantId).Select(k => k.ProtectedClientSecret).SingleAsync());
        Assert.DoesNotContain(Secret, column, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), column, StringComparison.Ordinal);
        var key = await host.WithServiceAsync<TenantCanvasKeys, TenantCanvasKey?>(k => k.GetAsync(tenantId, CancellationToken.None));
        Assert.Equal(("https://district.instructure.com/", "170000000000123", Secret), (key!.CanvasBaseUrl.ToString(), key.Key.ClientId, key.Key.ClientSecret));

        // Saving again without a secret changes the client id and keeps the stored secret.
        await dev.GetAsync(Page);
        await dev.FollowAsync(await dev.PostAsync(Page + "?handler=Canvas", new Dictionary<string, string> { ["canvasBaseUrl"] = "https://district.instructure.com", ["canvasClientId"] = "170000000000999", ["canvasClientSecret"] = "" }));
        key = await host.WithServiceAsync<TenantCanvasKeys, TenantCanvasKey?>(k => k.GetAsync(tenantId, CancellationToken.None));
        Assert.Equal(("170000000000999", Secret), (key!.Key.ClientId, key.Key.ClientSecret));
        Assert.DoesNotContain(Secret, dev.LastPage, StringComparison.Ordinal);

        var audits = await host.WithDbAsync(db => db.AuditEntries.Where(a => a.TenantId == tenantId && a.Detail!.Contains("Canvas API settings")).Select(a => a.Detail).ToListAsync());
        Assert.Equal(2, audits.Count);
        Assert.DoesNotContain(audits, a => a!.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDynamicRegistrationLink_AddsThePlatformToTheAdminsDistrict_AndAnAlteredLinkIsRefusedBeforeTheLmsIsCalled()
    {
        ServeDynamicRegistration();
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        await dev.GetAsync(Page);
        var link = WebUtility.HtmlDecode(RegistrationLink().Match(dev.LastPage).Groups[1].Value);
        Assert.StartsWith(host.BaseAddress.ToString().TrimEnd('/') + "/lti/register?invitation=", link, StringComparison.Ordinal);
        var lmsQuery = $"&openid_configuration={Uri.EscapeDataString(_lms.Url + "/api/lti/security/openid-configuration")}&registration_token=one-time-token";

        using var http = host.CreateRawClient();
        var altered = await http.GetAsync(link[..^2] + (link.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA") + lmsQuery);
        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Contains("registration link has expired or is not valid", await altered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_lms.LogEntries, e => e.RequestMessage.Method == "POST");

        var done = await http.GetAsync(link + lmsQuery);
        var body = await done.Content.ReadAsStringAsync();
        Assert.True(done.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("Registration complete", body, StringComparison.Ordinal);
        var tenantId = await SandboxTenantAsync();
        var platform = await host.WithDbAsync(db => db.Platforms.Include(p => p.Deployments).SingleAsync(p => p.Issuer == _issuer));
        Assert.Equal((tenantId, "dyn-invited-client", "dyn-invited-deployment"), (platform.TenantId, platform.ClientId, Assert.Single(platform.Deployments).DeploymentId));
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TenantId == tenantId && a.Action == "platform.added" && a.Detail!.Contains(_issuer))));
        await dev.GetAsync(Page);
        Assert.Contains(_issuer, dev.LastPage, StringComparison.Ordinal);
    }

    private Dictionary<string, string> ManualFields() => new()
    {
        ["name"] = "Manual Canvas",
        ["issuer"] = _issuer,
        ["clientId"] = "manual-client",
        ["authorizationEndpoint"] = host.Platform.Url + "/api/lti/authorize_redirect",
        ["tokenEndpoint"] = host.Platform.Url + "/login/oauth2/token",
        ["jwksUrl"] = host.Platform.Url + TestPlatform.JwksPath,
        ["deploymentIds"] = "manual-dep-1\nmanual-dep-2",
    };

    private Task<Guid> SandboxTenantAsync() => host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.TenantId).SingleAsync());

    private Task<LaunchClient.Login> LoginAsync(string deploymentId) => _client.LoginAsync(f =>
    {
        f["iss"] = _issuer;
        f["client_id"] = "manual-client";
        f["lti_deployment_id"] = deploymentId;
    });

    /// <summary>A whole login and launch from the manually registered platform, ending on the tool's home page.</summary>
    private async Task LaunchAsync(string deploymentId)
    {
        var login = await LoginAsync(deploymentId);
        Assert.True(login.Response.StatusCode == HttpStatusCode.Redirect, login.Body);
        Assert.StartsWith(host.Platform.Url + "/api/lti/authorize_redirect?", login.Location!.ToString(), StringComparison.Ordinal);
        var claims = TestPlatform.ResourceLinkClaims(login.Nonce, _client.LaunchUrl, "manual-user-" + deploymentId);
        claims["iss"] = _issuer;
        claims["aud"] = "manual-client";
        claims[Lti + "deployment_id"] = deploymentId;
        var response = await _client.LaunchAsync(host.Platform.Sign(claims), login);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        Assert.StartsWith("/app?lt=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
    private void ServeDynamicRegistration()
    {
        var configuration = new JsonObject
        {
            ["issuer"] = _issuer,
            ["authorization_endpoint"] = _lms.Url + "/api/lti/authorize_redirect",
            ["token_endpoint"] = _lms.Url + "/login/oauth2/token",
            ["jwks_uri"] = _lms.Url + "/api/lti/security/jwks",
            ["registration_endpoint"] = _lms.Url + "/api/lti/registrations",
            ["scopes_supported"] = new JsonArray("openid", "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["https://purl.imsglobal.org/spec/lti-platform-configuration"] = new JsonObject
            {
                ["product_family_code"] = "canvas",
                ["version"] = "OpenSource",
                ["messages_supported"] = new JsonArray(new JsonObject { ["type"] = "LtiResourceLinkRequest" }),
            },
        };
        _lms.Given(Request.Create().WithPath("/api/lti/security/openid-configuration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(configuration.ToJsonString()));
        var reply = new JsonObject
        {
            ["client_id"] = "dyn-invited-client",
            ["application_type"] = "web",
            ["https://purl.imsglobal.org/spec/lti-tool-configuration"] = new JsonObject { ["deployment_id"] = "dyn-invited-deployment" },
        };
        _lms.Given(Request.Create().WithPath("/api/lti/registrations").UsingPost().WithHeader("Authorization", "Bearer one-time-token"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(reply.ToJsonString()));
    }

    [GeneratedRegex("id=\"registration-url\" type=\"url\" readonly value=\"([^\"]+)\"")]
    private static partial Regex RegistrationLink();
}

public sealed class PlatformPagesTests_Sqlite(SqliteToolHost host) : PlatformPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class PlatformPagesTests_PostgreSql(PostgresToolHost host) : PlatformPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
