using System.Net;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.LtiServiceTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>Client credentials with a signed JWT assertion against Canvas's token endpoint (contract 01).</summary>
public sealed class TokenTests
{
    private static readonly string[] AgsScopes = [LtiScopes.Score, LtiScopes.LineItem];

    [Fact]
    public async Task Token_request_posts_the_form_fields_and_a_client_assertion_the_tool_jwks_validates()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(ContractFile.Load("01", h.Lms.Url).Response);

        var before = DateTimeOffset.UtcNow;
        var token = await h.Tokens.GetTokenAsync(h.Platform, AgsScopes, CancellationToken.None);

        var request = Assert.Single(h.Lms.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(LtiStub.TokenPath, request.Path);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        Assert.Equal("application/x-www-form-urlencoded", LtiStub.Header(request, "Content-Type"));
        Assert.Equal("application/json", LtiStub.Header(request, "Accept"));
        Assert.Null(LtiStub.Header(request, "Authorization"));
        var form = LtiStub.Form(request);
        Assert.Equal(["client_assertion", "client_assertion_type", "grant_type", "scope"], form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        // Space-delimited, each scope once, in a stable (ordinal) order: the cache key is the same string.
        Assert.Equal($"{LtiScopes.LineItem} {LtiScopes.Score}", form["scope"]);

        var jwks = await h.ToolKeys.GetPublicKeySetAsync(CancellationToken.None);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"], new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidIssuer = LtiHarness.ClientId,
            ValidAudience = h.Lms.TokenEndpoint,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        var assertion = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", assertion.Alg);
        Assert.Equal(jwks.Keys[0].Kid, assertion.Kid);
        Assert.Equal(LtiHarness.ClientId, assertion.Issuer);
        Assert.Equal(LtiHarness.ClientId, assertion.Subject);
        Assert.Equal([h.Lms.TokenEndpoint], assertion.Audiences);
        Assert.False(string.IsNullOrWhiteSpace(assertion.Id), "jti");
        Assert.InRange(assertion.IssuedAt, before.UtcDateTime.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(5), assertion.ValidTo - assertion.IssuedAt);

        // The contract's token answer, as the provider keeps it.
        var body = ContractFile.Load("01").Response.Body!;
        Assert.Equal((string)body["access_token"]!, token.AccessToken);
        Assert.Equal(((string)body["scope"]!).Split(' '), token.Scopes);
        Assert.InRange(token.ExpiresAt, before.AddSeconds((int)body["expires_in"]! - 1), DateTimeOffset.UtcNow.AddSeconds((int)body["expires_in"]! + 1));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Each_token_request_has_its_own_jti()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");

        await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.Score], CancellationToken.None);
        await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.ContextMembershipReadOnly], CancellationToken.None);

        var ids = h.Lms.TokenRequests.Select(r => new JsonWebToken(LtiStub.Form(r)["client_assertion"]).Id).ToList();
        Assert.Equal(2, ids.Count);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal([LtiScopes.Score, LtiScopes.ContextMembershipReadOnly], h.Lms.TokenRequests.Select(r => LtiStub.Form(r)["scope"]));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Token_is_reused_from_the_cache_for_later_calls()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        var show = ContractFile.Load("02c", h.Lms.Url).Response;
        h.Lms.Stub("GET", h.CoursePath("/line_items/55"), show);

        await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")));
        await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")));
        var direct = await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.LineItemReadOnly], CancellationToken.None);

        Assert.Single(h.Lms.TokenRequests);
        Assert.Equal("token-1", direct.AccessToken);
        Assert.All(h.Lms.ServiceRequests, r => Assert.Equal("Bearer token-1", LtiStub.Header(r, "Authorization")));
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Token_near_its_expiry_is_renewed()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        string[] scopes = [LtiScopes.ResultReadOnly];

        var first = await h.Tokens.GetTokenAsync(h.Platform, scopes, CancellationToken.None);
        // Just outside the renewal window (2 min before expiry): still handed out.
        h.Clock.Advance(TimeSpan.FromSeconds(3600) - TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(5));
        var stillFirst = await h.Tokens.GetTokenAsync(h.Platform, scopes, CancellationToken.None);
        Assert.Single(h.Lms.TokenRequests);
        // Inside it: a new one is fetched.
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        var renewed = await h.Tokens.GetTokenAsync(h.Platform, scopes, CancellationToken.None);

        Assert.Equal("token-1", first.AccessToken);
        Assert.Equal("token-1", stillFirst.AccessToken);
        Assert.Equal("token-2", renewed.AccessToken);
        Assert.Equal(2, h.Lms.TokenRequests.Count);
        Assert.Equal("token-2", Assert.Single(h.TokenCache.Tokens).AccessToken);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Token_granted_for_less_than_the_renewal_window_is_not_reused()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(h.Lms.TokenAnswer("short-1", expiresIn: 60), h.Lms.TokenAnswer("short-2", expiresIn: 60));

        var first = await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.Score], CancellationToken.None);
        var second = await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.Score], CancellationToken.None);

        Assert.Equal(["short-1", "short-2"], new[] { first.AccessToken, second.AccessToken });
        Assert.Equal(2, h.Lms.TokenRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Concurrent_first_calls_make_one_token_request()
    {
        const int callers = 8;
        using var h = await LtiHarness.StartAsync();
        // The token answer is held back until every caller has looked in the cache (one look each, plus the first
        // caller's second look under the lock), so all of them are waiting while the one request is in flight.
        h.TokenCache.SignalAfterGets = callers + 1;
        h.Lms.StubTokens(new GatedResponder(h.Lms.TokenAnswer("only-token").ToResponse(), h.TokenCache.GetsReached.Task));

        var tokens = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ =>
            Task.Run(() => h.Tokens.GetTokenAsync(h.Platform, AgsScopes, CancellationToken.None))));

        Assert.True(h.TokenCache.GetsReached.Task.IsCompleted, "not every caller was waiting while the token was requested");
        Assert.Single(h.Lms.TokenRequests);
        Assert.All(tokens, t => Assert.Equal("only-token", t.AccessToken));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Refused_token_request_is_Unauthorized_with_the_platforms_message()
    {
        using var h = await LtiHarness.StartAsync();
        // RFC 6749 §5.2 error body; Canvas's own wording was not captured in the contract (01 notes).
        h.Lms.StubTokens(new ContractResponse(400, new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8" },
            new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client authentication failed." }));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55"))));

        Assert.Equal(LtiServiceErrorKind.Unauthorized, e.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal("POST", e.Method);
        Assert.Equal(h.Lms.TokenEndpoint, e.Url);
        Assert.Equal("invalid_client: Client authentication failed.", e.PlatformMessage);
        Assert.Contains("invalid_client: Client authentication failed.", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
        Assert.Single(h.Lms.TokenRequests);
        Assert.Empty(h.Lms.ServiceRequests);
        Assert.Empty(h.TokenCache.Tokens);
        h.Lms.AssertNoUnexpectedRequests();
    }
}
