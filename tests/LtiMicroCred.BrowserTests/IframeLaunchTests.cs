using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace LtiMicroCred.BrowserTests;

/// <summary>
/// The whole LTI 1.3 launch in a real browser: the sandbox LMS's course page on one site (localhost) frames the
/// tool on another site (127.0.0.1), so everything the tool does in the frame is third-party.
/// </summary>
public sealed class IframeLaunchTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string LoginPath = "/lti/login";
    private const string LaunchPath = "/lti/launch";
    private const string BindingField = "lti_browser_binding=";
    private const string BindingCookiePrefix = "ltimc_bind_";

    [Fact]
    public async Task IframeLaunch_WithThirdPartyCookiesBlocked_GreetsTeacher()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.BlockThirdPartyCookiesAsync(context, page);

        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");

        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        var tool = SandboxCourse.ToolFrame(page);
        Assert.StartsWith(fixture.Host.ToolOrigin + "/app?lt=", tool.Url, StringComparison.Ordinal);

        // The tool frame really is third-party and its unpartitioned cookies really are blocked: a SameSite=None
        // cookie written in the frame is not kept, while a partitioned (CHIPS) one is.
        var kept = await tool.EvaluateAsync<bool[]>(
            """
            () => {
              document.cookie = 'ltimc_probe_unpartitioned=1; SameSite=None; Secure; Path=/';
              document.cookie = 'ltimc_probe_partitioned=1; SameSite=None; Secure; Path=/; Partitioned';
              return [document.cookie.includes('ltimc_probe_unpartitioned='), document.cookie.includes('ltimc_probe_partitioned=')];
            }
            """);
        Assert.False(kept[0], "An unpartitioned third-party cookie was stored: third-party cookies are not blocked.");
        Assert.True(kept[1], "A partitioned cookie was not stored in the tool frame: cookies do not work there at all.");
        var cookies = await context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "ltimc_probe_unpartitioned");
        Assert.Contains(cookies, c => c.Name == "ltimc_probe_partitioned" && !string.IsNullOrEmpty(c.PartitionKey));
    }

    [Fact]
    public async Task IframeLaunch_WhenToolCookiesAreDropped_CompletesThroughPlatformStorage()
    {
        await using var context = await fixture.NewContextAsync();
        var droppedCookies = new List<string>();
        // The tool's login answer reaches the browser without its Set-Cookie headers, as where a browser drops
        // even partitioned cookies: the binding can then only travel through the platform's postMessage storage.
        await context.RouteAsync(fixture.Host.ToolOrigin + LoginPath, async route =>
        {
            var response = await route.FetchAsync();
            var setCookies = response.HeadersArray.Where(h => IsSetCookie(h.Name)).Select(h => CookieName(h.Value)).ToList();
            lock (droppedCookies)
            {
                droppedCookies.AddRange(setCookies);
            }

            // Playwright's fetch keeps the cookies it was sent in the context's jar; take them out again before
            // the browser sees the answer, so no cookie of the tool exists at all.
            foreach (var name in setCookies)
            {
                await context.ClearCookiesAsync(new() { Name = name });
            }

            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = response.Status,
                Headers = response.HeadersArray
                    .Where(h => !IsSetCookie(h.Name))
                    .GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase),
                BodyBytes = await response.BodyAsync(),
            });
        });

        // A page fulfilled by Playwright has no server address, so Chromium counts the tool's login page as
        // public and its step on to the loopback LMS as a Local Network Access request; the LMS page allows it.
        await context.GrantPermissionsAsync(["local-network-access"], new() { Origin = fixture.Host.LmsOrigin });
        var page = await context.NewPageAsync();
        var launchPosts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url == fixture.Host.ToolOrigin + LaunchPath)
            {
                lock (launchPosts)
                {
                    launchPosts.Add(request.PostData ?? string.Empty);
                }
            }
        };

        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");

        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        lock (droppedCookies)
        {
            Assert.True(droppedCookies.Count > 0, "The tool's login set no cookie, so dropping its cookies tested nothing.");
        }

        string[] posts;
        lock (launchPosts)
        {
            posts = [.. launchPosts];
        }

        // First the platform's form post, without the binding; then the tool's relay page posts again with the
        // binding it read back from the course page through lti.get_data.
        Assert.Equal(2, posts.Length);
        Assert.DoesNotContain(BindingField, posts[0], StringComparison.Ordinal);
        Assert.Matches(@"(^|&)lti_browser_binding=[^&]+", posts[1]);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.StartsWith(BindingCookiePrefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("teacher-ada", "Ada Okafor", "Teacher")]
    [InlineData("teacher-ben", "Ben Castillo", "Peer reviewer, Teacher")]
    [InlineData("principal-carla", "Carla Nguyen", "Principal, Teacher")]
    [InlineData("admin-dev", "Dev Patel", "District administrator, Coach")]
    public async Task IframeLaunch_EachSandboxPerson_IsGreetedWithTheirRole(string personId, string name, string role)
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, personId);

        await SandboxCourse.ExpectGreetingAsync(frame, name, role);
    }

    private static string CookieName(string setCookie) => setCookie[..Math.Max(0, setCookie.IndexOf('=', StringComparison.Ordinal))].Trim();

    private static bool IsSetCookie(string headerName) => string.Equals(headerName, "set-cookie", StringComparison.OrdinalIgnoreCase);
}
