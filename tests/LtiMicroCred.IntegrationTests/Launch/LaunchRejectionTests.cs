using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Launch.LaunchAssertions;

namespace LtiMicroCred.IntegrationTests.Launch;

/// <summary>
/// Forged and malformed logins and launches. Each must be refused with its own named reason, through the real
/// host over HTTP, on each database. A test starts from a valid login and bends exactly one thing.
/// </summary>
public abstract class LaunchRejectionTests<THost>(THost host) : IAsyncLifetime where THost : ToolHost
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

    // ---- Login initiation ----

    [Fact]
    public Task Login_WithoutIssuer_IsRefused() => AssertLoginRefused(f => f.Remove("iss"), "missing_issuer");

    [Fact]
    public Task Login_WithoutLoginHint_IsRefused() => AssertLoginRefused(f => f.Remove("login_hint"), "missing_login_hint");

    [Fact]
    public Task Login_WithoutTargetLinkUri_IsRefused() => AssertLoginRefused(f => f.Remove("target_link_uri"), "missing_target_link_uri");

    [Fact]
    public Task Login_TargetLinkUriOnAnotherHost_IsRefused() =>
        AssertLoginRefused(f => f["target_link_uri"] = "https://evil.example/lti/launch", "invalid_target_link_uri");

    [Fact]
    public Task Login_UnknownIssuer_IsRefused() => AssertLoginRefused(f => f["iss"] = "https://unknown-lms.example", "unknown_platform");

    [Fact]
    public Task Login_UnknownClientId_IsRefused() => AssertLoginRefused(f => f["client_id"] = "99999", "unknown_platform");

    [Fact]
    public Task Login_UnknownDeploymentHint_IsRefused() => AssertLoginRefused(f => f["lti_deployment_id"] = "not-registered", "unknown_deployment");

    [Fact]
    public async Task Login_ForDeploymentRegisteredAfterARefusal_IsAcceptedAtOnce()
    {
        // The refusal is remembered by the registry cache; registering on this node must make it forget.
        var deployment = "late-" + Guid.NewGuid().ToString("N");
        var refused = await _client.LoginAsync(f => f["lti_deployment_id"] = deployment);
        await AssertRejectedAsync(refused.Response, "unknown_deployment");

        await host.WithServiceAsync<LtiMicroCred.Tenancy.RegisterPlatform, LtiMicroCred.Tenancy.RegisteredPlatform>(r => r.HandleAsync(
            new LtiMicroCred.Tenancy.RegisterPlatformCommand("Test District", "Test Canvas", TestPlatform.Issuer, TestPlatform.ClientId,
                host.Platform.Url + "/api/lti/authorize_redirect", host.Platform.Url + "/login/oauth2/token", host.Platform.Url + TestPlatform.JwksPath,
                deployment),
            CancellationToken.None));

        var accepted = await _client.LoginAsync(f => f["lti_deployment_id"] = deployment);
        Assert.Equal(HttpStatusCode.Redirect, accepted.Response.StatusCode);
    }

    [Fact]
    public async Task Login_ByGet_RedirectsToPlatformWithEveryRequiredParameter()
    {
        using var http = host.CreateRawClient();
        var url = $"/lti/login?iss={Uri.EscapeDataString(TestPlatform.Issuer)}&login_hint=hint-1&target_link_uri={Uri.EscapeDataString(_client.LaunchUrl)}&lti_message_hint=mh-1&client_id={TestPlatform.ClientId}";
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("openid", query["scope"]);
        Assert.Equal("id_token", query["response_type"]);
        Assert.Equal("form_post", query["response_mode"]);
        Assert.Equal("none", query["prompt"]);
        Assert.Equal(TestPlatform.ClientId, query["client_id"]);
        Assert.Equal(_client.LaunchUrl, query["redirect_uri"]);
        Assert.Equal("hint-1", query["login_hint"]);
        Assert.Equal("mh-1", query["lti_message_hint"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.StartsWith(host.Platform.Url + "/api/lti/authorize_redirect?", response.Headers.Location.ToString(), StringComparison.Ordinal);
    }

    // ---- The launch post ----

    [Fact]
    public async Task Launch_JsonBody_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        var response = await _client.PostLaunchAsync(new StringContent("{\"id_token\":\"x\"}", Encoding.UTF8, "application/json"), login.Cookie);
        await AssertRejectedAsync(response, "not_a_form_post");
    }

    [Fact]
    public async Task Launch_WithoutIdToken_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        await AssertRejectedAsync(await _client.LaunchAsync("x", login, change: f => f.Remove("id_token")), "missing_id_token");
    }

    [Fact]
    public async Task Launch_WithoutState_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        await AssertRejectedAsync(await _client.LaunchAsync(Valid(login), login, change: f => f.Remove("state")), "missing_state");
    }

    [Fact]
    public async Task Launch_UnknownState_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        await AssertRejectedAsync(await _client.LaunchAsync(Valid(login), login, change: f => f["state"] = "made-up-state"), "unknown_state");
    }

    [Fact]
    public async Task Launch_WithoutBrowserBindingCookie_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        await AssertRejectedAsync(await _client.LaunchAsync(Valid(login), login, cookie: "other=1"), "state_not_bound_to_browser");
    }

    [Fact]
    public async Task Launch_StateFromAnotherBrowser_IsRefused()
    {
        var victim = await _client.ValidLoginAsync();
        var attacker = await _client.ValidLoginAsync();
        // The attacker's own cookie value, renamed to the victim's cookie: a state mismatch.
        var forgedCookie = victim.Cookie!.Split('=')[0] + "=" + attacker.Cookie!.Split('=', 2)[1];
        await AssertRejectedAsync(await _client.LaunchAsync(Valid(victim), victim, cookie: forgedCookie), "state_not_bound_to_browser");
    }

    [Fact]
    public async Task Launch_Replayed_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        var token = Valid(login);
        var first = await _client.LaunchAsync(token, login);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await AssertRejectedAsync(await _client.LaunchAsync(token, login), "state_already_used");
    }

    [Fact]
    public async Task Launch_AfterStateExpired_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        await host.WithDbAsync(db => db.LaunchStates.Where(s => s.State == login.State)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        await AssertRejectedAsync(await _client.LaunchAsync(Valid(login), login), "state_expired");
    }

    [Fact]
    public async Task Launch_OversizedToken_IsRefused()
    {
        var login = await _client.ValidLoginAsync();
        var claims = Claims(login);
        claims["padding"] = new string('x', 70_000);
        await AssertRejectedAsync(await _client.LaunchAsync(host.Platform.Sign(claims), login), "token_too_large");
    }

    // ---- The id_token's form and signature ----

    [Fact]
    public Task Token_NotAJwt_IsRefused() => AssertTokenRefused(_ => "this-is-not-a-jwt", "malformed_token");

    [Fact]
    public Task Token_TwoSegments_IsRefused() => AssertTokenRefused(l => string.Join('.', Valid(l).Split('.').Take(2)), "malformed_token");

    [Fact]
    public Task Token_PayloadNotJson_IsRefused() =>
        AssertTokenRefused(_ => TestPlatform.Encode("{\"alg\":\"RS256\",\"kid\":\"platform-key-1\"}") + "." + TestPlatform.Encode("not json") + ".c2ln", "malformed_token");

    [Fact]
    public Task Token_Encrypted_IsRefused() =>
        AssertTokenRefused(_ => TestPlatform.Encode("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"platform-key-1\"}") + ".a2V5.aXY.Y2lwaGVy.dGFn", "encrypted_token");

    [Fact]
    public Task Token_AlgNone_IsRefused() => AssertTokenRefused(l => TestPlatform.Unsigned(Claims(l)), "unsupported_algorithm");

    [Fact]
    public Task Token_Hs256SignedWithPublicKey_IsRefused() => AssertTokenRefused(l => host.Platform.Hs256WithPublicKey(Claims(l)), "unsupported_algorithm");

    [Fact]
    public Task Token_Rs512_IsRefused() => AssertTokenRefused(l => host.Platform.Sign(Claims(l), alg: "RS512"), "unsupported_algorithm");

    [Fact]
    public Task Token_WithoutKid_IsRefused() => AssertTokenRefused(l => TestPlatform.SignWith(host.Platform.Key, Claims(l), kid: null), "missing_key_id");

    [Fact]
    public async Task Token_UnknownKid_IsRefused()
    {
        using var stranger = RSA.Create(2048);
        await AssertTokenRefused(l => TestPlatform.SignWith(stranger, Claims(l), "kid-nobody-published"), "unknown_key_id");
    }

    [Fact]
    public async Task Token_SignedByAnotherKeyUnderThePlatformsKid_IsRefused()
    {
        using var stranger = RSA.Create(2048);
        await AssertTokenRefused(l => TestPlatform.SignWith(stranger, Claims(l), TestPlatform.Kid), "invalid_signature");
    }

    [Fact]
    public Task Token_TamperedPayload_IsRefused() => AssertTokenRefused(l =>
    {
        var parts = Valid(l).Split('.');
        var claims = Claims(l);
        claims[Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator");
        return parts[0] + "." + TestPlatform.Encode(claims.ToJsonString()) + "." + parts[2];
    }, "invalid_signature");

    [Fact]
    public Task Token_TamperedSignature_IsRefused() => AssertTokenRefused(l =>
    {
        var token = Valid(l);
        var last = token[^2] == 'A' ? 'B' : 'A';
        return token[..^2] + last + token[^1];
    }, "invalid_signature");

    // ---- Registered claims ----

    [Fact]
    public Task Token_WrongIssuer_IsRefused() => AssertClaimsRefused(c => c["iss"] = "https://other-lms.example", "wrong_issuer");

    [Fact]
    public Task Token_WithoutIssuer_IsRefused() => AssertClaimsRefused(c => c.Remove("iss"), "wrong_issuer");

    [Fact]
    public Task Token_WrongAudience_IsRefused() => AssertClaimsRefused(c => c["aud"] = "some-other-tool", "wrong_audience");

    [Fact]
    public Task Token_WithoutAudience_IsRefused() => AssertClaimsRefused(c => c.Remove("aud"), "missing_audience");

    [Fact]
    public Task Token_SeveralAudiencesWithoutAzp_IsRefused() =>
        AssertClaimsRefused(c => c["aud"] = new JsonArray(TestPlatform.ClientId, "another-client"), "missing_authorized_party");

    [Fact]
    public Task Token_SeveralAudiencesWithWrongAzp_IsRefused() => AssertClaimsRefused(c =>
    {
        c["aud"] = new JsonArray(TestPlatform.ClientId, "another-client");
        c["azp"] = "another-client";
    }, "wrong_authorized_party");

    [Fact]
    public Task Token_Expired_IsRefused() => AssertClaimsRefused(c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds(), "expired");

    [Fact]
    public Task Token_WithoutExpiry_IsRefused() => AssertClaimsRefused(c => c.Remove("exp"), "missing_expiry");

    [Fact]
    public Task Token_IssuedInTheFuture_IsRefused() => AssertClaimsRefused(c => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(), "issued_in_future");

    [Fact]
    public Task Token_WithoutIssuedAt_IsRefused() => AssertClaimsRefused(c => c.Remove("iat"), "missing_issued_at");

    [Fact]
    public Task Token_NotYetValid_IsRefused() => AssertClaimsRefused(c => c["nbf"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(), "not_yet_valid");

    [Fact]
    public Task Token_WithoutNonce_IsRefused() => AssertClaimsRefused(c => c.Remove("nonce"), "missing_nonce");

    [Fact]
    public Task Token_NonceOfAnotherLogin_IsRefused() => AssertClaimsRefused(c => c["nonce"] = "nonce-from-elsewhere", "nonce_mismatch");

    // ---- LTI claims ----

    [Fact]
    public Task Token_WithoutMessageType_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "message_type"), "missing_message_type");

    [Fact]
    public Task Token_UnknownMessageType_IsRefused() => AssertClaimsRefused(c => c[Lti + "message_type"] = "LtiSubmissionReviewRequest", "unknown_message_type");

    [Fact]
    public Task Token_WithoutVersion_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "version"), "missing_version");

    [Fact]
    public Task Token_WrongVersion_IsRefused() => AssertClaimsRefused(c => c[Lti + "version"] = "1.1", "wrong_version");

    [Fact]
    public Task Token_WithoutDeploymentId_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "deployment_id"), "missing_deployment_id");

    [Fact]
    public Task Token_UnknownDeploymentId_IsRefused() => AssertClaimsRefused(c => c[Lti + "deployment_id"] = "99:unregistered", "unknown_deployment");

    [Fact]
    public Task Token_WithoutSubject_IsRefused() => AssertClaimsRefused(c => c.Remove("sub"), "missing_subject");

    [Fact]
    public Task Token_WithoutRoles_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "roles"), "missing_roles");

    [Fact]
    public Task Token_RolesNotAnArray_IsRefused() =>
        AssertClaimsRefused(c => c[Lti + "roles"] = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", "malformed_claim");

    [Fact]
    public Task Token_WithoutResourceLink_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "resource_link"), "missing_resource_link");

    [Fact]
    public Task Token_ResourceLinkWithoutId_IsRefused() =>
        AssertClaimsRefused(c => c[Lti + "resource_link"] = new JsonObject { ["title"] = "no id" }, "missing_resource_link");

    [Fact]
    public Task Token_WithoutTargetLinkUri_IsRefused() => AssertClaimsRefused(c => c.Remove(Lti + "target_link_uri"), "missing_target_link_uri_claim");

    [Fact]
    public Task Token_TargetLinkUriOtherThanLogins_IsRefused() =>
        AssertClaimsRefused(c => c[Lti + "target_link_uri"] = _client.LaunchUrl + "?other=1", "target_link_uri_mismatch");

    [Fact]
    public Task Token_ContextNotAnObject_IsRefused() => AssertClaimsRefused(c => c[Lti + "context"] = "ctx-4321", "malformed_claim");

    [Fact]
    public Task DeepLinking_WithoutSettings_IsRefused() => AssertTokenRefused(l =>
    {
        var claims = TestPlatform.DeepLinkingClaims(l.Nonce, _client.LaunchUrl);
        claims.Remove("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings");
        return host.Platform.Sign(claims);
    }, "missing_deep_linking_settings");

    [Fact]
    public Task DeepLinking_SettingsWithoutReturnUrl_IsRefused() => AssertTokenRefused(l =>
    {
        var claims = TestPlatform.DeepLinkingClaims(l.Nonce, _client.LaunchUrl);
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]!.AsObject().Remove("deep_link_return_url");
        return host.Platform.Sign(claims);
    }, "missing_deep_linking_settings");

    // ---- How refusals are reported ----

    [Fact]
    public async Task Rejection_ForApiCaller_IsJsonNamingTheReason()
    {
        var login = await _client.ValidLoginAsync();
        using var http = host.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/lti/launch")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id_token"] = "garbage", ["state"] = login.State }),
        };
        request.Headers.Add("Cookie", login.Cookie!);
        request.Headers.Accept.ParseAdd("application/json");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("launch_rejected", (string?)json["error"]);
        Assert.Equal("malformed_token", (string?)json["reason"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)json["message"]));
    }

    [Fact]
    public async Task Rejection_WritesOneLogLineWithReasonAndIssuer_AndNeverTheToken()
    {
        var login = await _client.ValidLoginAsync();
        var claims = Claims(login);
        claims["aud"] = "some-other-tool";
        var token = host.Platform.Sign(claims);
        var before = host.Logs.Lines.Count;
        await AssertRejectedAsync(await _client.LaunchAsync(token, login), "wrong_audience");

        var lines = host.Logs.Lines.Skip(before).Where(l => l.Message.Contains("WrongAudience", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.Equal(TestPlatform.Issuer, lines[0].Properties["Issuer"]?.ToString());
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(token.Split('.')[2], StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(login.Nonce, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlatformKeysUnreachable_IsRefusedAsBadGateway()
    {
        // A platform whose JWKS URL answers 500: registered separately so the shared platform keeps working.
        using var broken = new TestPlatform();
        broken.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(TestPlatform.JwksPath).UsingGet())
            .AtPriority(0)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500).WithBody("{\"errors\":[{\"message\":\"An error occurred.\"}]}"));
        const string issuer = "https://broken-lms.test.example";
        await host.WithServiceAsync<LtiMicroCred.Tenancy.RegisterPlatform, LtiMicroCred.Tenancy.RegisteredPlatform>(r => r.HandleAsync(
            new LtiMicroCred.Tenancy.RegisterPlatformCommand("Broken District", "Broken", issuer, "c-1", broken.Url + "/auth", broken.Url + "/token",
                broken.Url + TestPlatform.JwksPath, "d-1"), CancellationToken.None));
        var login = await _client.LoginAsync(f => { f["iss"] = issuer; f["client_id"] = "c-1"; f["lti_deployment_id"] = "d-1"; });
        var claims = Claims(login);
        claims["iss"] = issuer;
        claims["aud"] = "c-1";
        var response = await _client.LaunchAsync(TestPlatform.SignWith(broken.Key, claims, TestPlatform.Kid), login);
        await AssertRejectedAsync(response, "platform_keys_unavailable", HttpStatusCode.BadGateway);
    }

    private JsonObject Claims(LaunchClient.Login login) => TestPlatform.ResourceLinkClaims(login.Nonce, _client.LaunchUrl);

    private string Valid(LaunchClient.Login login) => host.Platform.Sign(Claims(login));

    private async Task AssertLoginRefused(Action<Dictionary<string, string>> change, string reason)
    {
        var login = await _client.LoginAsync(change);
        Assert.Null(login.Cookie);
        await AssertRejectedAsync(login.Response, reason);
    }

    private async Task AssertTokenRefused(Func<LaunchClient.Login, string> token, string reason)
    {
        var login = await _client.ValidLoginAsync();
        await AssertRejectedAsync(await _client.LaunchAsync(token(login), login), reason);
    }

    private Task AssertClaimsRefused(Action<JsonObject> change, string reason) => AssertTokenRefused(login =>
    {
        var claims = Claims(login);
        change(claims);
        return host.Platform.Sign(claims);
    }, reason);
}

public sealed class LaunchRejectionTests_Sqlite(SqliteToolHost host) : LaunchRejectionTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class LaunchRejectionTests_PostgreSql(PostgresToolHost host) : LaunchRejectionTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;

#if SQLSERVER
public sealed class LaunchRejectionTests_SqlServer(SqlServerToolHost host) : LaunchRejectionTests<SqlServerToolHost>(host), IClassFixture<SqlServerToolHost>;
#endif
