using System.Net;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>Canvas's REST OAuth 2 code flow: consent, code exchange, refresh, expiry.</summary>
public sealed class RestOAuthTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private readonly ToolSide tool = new(host);

    private string AssignmentsUrl => $"{host.Root}/api/v1/courses/{SandboxHost.McCourse}/assignments";

    [Fact]
    public async Task CodeFlow_Authorized_GivesTokensForThatPerson()
    {
        var redirect = await tool.ConsentAsync("principal-carla", "authorize", state: "s-123");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(host.BaseUrl + ToolSide.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        Assert.Equal("s-123", ToolSide.QueryValue(location, "state"));

        var exchange = await tool.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = SandboxHost.RestClientSecret,
            ["redirect_uri"] = host.BaseUrl + ToolSide.RedirectUri,
            ["code"] = ToolSide.QueryValue(location, "code"),
        });
        var body = await AgsTests.JsonAsync(exchange);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(5001, body.GetProperty("user").GetProperty("id").GetInt64());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));

        var api = await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, body.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task CodeFlow_Cancelled_RedirectsWithAccessDenied()
    {
        var redirect = await tool.ConsentAsync("teacher-ada", "cancel", state: "s-9");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("access_denied", ToolSide.QueryValue(redirect.Headers.Location!, "error"));
        Assert.Equal("s-9", ToolSide.QueryValue(redirect.Headers.Location!, "state"));
        Assert.Equal(string.Empty, ToolSide.QueryValue(redirect.Headers.Location!, "code"));
    }

    [Fact]
    public async Task Code_WorksOnlyOnce()
    {
        var redirect = await tool.ConsentAsync("teacher-ada", "authorize");
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = SandboxHost.RestClientSecret,
            ["redirect_uri"] = host.BaseUrl + ToolSide.RedirectUri,
            ["code"] = ToolSide.QueryValue(redirect.Headers.Location!, "code"),
        };
        Assert.Equal(HttpStatusCode.OK, (await tool.ExchangeAsync(fields)).StatusCode);

        var again = await tool.ExchangeAsync(fields);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", (await AgsTests.JsonAsync(again)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task CodeExchange_WithTheWrongSecret_IsInvalidClient()
    {
        var redirect = await tool.ConsentAsync("teacher-ada", "authorize");

        var exchange = await tool.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = "not-the-secret",
            ["redirect_uri"] = host.BaseUrl + ToolSide.RedirectUri,
            ["code"] = ToolSide.QueryValue(redirect.Headers.Location!, "code"),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, exchange.StatusCode);
        Assert.Equal("invalid_client", (await AgsTests.JsonAsync(exchange)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ExpiredAccessToken_Is401WithWwwAuthenticate_AndRefreshGivesAWorkingOne()
    {
        var (access, refresh) = await tool.RestTokensAsync("admin-dev");
        Assert.Equal(HttpStatusCode.OK, (await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, access)).StatusCode);

        host.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, access);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var challenge = expired.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("Invalid access token.", (await AgsTests.JsonAsync(expired)).GetProperty("errors")[0].GetProperty("message").GetString());

        var refreshed = await tool.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = SandboxHost.RestClientSecret,
            ["refresh_token"] = refresh,
        });
        var body = await AgsTests.JsonAsync(refreshed);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.OK, (await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, body.GetProperty("access_token").GetString())).StatusCode);
    }

    [Fact]
    public async Task Refresh_WithAnUnknownToken_IsInvalidGrant()
    {
        var response = await tool.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = SandboxHost.RestClientSecret,
            ["refresh_token"] = "made-up",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await AgsTests.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Api_WithoutAToken_Is401WithAChallenge()
    {
        var response = await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Api_WithAServiceToken_IsRefused()
    {
        var serviceToken = await tool.ServiceTokenAsync(ToolSide.LineItemScope);

        var response = await tool.SendAsync(HttpMethod.Get, AssignmentsUrl, serviceToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_IsRefusedOnThePageWithoutRedirecting()
    {
        var response = await tool.Http.GetAsync(tool.AuthorizeUrl("teacher-ada", redirectUri: "https://evil.example/callback"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WithoutAPerson_AsksWhoIsSigningIn_ThenUsesTheCoursePageCookie()
    {
        var ask = await tool.Http.GetAsync(tool.AuthorizeUrl(personId: null));
        var askPage = await ask.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("Who is signing in?", askPage, StringComparison.Ordinal);
        Assert.Contains("as_user=teacher-ben", askPage, StringComparison.Ordinal);

        var course = await tool.Http.GetAsync("/sandbox/course/course-mc-1?person=teacher-ben");
        var cookie = course.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sandbox_person=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, tool.AuthorizeUrl(personId: null));
        request.Headers.Add("Cookie", cookie);
        var consent = await tool.Http.SendAsync(request);

        var page = await consent.Content.ReadAsStringAsync();
        Assert.Contains("<strong>Ben Castillo</strong>", page, StringComparison.Ordinal);
        Assert.Contains(">Authorize</button>", page, StringComparison.Ordinal);
        Assert.Contains(">Cancel</button>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_WithATamperedTicket_IsRefused()
    {
        var response = await tool.Http.PostAsync("/sandbox/login/oauth2/auth",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = "eyJmYWtlIjp0cnVlfQ.AAAA", ["decision"] = "authorize" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
