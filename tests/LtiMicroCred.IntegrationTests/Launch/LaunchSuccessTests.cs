using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Lti.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.IntegrationTests.Launch;

/// <summary>Valid launches from a spec-following platform reach the greeting page and record the person.</summary>
public abstract partial class LaunchSuccessTests<THost>(THost host) : IAsyncLifetime where THost : ToolHost
{
    private const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";
    private readonly LaunchClient _client = new(host);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _client.Dispose();
        host.Platform.AssertNoUnexpectedRequests();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ResourceLinkLaunch_LandsOnGreetingWithNameRoleAndCourse()
    {
        var page = await LaunchAndOpenHomeAsync((n, t) => TestPlatform.ResourceLinkClaims(n, t));
        Assert.Contains("Welcome, Ada Okafor", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Teacher</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Educator Microcredentials</strong>", page, StringComparison.Ordinal);
        Assert.Contains("Test District", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_UpsertsPersonCourseAndEnrollment_WithoutDuplicates()
    {
        var subject = "user-" + Guid.NewGuid().ToString("N");
        await LaunchAndOpenHomeAsync((nonce, target) => TestPlatform.ResourceLinkClaims(nonce, target, subject));
        var page = await LaunchAndOpenHomeAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target, subject);
            claims["name"] = "Ada Okafor-Lee";
            claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor");
            return claims;
        });
        Assert.Contains("Welcome, Ada Okafor-Lee", page, StringComparison.Ordinal);

        var people = await host.WithDbAsync(db => db.People.Where(p => p.Subject == subject).ToListAsync());
        var person = Assert.Single(people);
        Assert.Equal("Ada Okafor-Lee", person.Name);
        Assert.Equal("ada.okafor@district.example", person.Email);
        var enrollment = await host.WithDbAsync(db => db.Enrollments.SingleAsync(e => e.PersonId == person.Id));
        Assert.Equal(ProductRoles.Coach, enrollment.Roles);
        Assert.Contains("membership#Instructor", enrollment.LtiRoles, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatLaunch_WithNothingNew_LeavesTheRowsAsTheyWere()
    {
        var subject = "user-" + Guid.NewGuid().ToString("N");
        await LaunchAndOpenHomeAsync((nonce, target) => TestPlatform.ResourceLinkClaims(nonce, target, subject));
        var first = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Subject == subject));
        var firstEnrollment = await host.WithDbAsync(db => db.Enrollments.AsNoTracking().SingleAsync(e => e.PersonId == first.Id));

        var page = await LaunchAndOpenHomeAsync((nonce, target) => TestPlatform.ResourceLinkClaims(nonce, target, subject));

        Assert.Contains("Welcome, Ada Okafor", page, StringComparison.Ordinal);
        var second = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Subject == subject));
        var secondEnrollment = await host.WithDbAsync(db => db.Enrollments.AsNoTracking().SingleAsync(e => e.PersonId == first.Id));
        Assert.Equal(first.LastLaunchAt, second.LastLaunchAt);
        Assert.Equal(firstEnrollment.UpdatedAt, secondEnrollment.UpdatedAt);
    }

    [Fact]
    public async Task Launch_WithoutGivenAndFamilyName_ForgetsTheOnesSentBefore()
    {
        var subject = "user-" + Guid.NewGuid().ToString("N");
        await LaunchAndOpenHomeAsync((nonce, target) => TestPlatform.ResourceLinkClaims(nonce, target, subject));
        await LaunchAndOpenHomeAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target, subject);
            claims.Remove("given_name");
            claims.Remove("family_name");
            return claims;
        });

        var person = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Subject == subject));
        Assert.Null(person.GivenName);
        Assert.Null(person.FamilyName);
        Assert.Equal("Ada Okafor", person.Name);
    }

    [Fact]
    public async Task Launch_WithAudienceArrayAndMatchingAzp_IsAccepted()
    {
        var page = await LaunchAndOpenHomeAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target);
            claims["aud"] = new JsonArray(TestPlatform.ClientId, "https://canvas.test.example/another-audience");
            claims["azp"] = TestPlatform.ClientId;
            return claims;
        });
        Assert.Contains("Welcome, Ada Okafor", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepLinkingRequest_WithSettings_IsAccepted()
    {
        var login = await _client.ValidLoginAsync();
        var response = await _client.LaunchAsync(host.Platform.Sign(TestPlatform.DeepLinkingClaims(login.Nonce, _client.LaunchUrl)), login);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/app/deep-link?lt=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepLinkingPage_RefusesALearner()
    {
        var login = await _client.ValidLoginAsync();
        var claims = TestPlatform.DeepLinkingClaims(login.Nonce, _client.LaunchUrl);
        claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner");
        var response = await _client.LaunchAsync(host.Platform.Sign(claims), login);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var page = await _client.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    [Fact]
    public async Task InstitutionAdministrator_IsGreetedAsDistrictAdministrator()
    {
        var page = await LaunchAndOpenHomeAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target, "admin-" + Guid.NewGuid().ToString("N"));
            claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator");
            return claims;
        });
        Assert.Contains("<strong>District administrator</strong>", page, StringComparison.Ordinal);
        Assert.Contains("/admin/jobs?lt=", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageTargetLogin_WithCookiesBlocked_CompletesThroughPlatformStorage()
    {
        var login = await _client.LoginAsync(f => f["lti_storage_target"] = "_parent");
        Assert.Equal(HttpStatusCode.OK, login.Response.StatusCode);
        Assert.Contains("lti.put_data", login.Body, StringComparison.Ordinal);
        var binding = BindingValue().Match(login.Body).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(binding));

        // The browser dropped the cookie: the tool answers with the page that reads the platform's storage.
        var token = host.Platform.Sign(TestPlatform.ResourceLinkClaims(login.Nonce, _client.LaunchUrl));
        var relay = await _client.LaunchAsync(token, login, cookie: "unrelated=1");
        Assert.Equal(HttpStatusCode.OK, relay.StatusCode);
        Assert.Contains("lti.get_data", await relay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What that page posts back, with the value from platform storage.
        var done = await _client.LaunchAsync(token, login, cookie: "unrelated=1", change: f => f["lti_browser_binding"] = binding);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.StartsWith("/app?lt=", done.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageTargetPages_RunOnlyTheirOwnScript_ByAFreshNonce_WhileToolPagesAllowNoInlineScript()
    {
        var login = await _client.LoginAsync(f => f["lti_storage_target"] = "_parent");
        var policy = string.Join(' ', login.Response.Headers.GetValues("Content-Security-Policy"));
        var nonce = ScriptNonce().Match(policy).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), policy);
        Assert.DoesNotContain("unsafe-inline", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"<script nonce=\"{nonce}\">", login.Body, StringComparison.Ordinal);
        var again = await _client.LoginAsync(f => f["lti_storage_target"] = "_parent");
        Assert.NotEqual(nonce, ScriptNonce().Match(string.Join(' ', again.Response.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value);

        var page = await _client.GetAsync("/app");
        var toolPolicy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", toolPolicy, StringComparison.Ordinal);
    }

    [GeneratedRegex("script-src 'nonce-([A-Za-z0-9+/=]+)'")]
    private static partial Regex ScriptNonce();

    [Fact]
    public async Task StorageTargetLogin_WithWrongStoredValue_IsRefused()
    {
        var login = await _client.LoginAsync(f => f["lti_storage_target"] = "_parent");
        var token = host.Platform.Sign(TestPlatform.ResourceLinkClaims(login.Nonce, _client.LaunchUrl));
        var response = await _client.LaunchAsync(token, login, cookie: "unrelated=1", change: f => f["lti_browser_binding"] = "guessed");
        await LaunchAssertions.AssertRejectedAsync(response, "state_not_bound_to_browser");
    }

    [Fact]
    public async Task HomePage_WithoutLaunchToken_AsksToOpenFromLms()
    {
        var response = await _client.GetAsync("/app");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Please open the tool from your LMS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_WithForgedLaunchToken_IsRefused()
    {
        var forged = TestPlatform.SignWith(host.Platform.Key, new JsonObject
        {
            ["iss"] = "ltimicrocred",
            ["aud"] = "ltimicrocred-pages",
            ["sub"] = Guid.NewGuid().ToString(),
            ["tid"] = Guid.NewGuid().ToString(),
            ["roles"] = "DistrictAdmin",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        }, "some-kid");
        var response = await _client.GetAsync("/app?lt=" + forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LaunchToken_IsAnHmacTokenOfTheTool_AndTheSameClaimsSignedAnotherWayAreRefused()
    {
        var token = await LaunchTokenAsync((n, t) => TestPlatform.ResourceLinkClaims(n, t));
        var issued = new JsonWebToken(token);
        Assert.Equal(SecurityAlgorithms.HmacSha256, issued.Alg);
        Assert.EndsWith(".self", issued.Kid, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/app?lt=" + token)).StatusCode);

        var keys = host.Services.GetRequiredService<ToolKeySet>();
        var handler = new JsonWebTokenHandler();
        var claims = issued.Claims.Where(c => c.Type is not ("exp" or "nbf" or "iat" or "iss" or "aud")).ToDictionary(c => c.Type, object (c) => c.Value);
        string Resign(SigningCredentials credentials) => handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issued.Issuer,
            Audience = issued.Audiences.Single(),
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = claims,
            SigningCredentials = credentials,
        });

        // The tool's own RSA key (published, so anyone holding a platform's view of it must not mint sessions) and
        // an HMAC key that is not the derived one, under the real kid, are both refused.
        var rsa = Resign(await keys.GetSigningCredentialsAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync("/app?lt=" + rsa)).StatusCode);
        var wrongSecret = Resign(new SigningCredentials(
            new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = issued.Kid }, SecurityAlgorithms.HmacSha256));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync("/app?lt=" + wrongSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/app?lt=" + Resign((await keys.GetSelfSigningCredentialsAsync(CancellationToken.None))))).StatusCode);
    }

    [Fact]
    public async Task LaunchToken_IssuedBeforeAKeyRotation_StillOpensPages_AndNewTokensUseTheNewKey()
    {
        var before = await LaunchTokenAsync((n, t) => TestPlatform.ResourceLinkClaims(n, t));
        await host.Services.GetRequiredService<ToolKeySet>().RotateAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/app?lt=" + before)).StatusCode);
        var after = await LaunchTokenAsync((n, t) => TestPlatform.ResourceLinkClaims(n, t));
        Assert.NotEqual(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/app?lt=" + after)).StatusCode);
    }

    [Fact]
    public async Task JobsDashboard_OpensForDistrictAdmin_AndNotForTeacher()
    {
        var teacherToken = await LaunchTokenAsync((n, t) => TestPlatform.ResourceLinkClaims(n, t));
        var teacher = await _client.GetAsync("/admin/jobs?lt=" + teacherToken);
        Assert.Equal(HttpStatusCode.Forbidden, teacher.StatusCode);
        var anonymous = await _client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var subject = "admin-" + Guid.NewGuid().ToString("N");
        var adminToken = await LaunchTokenAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target, subject);
            claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator");
            return claims;
        });
        var jobs = host.Services.GetRequiredService<Web.Hosting.JobsOptions>();
        jobs.OperatorTenants = [await host.WithDbAsync(db => db.People.Where(p => p.Subject == subject).Select(p => p.TenantId).SingleAsync())];
        HttpResponseMessage admin;
        try
        {
            admin = await _client.GetAsync("/admin/jobs?lt=" + adminToken);
        }
        finally
        {
            jobs.OperatorTenants = [];
        }

        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        var session = admin.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("ltimc_admin=", StringComparison.Ordinal));
        using var http = host.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire/recurring");
        request.Headers.Add("Cookie", session);
        var dashboard = await http.SendAsync(request);
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, string.Join("\n", host.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(l => l.Message)));
        Assert.Contains("lti-tool-key-rotation", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsDashboard_OnAnInstallWithSeveralTenants_OpensOnlyForOperatorTenantAdmins()
    {
        var subject = "admin-" + Guid.NewGuid().ToString("N");
        var adminToken = await LaunchTokenAsync((nonce, target) =>
        {
            var claims = TestPlatform.ResourceLinkClaims(nonce, target, subject);
            claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator");
            return claims;
        });
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Subject == subject).Select(p => p.TenantId).SingleAsync());
        var otherTenant = new Tenancy.Tenant { Id = Guid.NewGuid(), Name = "Another district", CreatedAt = DateTimeOffset.UtcNow };
        var jobs = host.Services.GetRequiredService<Web.Hosting.JobsOptions>();
        await host.WithDbAsync(async db => { db.Tenants.Add(otherTenant); return await db.SaveChangesAsync(); });
        try
        {
            // Two districts and no operator named: the dashboard would show one district the other's jobs.
            Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/jobs?lt=" + adminToken)).StatusCode);

            jobs.OperatorTenants = [otherTenant.Id];
            Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/jobs?lt=" + adminToken)).StatusCode);

            jobs.OperatorTenants = [tenantId];
            Assert.Equal(HttpStatusCode.Redirect, (await _client.GetAsync("/admin/jobs?lt=" + adminToken)).StatusCode);
        }
        finally
        {
            jobs.OperatorTenants = [];
            await host.WithDbAsync(db => db.Tenants.Where(t => t.Id == otherTenant.Id).ExecuteDeleteAsync());
        }
    }

    private async Task<string> LaunchTokenAsync(Func<string, string, JsonObject> claims)
    {
        var login = await _client.ValidLoginAsync();
        var response = await _client.LaunchAsync(host.Platform.Sign(claims(login.Nonce, _client.LaunchUrl)), login);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/app?lt=", location, StringComparison.Ordinal);

        // The used binding cookie is removed, with the partitioned attribute a partitioned cookie needs for that.
        var removal = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(login.Cookie!.Split('=')[0] + "=;", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", removal, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("partitioned", removal, StringComparison.OrdinalIgnoreCase);
        return location["/app?lt=".Length..];
    }

    private async Task<string> LaunchAndOpenHomeAsync(Func<string, string, JsonObject> claims)
    {
        var token = await LaunchTokenAsync(claims);
        var home = await _client.GetAsync("/app?lt=" + token);
        var body = await home.Content.ReadAsStringAsync();
        Assert.True(home.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    [GeneratedRegex("\"value\":\"([^\"]+)\"")]
    private static partial Regex BindingValue();
}

public sealed class LaunchSuccessTests_Sqlite(SqliteToolHost host) : LaunchSuccessTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class LaunchSuccessTests_PostgreSql(PostgresToolHost host) : LaunchSuccessTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;

#if SQLSERVER
public sealed class LaunchSuccessTests_SqlServer(SqlServerToolHost host) : LaunchSuccessTests<SqlServerToolHost>(host), IClassFixture<SqlServerToolHost>;
#endif
