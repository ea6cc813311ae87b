using System.Diagnostics;
using System.Net;

namespace LtiMicroCred.Benchmarks;

/// <summary>The five HTTP exchanges of one launch through the sandbox LMS, and who serves each.</summary>
internal static class Steps
{
    public const int Count = 5;

    public static readonly string[] Names =
    [
        "1. GET /sandbox/launch (login initiation form)",
        "2. POST /lti/login (OIDC login, launch state)",
        "3. GET /sandbox/auth (signs the id_token)",
        "4. POST /lti/launch (validate id_token, upsert user)",
        "5. GET /app (first page)",
    ];

    /// <summary>Steps 2, 4 and 5 are the tool's work; 1 and 3 are the platform's (the sandbox, in the same process).</summary>
    public static readonly bool[] IsTool = [false, true, false, true, true];
}

/// <summary>A refused or broken launch step; the message says which step and why.</summary>
internal sealed class LaunchFailedException(string message) : Exception(message);

/// <summary>Per launch: the time of each step and the whole journey, in milliseconds.</summary>
internal sealed class LaunchSample
{
    public double[] StepMs { get; } = new double[Steps.Count];

    public double JourneyMs { get; set; }

    public double ToolMs
    {
        get
        {
            var sum = 0.0;
            for (var i = 0; i < Steps.Count; i++)
            {
                if (Steps.IsTool[i])
                {
                    sum += StepMs[i];
                }
            }

            return sum;
        }
    }
}

/// <summary>
/// One full launch as a browser makes it: no automatic redirects, the virtual user's own cookies, every form read
/// from the page and posted back. Each step is timed from sending the request to having read the whole response.
/// </summary>
internal sealed class LaunchJourney(HttpClient http, Uri baseUrl)
{
    public async Task<LaunchSample> RunAsync(string person, string course, CookieJar cookies, CancellationToken cancellationToken)
    {
        var sample = new LaunchSample();
        var started = Stopwatch.GetTimestamp();
        var step = 0;
        try
        {
            // 1. The platform's launch page: an auto-submitting form to the tool's login initiation URL.
            var launchUrl = new Uri(baseUrl, $"sandbox/launch?person={Uri.EscapeDataString(person)}&course={Uri.EscapeDataString(course)}");
            var page = await SendAsync(sample, step, HttpMethod.Get, launchUrl, null, cookies, HttpStatusCode.OK, cancellationToken);
            var (loginUrl, loginFields) = AutoPostForm.Parse(page.Body, launchUrl);

            // 2. The tool's OIDC login initiation: stores the launch state, sets the binding cookie, redirects to the platform.
            step = 1;
            var login = await SendAsync(sample, step, HttpMethod.Post, loginUrl, loginFields, cookies, HttpStatusCode.Redirect, cancellationToken);
            var authUrl = login.Location ?? throw new LaunchFailedException("the login answer has no Location");

            // 3. The platform's authorization endpoint: signs the id_token (RS256) and posts it back through the browser.
            step = 2;
            var auth = await SendAsync(sample, step, HttpMethod.Get, authUrl, null, cookies, HttpStatusCode.OK, cancellationToken);
            var (launchPostUrl, launchFields) = AutoPostForm.Parse(auth.Body, authUrl);

            // 4. The tool's launch: checks state and binding cookie, validates the id_token, upserts the person, redirects.
            step = 3;
            var launch = await SendAsync(sample, step, HttpMethod.Post, launchPostUrl, launchFields, cookies, HttpStatusCode.Redirect, cancellationToken);
            var appUrl = launch.Location ?? throw new LaunchFailedException("the launch answer has no Location");

            // 5. The first page of the tool.
            step = 4;
            var app = await SendAsync(sample, step, HttpMethod.Get, appUrl, null, cookies, HttpStatusCode.OK, cancellationToken);
            if (!app.Body.Contains("Welcome, ", StringComparison.Ordinal))
            {
                throw new LaunchFailedException("the first page does not greet the user: " + AutoPostForm.Snippet(app.Body));
            }
        }
        catch (LaunchFailedException ex)
        {
            throw new LaunchFailedException($"step {Steps.Names[step]}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            throw new LaunchFailedException($"step {Steps.Names[step]}: {ex.HttpRequestError} {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LaunchFailedException($"step {Steps.Names[step]}: no answer within {http.Timeout.TotalSeconds:0} s");
        }

        sample.JourneyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return sample;
    }

    private async Task<(string Body, Uri? Location)> SendAsync(
        LaunchSample sample,
        int step,
        HttpMethod method,
        Uri url,
        List<KeyValuePair<string, string>>? form,
        CookieJar cookies,
        HttpStatusCode expected,
        CancellationToken cancellationToken)
    {
        Loopback.Require(url);
        using var request = new HttpRequestMessage(method, url);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        if (cookies.HeaderFor(url) is { } cookieHeader)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        sample.StepMs[step] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        cookies.Store(url, response);
        if (response.StatusCode != expected)
        {
            throw new LaunchFailedException($"HTTP {(int)response.StatusCode} instead of {(int)expected}: {AutoPostForm.Snippet(body)}");
        }

        return (body, response.Headers.Location is { } location ? new Uri(url, location) : null);
    }
}
