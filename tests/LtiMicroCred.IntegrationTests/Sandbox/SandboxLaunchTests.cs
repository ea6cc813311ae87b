using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.IntegrationTests.Infrastructure;

namespace LtiMicroCred.IntegrationTests.Sandbox;

/// <summary>
/// The run command's path, over real HTTP: the sandbox LMS starts a third-party login, authenticates, posts a signed
/// id_token, and the tool greets each seeded person by name and role, as a browser following the forms would see it.
/// </summary>
public abstract partial class SandboxLaunchTests<THost>(THost host) where THost : ToolHost
{
    [Theory]
    [InlineData("teacher-ada", "Welcome, Ada Okafor", "Teacher")]
    [InlineData("teacher-ben", "Welcome, Ben Castillo", "Peer reviewer, Teacher")]
    [InlineData("principal-carla", "Welcome, Carla Nguyen", "Principal, Teacher")]
    [InlineData("admin-dev", "Welcome, Dev Patel", "District administrator, Coach")]
    public async Task SandboxLaunch_EachPerson_IsGreetedByNameAndRoleInTheCourse(string person, string greeting, string role)
    {
        using var http = host.CreateRawClient();
        var launch = await LaunchAsync(http, person, "course-mc-1");

        // 4. The first page.
        var home = await http.GetAsync(launch.Headers.Location!.OriginalString);
        var page = await home.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(greeting, page, StringComparison.Ordinal);
        Assert.Contains($"<strong>{role}</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Educator Microcredentials 2026-27</strong>", page, StringComparison.Ordinal);
        Assert.Contains("Sandbox Unified School District", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxHome_ListsEveryPersonWithALaunchButton()
    {
        using var http = host.CreateRawClient();
        var page = await http.GetStringAsync("/sandbox");
        foreach (var name in new[] { "Ada Okafor", "Ben Castillo", "Carla Nguyen", "Dev Patel" })
        {
            Assert.Contains("Launch as " + name, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Root_OpensTheSandboxWhenItIsOn()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sandbox", response.Headers.Location!.OriginalString);
    }

    /// <summary>Steps 1 to 3 of a sandbox launch, as a browser following the forms; returns the tool's redirect to its first page.</summary>
    internal static Task<HttpResponseMessage> LaunchAsync(HttpClient http, string person, string course) =>
        FollowLoginAsync(http, $"/sandbox/launch?person={person}&course={course}");

    /// <summary>From a sandbox page that starts a login (a launch or a deep linking request) to the tool's redirect after it.</summary>
    internal static async Task<HttpResponseMessage> FollowLoginAsync(HttpClient http, string startUrl)
    {
        // 1. The LMS starts a third-party initiated login (auto-submitting form to the tool).
        var start = await http.GetAsync(startUrl);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var (loginUrl, loginFields) = ReadForm(await start.Content.ReadAsStringAsync());
        Assert.EndsWith("/lti/login", loginUrl, StringComparison.Ordinal);

        // 2. The tool redirects to the LMS's auth endpoint and binds the state to this browser.
        var login = await http.PostAsync(loginUrl, new FormUrlEncodedContent(loginFields));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("ltimc_bind_", StringComparison.Ordinal));

        // 3. The LMS authenticates and posts the signed id_token back.
        var auth = await http.GetAsync(login.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        var (launchUrl, launchFields) = ReadForm(await auth.Content.ReadAsStringAsync());
        Assert.Contains("id_token", launchFields.Keys);

        using var post = new HttpRequestMessage(HttpMethod.Post, launchUrl) { Content = new FormUrlEncodedContent(launchFields) };
        post.Headers.Add("Cookie", cookie);
        var launch = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        return launch;
    }

    internal static (string Action, Dictionary<string, string> Fields) ReadForm(string html)
    {
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.False(string.IsNullOrEmpty(action), html);
        return (action, fields);
    }

    [GeneratedRegex("<form[^>]*id=\"auto-submit\"[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}

public sealed class SandboxLaunchTests_Sqlite(SqliteToolHost host) : SandboxLaunchTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class SandboxLaunchTests_PostgreSql(PostgresToolHost host) : SandboxLaunchTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
