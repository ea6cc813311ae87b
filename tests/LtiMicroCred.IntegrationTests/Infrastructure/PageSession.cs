using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.IntegrationTests.Sandbox;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>
/// One person in a browser after a sandbox launch: carries the launch token on every request, keeps the antiforgery
/// cookie, and posts forms with the token read from the last page, as the browser would.
/// </summary>
public sealed partial class PageSession : IDisposable
{
    private readonly HttpClient _http;
    private string? _csrfCookie;

    private PageSession(HttpClient http, string launchToken)
    {
        _http = http;
        LaunchToken = launchToken;
    }

    public string LaunchToken { get; }

    public string LastPage { get; private set; } = string.Empty;

    public static async Task<PageSession> LaunchAsync(ToolHost host, string person, string course = "course-mc-1")
    {
        var http = host.CreateRawClient();
        var launch = await SandboxLaunchTests<ToolHost>.LaunchAsync(http, person, course);
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(http.BaseAddress!, launch.Headers.Location!).Query)["lt"].ToString();
        Assert.False(string.IsNullOrEmpty(token));
        return new PageSession(http, token);
    }

    public string WithToken(string path) => $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}lt={Uri.EscapeDataString(LaunchToken)}";

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WithToken(path));
        return await SendAsync(request);
    }

    /// <summary>Follows a post/redirect/get redirect, as a browser would.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, redirect.Headers.Location);
        return await SendAsync(request);
    }

    /// <summary>Posts a form of the last page (its antiforgery token and the launch token are added).</summary>
    public Task<HttpResponseMessage> PostAsync(string action, IDictionary<string, string> fields, bool withCsrf = true) =>
        PostContentAsync(action, content =>
        {
            foreach (var (key, value) in Fields(fields, withCsrf))
            {
                content.Add(new StringContent(value), key);
            }
        });

    /// <summary>Posts with this session's launch token but the form token found in <paramref name="page"/> (another page's).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string action, string page, IDictionary<string, string> fields) =>
        PostContentAsync(action, content =>
        {
            var all = new Dictionary<string, string>(fields) { ["lt"] = LaunchToken, ["__csrf"] = WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value) };
            foreach (var (key, value) in all)
            {
                content.Add(new StringContent(value), key);
            }
        });

    public Task<HttpResponseMessage> PostFileAsync(string action, IDictionary<string, string> fields, string fileField, string fileName, byte[] bytes) =>
        PostContentAsync(action, content =>
        {
            foreach (var (key, value) in Fields(fields, withCsrf: true))
            {
                content.Add(new StringContent(value), key);
            }

            content.Add(new ByteArrayContent(bytes), fileField, fileName);
        });

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostContentAsync(string action, Action<MultipartFormDataContent> fill)
    {
        var content = new MultipartFormDataContent();
        fill(content);
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = content };
        return await SendAsync(request);
    }

    private Dictionary<string, string> Fields(IDictionary<string, string> fields, bool withCsrf)
    {
        var all = new Dictionary<string, string>(fields) { ["lt"] = LaunchToken };
        if (withCsrf)
        {
            all["__csrf"] = WebUtility.HtmlDecode(CsrfField().Match(LastPage).Groups[1].Value);
        }

        return all;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_csrfCookie is not null)
        {
            request.Headers.Add("Cookie", _csrfCookie);
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("ltimc_csrf=", StringComparison.Ordinal)) is { } csrf)
        {
            _csrfCookie = csrf;
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            LastPage = await response.Content.ReadAsStringAsync();
        }

        return response;
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
