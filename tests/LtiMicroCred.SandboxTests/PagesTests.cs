using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>The sandbox's own pages: course content, gradebook, submissions, under the strict CSP and with accessible markup.</summary>
public sealed partial class PagesTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private readonly ToolSide tool = new(host);

    [Fact]
    public async Task CoursePage_ShowsTheToolFrameAssignmentsAndAGradebookOfPostedScores()
    {
        var token = await tool.ServiceTokenAsync();
        var created = await tool.SendAsync(HttpMethod.Post, $"{host.Root}/api/lti/courses/4321/line_items", token,
            """{"scoreMaximum":4,"label":"Rubric total"}""", "application/vnd.ims.lis.v2.lineitem+json");
        var lineItem = (await AgsTests.JsonAsync(created)).GetProperty("id").GetString()!;
        await tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            """{"userId":"teacher-ben","scoreGiven":3,"scoreMaximum":4,"comment":"Meets the standard.","timestamp":"2031-03-03T09:00:00Z","activityProgress":"Completed","gradingProgress":"FullyGraded"}""",
            "application/vnd.ims.lis.v1.score+json");

        var response = await tool.Http.GetAsync("/sandbox/course/course-mc-1?person=principal-carla");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<iframe class=\"tool\" name=\"tool-frame\" title=\"LtiMicroCred tool\"", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"gradebook-heading\">Gradebook</h2>", page, StringComparison.Ordinal);
        Assert.Contains("Rubric total", page, StringComparison.Ordinal);
        Assert.Contains("3 / 4", page, StringComparison.Ordinal);
        Assert.Contains("Meets the standard.", page, StringComparison.Ordinal);
        Assert.Contains("See submissions<span class=\"visually-hidden\"> for Evidence 1: Lesson plan</span>", page, StringComparison.Ordinal);
        Assert.Contains(">Add content with the tool</a>", page, StringComparison.Ordinal);
        AssertNoInlineCode(page);
    }

    [Fact]
    public async Task CoursePage_ForALearner_ShowsOnlyTheirOwnGradesAndNoDeepLinkingAction()
    {
        var token = await tool.ServiceTokenAsync();
        await tool.SendAsync(HttpMethod.Post, $"{host.Root}/api/lti/courses/4321/line_items", token,
            """{"scoreMaximum":1,"label":"Completion"}""", "application/vnd.ims.lis.v2.lineitem+json");

        var page = await tool.Http.GetStringAsync("/sandbox/course/course-mc-1?person=teacher-ada");

        Assert.DoesNotContain("Add content with the tool", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Ada Okafor</th>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<th scope=\"row\">Ben Castillo</th>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmissionsPage_ShowsAttemptsFilesAndComments()
    {
        var response = await tool.Http.GetAsync("/sandbox/course/course-mc-1/assignments/1101?person=admin-dev");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Evidence 1: Lesson plan</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Lesson plan - Okafor.pdf", page, StringComparison.Ordinal);
        Assert.Matches(DownloadLink(), page);
        Assert.Contains("Clear objectives.", page, StringComparison.Ordinal);
        Assert.Contains("Ben Castillo", page, StringComparison.Ordinal);
        AssertNoInlineCode(page);
    }

    [Fact]
    public async Task HomePage_ListsTheCanvasServiceUrls()
    {
        var page = await tool.Http.GetStringAsync("/sandbox");

        Assert.Contains(host.Root + "/login/oauth2/token", page, StringComparison.Ordinal);
        Assert.Contains(host.Root + "/login/oauth2/auth", page, StringComparison.Ordinal);
        Assert.Contains(host.BaseUrl + "/.well-known/jwks.json", page, StringComparison.Ordinal);
        // A configured secret stays out of the page.
        Assert.DoesNotContain(SandboxHost.RestClientSecret, page, StringComparison.Ordinal);
    }

    private static void AssertNoInlineCode(string page)
    {
        Assert.DoesNotMatch(InlineScript(), page);
        Assert.DoesNotContain(" style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" onclick=", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex("href=\"/sandbox/files/\\d+/download\\?verifier=[0-9a-f]+\"")]
    private static partial Regex DownloadLink();
}
