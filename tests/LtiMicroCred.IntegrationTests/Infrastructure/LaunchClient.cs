using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>Plays the browser between a platform and the tool: login initiation, then the id_token post.</summary>
public sealed partial class LaunchClient(ToolHost host) : IDisposable
{
    private readonly HttpClient _http = host.CreateRawClient();

    public string LaunchUrl => new Uri(host.BaseAddress, "/lti/launch").ToString();

    public async Task<Login> LoginAsync(Action<Dictionary<string, string>>? change = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["iss"] = TestPlatform.Issuer,
            ["login_hint"] = "opaque-login-hint",
            ["target_link_uri"] = LaunchUrl,
            ["lti_message_hint"] = "opaque-message-hint",
            ["client_id"] = TestPlatform.ClientId,
            ["lti_deployment_id"] = TestPlatform.DeploymentId,
        };
        change?.Invoke(fields);
        var response = await _http.PostAsync("/lti/login", new FormUrlEncodedContent(fields));
        return await Login.FromAsync(response);
    }

    public async Task<Login> ValidLoginAsync()
    {
        var login = await LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, login.Response.StatusCode);
        return login;
    }

    public Task<HttpResponseMessage> LaunchAsync(string idToken, Login login, string? cookie = null, Action<Dictionary<string, string>>? change = null)
    {
        var fields = new Dictionary<string, string> { ["id_token"] = idToken, ["state"] = login.State };
        change?.Invoke(fields);
        return PostLaunchAsync(new FormUrlEncodedContent(fields), cookie ?? login.Cookie);
    }

    public async Task<HttpResponseMessage> PostLaunchAsync(HttpContent content, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/lti/launch") { Content = content };
        request.Headers.Accept.ParseAdd("text/html");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    public void Dispose() => _http.Dispose();

    /// <summary>What the tool answered to a login initiation.</summary>
    public sealed record Login(HttpResponseMessage Response, string Body, string State, string Nonce, string? Cookie, Uri? Location)
    {
        public static async Task<Login> FromAsync(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var location = response.Headers.Location;
            var query = location is null ? new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>() : QueryHelpers.ParseQuery(location.Query);
            var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("ltimc_bind_", StringComparison.Ordinal))
                : null;
            if (location is null && StateInPage().Match(body) is { Success: true } match)
            {
                // Storage-target logins answer with a page; its data block names the next address.
                var next = NextInPage().Match(body).Groups[1].Value.Replace("\\u0026", "&", StringComparison.Ordinal);
                query = QueryHelpers.ParseQuery(new Uri(next).Query);
                _ = match;
            }

            return new Login(response, body, query.TryGetValue("state", out var s) ? s.ToString() : string.Empty,
                query.TryGetValue("nonce", out var n) ? n.ToString() : string.Empty, cookie, location);
        }
    }

    [GeneratedRegex("\"key\":\"ltimc_state_[^\"]+\"")]
    private static partial Regex StateInPage();

    [GeneratedRegex("\"next\":\"([^\"]+)\"")]
    private static partial Regex NextInPage();
}
