using System.Net;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>POST /sandbox/login/oauth2/token with client_credentials and a client assertion the tool signed.</summary>
public sealed class TokenEndpointTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private readonly ToolSide tool = new(host);

    [Fact]
    public async Task ClientCredentials_ValidAssertion_GrantsTheRequestedScopesInCanvasShape()
    {
        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(), ToolSide.AllScopes);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Contract.ContentType("01_oauth2_token_client_credentials.json"), response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var json = JsonDocument.Parse(body).RootElement;
        Contract.AssertShape(Contract.Body("01_oauth2_token_client_credentials.json"), json, rest: false);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(3600, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(ToolSide.AllScopes, json.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task ClientCredentials_AssertionSignedWithAnotherKey_IsInvalidClient()
    {
        var impostor = SandboxHost.NewKey(host.ToolKey.KeyId!);

        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(key: impostor), ToolSide.ScoreScope);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "signature");
    }

    [Fact]
    public async Task ClientCredentials_AudienceIsNotTheTokenEndpoint_IsInvalidClient()
    {
        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(audience: host.Root), ToolSide.ScoreScope);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "aud");
    }

    [Fact]
    public async Task ClientCredentials_ExpiredAssertion_IsInvalidClient()
    {
        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(expiresIn: TimeSpan.FromMinutes(-5)), ToolSide.ScoreScope);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "expired");
    }

    [Fact]
    public async Task ClientCredentials_ReplayedJti_IsRefusedTheSecondTime()
    {
        var jti = Guid.NewGuid().ToString();
        var first = await tool.RequestServiceTokenAsync(tool.ClientAssertion(jti: jti), ToolSide.ScoreScope);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var replay = await tool.RequestServiceTokenAsync(tool.ClientAssertion(jti: jti), ToolSide.ScoreScope);

        await AssertOAuthErrorAsync(replay, HttpStatusCode.Unauthorized, "invalid_client", "jti");
    }

    [Fact]
    public async Task ClientCredentials_SubjectIsNotTheClientId_IsInvalidClient()
    {
        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(subject: "someone-else"), ToolSide.ScoreScope);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "sub");
    }

    [Fact]
    public async Task ClientCredentials_UnknownScope_IsInvalidScope()
    {
        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(), ToolSide.ScoreScope,
            "https://purl.imsglobal.org/spec/lti/scope/noticehandlers");

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "noticehandlers");
    }

    [Fact]
    public async Task UnknownGrantType_IsUnsupportedGrantType()
    {
        var response = await tool.ExchangeAsync(new Dictionary<string, string> { ["grant_type"] = "password" });

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type", "password");
    }

    [Fact]
    public async Task ClientCredentials_KeyTheSandboxHasNotSeenYet_IsFetchedAgainAndAccepted()
    {
        // The first grant makes the sandbox read and cache the key set; then the tool rotates to a new key.
        await tool.ServiceTokenAsync(ToolSide.ScoreScope);
        var rotated = SandboxHost.NewKey("tool-key-" + Guid.NewGuid().ToString("N"));
        host.Publish(rotated);

        var response = await tool.RequestServiceTokenAsync(tool.ClientAssertion(key: rotated), ToolSide.ScoreScope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServiceToken_AfterItsLifetime_IsRefusedByTheServices()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.LineItemReadOnlyScope);
        var url = $"{host.Root}/api/lti/courses/{SandboxHost.McCourse}/line_items";
        Assert.Equal(HttpStatusCode.OK, (await tool.SendAsync(HttpMethod.Get, url, token)).StatusCode);

        host.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await tool.SendAsync(HttpMethod.Get, url, token);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var errors = JsonDocument.Parse(await expired.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("unauthorized", errors.GetProperty("type").GetString());
        Assert.Contains("expired", errors.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string descriptionMentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Contains(descriptionMentions, json.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
    }
}
