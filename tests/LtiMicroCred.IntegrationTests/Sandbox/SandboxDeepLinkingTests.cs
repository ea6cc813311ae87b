using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Sandbox;

/// <summary>
/// Deep linking end to end over HTTP: the sandbox LMS sends an LtiDeepLinkingRequest, the tool shows what it can place,
/// the instructor picks, and the tool's signed LtiDeepLinkingResponse is accepted by the sandbox, which adds the links
/// (and, for a graded item, a line item) to the course.
/// </summary>
public abstract partial class SandboxDeepLinkingTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Instructor_PlacesTwoItems_TheSandboxAddsLinksAndAGradedColumn()
    {
        using var http = host.CreateRawClient();
        var (page, cookie) = await OpenDeepLinkingPageAsync(http, "admin-dev");
        Assert.Contains("Add LtiMicroCred to your course", page, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\"", page, StringComparison.Ordinal);

        var back = await PostChoiceAsync(http, page, cookie, [new("Selected", "home"), new("Selected", "hours")]);
        Assert.Contains("Added to Educator Microcredentials 2026-27", back, StringComparison.Ordinal);
        Assert.Contains("<li>Microcredentials</li>", back, StringComparison.Ordinal);
        Assert.Contains("<li>In-service hours</li>", back, StringComparison.Ordinal);

        // The graded item came with a line item the tool can now find by its tag and resource id.
        var course = await host.WithDbAsync(db => db.Courses.AsNoTracking().SingleAsync(c => c.ContextId == "course-mc-1"));
        var issuer = host.Services.GetRequiredService<SandboxLms>().Platform.Issuer;
        var platform = Assert.Single(await host.WithServiceAsync<IPlatformRegistry, IReadOnlyList<LtiPlatform>>(r => r.FindAsync(issuer, null, CancellationToken.None)));
        var items = await host.Services.GetRequiredService<AgsClient>()
            .ListLineItemsAsync(platform, course.LineItemsUrl!, new LineItemQuery(ResourceId: "ltimicrocred-hours")).ToListAsync();
        var item = Assert.Single(items);
        Assert.Equal(100, item.ScoreMaximum);
        Assert.Equal("ltimicrocred", item.Tag);
    }

    [Fact]
    public async Task EvidenceAssignment_PlacedByDeepLinking_IsMappedToItsCriterionAtItsFirstLaunch()
    {
        var tenantId = await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == "Sandbox Unified School District").Select(t => t.Id).SingleAsync());
        var key = "dl-" + Guid.NewGuid().ToString("N")[..8];
        var title = "Deep linked " + key;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = key, Title = title, CreatedAt = DateTimeOffset.UtcNow };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = DateTimeOffset.UtcNow };
        credential.CurrentVersionId = version.Id;
        await host.WithDbAsync(async db =>
        {
            db.AddRange(credential, version);
            return await db.SaveChangesAsync();
        });
        using var http = host.CreateRawClient();
        var (page, cookie) = await OpenDeepLinkingPageAsync(http, "admin-dev");
        Assert.Contains(WebUtility.HtmlEncode($"{title}: Work sample"), page, StringComparison.Ordinal);

        var back = await PostChoiceAsync(http, page, cookie, [new("Selected", $"evidence:{key}:sample")]);
        Assert.Contains(WebUtility.HtmlEncode($"<li>{title}: Work sample</li>"), WebUtility.HtmlEncode(WebUtility.HtmlDecode(back)), StringComparison.Ordinal);

        // The teacher opens the new assignment from the course: the tool learns which assignment serves which criterion.
        var course = await http.GetStringAsync("/sandbox/course/course-mc-1?person=teacher-ada");
        var linkId = Regex.Match(WebUtility.HtmlDecode(course), "link=([^&\"]+)&frame=1\" target=\"tool-frame\">Open in the tool frame<span class=\"visually-hidden\">: " + Regex.Escape(title)).Groups[1].Value;
        Assert.NotEmpty(linkId);
        var launch = await SandboxLaunchTests<THost>.FollowLoginAsync(http, $"/sandbox/launch?person=teacher-ada&course=course-mc-1&link={linkId}");

        Assert.StartsWith($"/app/catalog/{key}?lt=", launch.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var mapping = await host.WithDbAsync(db => db.AssignmentMappings.AsNoTracking().SingleAsync(m => m.CredentialVersionId == version.Id));
        Assert.Equal("sample", mapping.CriterionKey);
        Assert.Equal($"{title}: Work sample", mapping.AssignmentName);
        Assert.False(string.IsNullOrEmpty(mapping.AssignmentId));
        Assert.NotNull(mapping.LineItemUrl);

        // A second launch of the same link changes nothing.
        await SandboxLaunchTests<THost>.FollowLoginAsync(http, $"/sandbox/launch?person=teacher-ada&course=course-mc-1&link={linkId}");
        Assert.Equal(1, await host.WithDbAsync(db => db.AssignmentMappings.CountAsync(m => m.CredentialVersionId == version.Id)));
    }

    [Fact]
    public async Task Cancel_TellsTheSandboxNothingWasAdded()
    {
        using var http = host.CreateRawClient();
        var (page, cookie) = await OpenDeepLinkingPageAsync(http, "admin-dev");
        var back = await PostChoiceAsync(http, page, cookie, [new("Selected", "home"), new("Cancel", "true")]);
        Assert.Contains("Nothing was added", back, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teacher_CannotOpenThePlacementPage()
    {
        using var http = host.CreateRawClient();
        var start = await http.GetAsync("/sandbox/deep-linking/start?person=teacher-ada&course=course-mc-1");
        // The sandbox, like Canvas, does not offer a learner the "add content" action at all.
        Assert.NotEqual(HttpStatusCode.OK, start.StatusCode);
    }

    private static async Task<(string Page, string Cookie)> OpenDeepLinkingPageAsync(HttpClient http, string person)
    {
        var launch = await SandboxLaunchTests<THost>.FollowLoginAsync(http, $"/sandbox/deep-linking/start?person={person}&course=course-mc-1");
        Assert.StartsWith("/app/deep-link?lt=", launch.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await http.GetAsync(launch.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // The page was opened with a launch token: its form token is bound to the launch, and no cookie is set.
        Assert.False(page.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("ltimc_csrf", StringComparison.Ordinal)));
        var antiforgery = string.Empty;
        return (await page.Content.ReadAsStringAsync(), antiforgery);
    }

    private static async Task<string> PostChoiceAsync(HttpClient http, string page, string cookie, List<KeyValuePair<string, string>> choice)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("lt", WebUtility.HtmlDecode(LaunchTokenField().Match(page).Groups[1].Value)),
            new("__csrf", WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value)),
        };
        fields.AddRange(choice);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/app/deep-link") { Content = new FormUrlEncodedContent(fields) };
        if (cookie.Length > 0)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var relay = await answer.Content.ReadAsStringAsync();

        // The auto-submitting form back to the platform's deep_link_return_url, with the signed JWT.
        var action = WebUtility.HtmlDecode(RelayAction().Match(relay).Groups[1].Value);
        var jwt = WebUtility.HtmlDecode(JwtField().Match(relay).Groups[1].Value);
        Assert.EndsWith("/sandbox/deep-linking/return", action, StringComparison.Ordinal);
        var back = await http.PostAsync(action, new FormUrlEncodedContent([new("JWT", jwt)]));
        var html = await back.Content.ReadAsStringAsync();
        Assert.True(back.StatusCode == HttpStatusCode.OK, html);
        return html;
    }

    [GeneratedRegex("name=\"lt\" value=\"([^\"]+)\"")]
    private static partial Regex LaunchTokenField();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<form id=\"relay\" method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex RelayAction();

    [GeneratedRegex("name=\"JWT\" value=\"([^\"]+)\"")]
    private static partial Regex JwtField();
}

public sealed class SandboxDeepLinkingTests_Sqlite(SqliteToolHost host) : SandboxDeepLinkingTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class SandboxDeepLinkingTests_PostgreSql(PostgresToolHost host) : SandboxDeepLinkingTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
