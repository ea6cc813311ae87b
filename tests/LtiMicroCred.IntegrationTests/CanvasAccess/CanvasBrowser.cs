using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Sandbox;

namespace LtiMicroCred.IntegrationTests.CanvasAccess;

/// <summary>
/// One person's browser going through "Connect to Canvas" over real HTTP: a sandbox launch, the tool's connect page
/// (top-level), the sandbox's consent page, and Canvas's redirect back to the tool. Keeps the binding cookie by hand,
/// as the raw client keeps none.
/// </summary>
public sealed partial class CanvasBrowser(ToolHost host) : IDisposable
{
    private readonly HttpClient _http = host.CreateRawClient();

    public string LaunchToken { get; private set; } = string.Empty;

    /// <summary>The tool's browser-binding cookie ("name=value") as the connect page set it.</summary>
    public string? BindingCookie { get; set; }

    public HttpClient Http => _http;

    public async Task LaunchAsync(string person, string course = "course-mc-1")
    {
        var launch = await SandboxLaunchTests<SqliteToolHost>.LaunchAsync(_http, person, course);
        var location = launch.Headers.Location!.OriginalString;
        LaunchToken = Uri.UnescapeDataString(location[(location.IndexOf("lt=", StringComparison.Ordinal) + 3)..]);
    }

    public Task<HttpResponseMessage> OpenConnectPageAsync() =>
        _http.GetAsync("/app/canvas/connect?lt=" + Uri.EscapeDataString(LaunchToken));

    /// <summary>Connect page, then the consent page as <paramref name="consentAs"/>; returns Canvas's redirect back to the tool.</summary>
    public async Task<Uri> ConsentAsync(string consentAs, bool authorize = true)
    {
        var connect = await OpenConnectPageAsync();
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        BindingCookie = connect.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("ltimc_canvas_bind=", StringComparison.Ordinal));
        return await DecideAsync(connect.Headers.Location!, consentAs, authorize);
    }

    public async Task<Uri> DecideAsync(Uri authorizeUrl, string consentAs, bool authorize)
    {
        var consent = await _http.GetAsync(authorizeUrl + "&as_user=" + consentAs);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        var ticket = WebUtility.HtmlDecode(TicketInput().Match(await consent.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.NotEmpty(ticket);
        var decision = await _http.PostAsync(authorizeUrl.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ticket"] = ticket,
            ["decision"] = authorize ? "authorize" : "cancel",
        }));
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        var back = decision.Headers.Location!;
        Assert.Equal("/app/canvas/callback", back.AbsolutePath);
        return back;
    }

    /// <summary>Follows Canvas's redirect back to the tool with this browser's binding cookie; returns status and page.</summary>
    public async Task<(HttpStatusCode Status, string Page)> ReturnToToolAsync(Uri callback)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        if (BindingCookie is not null)
        {
            request.Headers.Add("Cookie", BindingCookie);
        }

        var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The whole connect flow as <paramref name="person"/>, who also approves as themselves.</summary>
    public async Task<(HttpStatusCode Status, string Page)> ConnectAsync(string person)
    {
        await LaunchAsync(person);
        return await ReturnToToolAsync(await ConsentAsync(person));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"ticket\" value=\"([^\"]*)\"")]
    private static partial Regex TicketInput();
}
