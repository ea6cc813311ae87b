using System.Net;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>
/// The id_tokens the sandbox signs (service claims, Canvas substitutions, deep linking settings) and the deep linking
/// round trip: a signed LtiDeepLinkingResponse adds launchable resource links and line items to the course.
/// </summary>
public sealed class LaunchAndDeepLinkingTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private const string Ags = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    private const string Nrps = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    private const string Custom = "https://purl.imsglobal.org/spec/lti/claim/custom";
    private const string ResourceLink = "https://purl.imsglobal.org/spec/lti/claim/resource_link";
    private const string Settings = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    private const string MessageType = "https://purl.imsglobal.org/spec/lti/claim/message_type";

    private readonly ToolSide tool = new(host);

    [Fact]
    public async Task ResourceLinkLaunch_CarriesServiceClaimsAndCanvasIds()
    {
        var (claims, login) = await tool.LaunchAsync("/sandbox/launch?person=teacher-ada&course=course-mc-1");

        Assert.Equal("LtiResourceLinkRequest", claims.GetProperty(MessageType).GetString());
        Assert.Equal(host.BaseUrl + "/lti/launch", login["target_link_uri"]);
        var ags = claims.GetProperty(Ags);
        Assert.Equal($"{host.Root}/api/lti/courses/4321/line_items", ags.GetProperty("lineitems").GetString());
        Assert.Equal([ToolSide.LineItemScope, ToolSide.LineItemReadOnlyScope, ToolSide.ResultScope, ToolSide.ScoreScope],
            ags.GetProperty("scope").EnumerateArray().Select(s => s.GetString()));
        var nrps = claims.GetProperty(Nrps);
        Assert.Equal($"{host.Root}/api/lti/courses/4321/names_and_roles", nrps.GetProperty("context_memberships_url").GetString());
        Assert.Equal(["2.0"], nrps.GetProperty("service_versions").EnumerateArray().Select(v => v.GetString()));
        var custom = claims.GetProperty(Custom);
        Assert.Equal("4321", custom.GetProperty("canvas_course_id").GetString());
        Assert.Equal("7001", custom.GetProperty("canvas_user_id").GetString());
        Assert.Equal("Lincoln Elementary", custom.GetProperty("school_name").GetString());
        Assert.Equal("rl-course-mc-1", claims.GetProperty(ResourceLink).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ServiceUrlsInTheLaunch_WorkWithAServiceToken()
    {
        var (claims, _) = await tool.LaunchAsync("/sandbox/launch?person=admin-dev&course=course-pd-1");
        var token = await tool.ServiceTokenAsync();

        var lineItems = await tool.SendAsync(HttpMethod.Get, claims.GetProperty(Ags).GetProperty("lineitems").GetString()!, token);
        var members = await tool.SendAsync(HttpMethod.Get, claims.GetProperty(Nrps).GetProperty("context_memberships_url").GetString()!, token);

        Assert.Equal(HttpStatusCode.OK, lineItems.StatusCode);
        Assert.Equal("course-pd-1", (await AgsTests.JsonAsync(members)).GetProperty("context").GetProperty("id").GetString());
        Assert.Equal("4322", claims.GetProperty(Custom).GetProperty("canvas_course_id").GetString());
    }

    [Fact]
    public async Task DeepLinkingRequest_HasTheSettingsAndNoResourceLink()
    {
        var (claims, login) = await tool.LaunchAsync("/sandbox/deep-linking/start?person=principal-carla&course=course-mc-1&frame=1");

        Assert.Equal("LtiDeepLinkingRequest", claims.GetProperty(MessageType).GetString());
        Assert.False(claims.TryGetProperty(ResourceLink, out _));
        Assert.Equal("_parent", login["lti_storage_target"]);
        var settings = claims.GetProperty(Settings);
        Assert.Equal($"{host.Root}/deep-linking/return", settings.GetProperty("deep_link_return_url").GetString());
        Assert.Equal(["ltiResourceLink"], settings.GetProperty("accept_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["iframe", "window"], settings.GetProperty("accept_presentation_document_targets").EnumerateArray().Select(t => t.GetString()));
        Assert.True(settings.GetProperty("accept_multiple").GetBoolean());
        Assert.True(settings.GetProperty("accept_lineitem").GetBoolean());
        Assert.True(settings.GetProperty("auto_create").GetBoolean());
        Assert.False(string.IsNullOrEmpty(settings.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(settings.GetProperty("text").GetString()));
        Assert.False(string.IsNullOrEmpty(settings.GetProperty("data").GetString()));
        Assert.False(claims.GetProperty(Ags).TryGetProperty("lineitem", out _));
    }

    [Fact]
    public async Task DeepLinkingStart_ForALearner_IsForbidden()
    {
        var response = await tool.Http.GetAsync("/sandbox/deep-linking/start?person=teacher-ada&course=course-mc-1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task DeepLinkingResponse_Valid_AddsLaunchableLinksWithLineItems()
    {
        var (request, _) = await tool.LaunchAsync("/sandbox/deep-linking/start?person=admin-dev&course=course-mc-1&frame=1");
        var tag = "dl-" + Guid.NewGuid().ToString("N")[..8];
        var jwt = tool.DeepLinkingResponse(request,
        [
            new Dictionary<string, object>
            {
                ["type"] = "ltiResourceLink",
                ["title"] = "Microcredential: Formative assessment",
                ["text"] = "Submit evidence for review.",
                ["url"] = host.BaseUrl + "/lti/launch",
                ["custom"] = new Dictionary<string, object> { ["microcredential_id"] = "mc-42" },
                ["lineItem"] = new Dictionary<string, object> { ["scoreMaximum"] = 4, ["label"] = "Formative assessment", ["resourceId"] = "mc-42", ["tag"] = tag },
                ["iframe"] = new Dictionary<string, object> { ["height"] = 600 },
            },
            new Dictionary<string, object> { ["type"] = "ltiResourceLink", ["title"] = "Microcredential catalog" },
        ]);

        var returned = await tool.Http.PostAsync("/sandbox/deep-linking/return", new FormUrlEncodedContent(new Dictionary<string, string> { ["JWT"] = jwt }));

        var page = await returned.Content.ReadAsStringAsync();
        Assert.True(returned.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Microcredential: Formative assessment", page, StringComparison.Ordinal);
        Assert.Contains("Added from the test tool.", page, StringComparison.Ordinal);

        // The line item exists, bound to the new resource link, and Canvas-style coupled: it cannot be deleted.
        var token = await tool.ServiceTokenAsync();
        var lineItems = await AgsTests.JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{host.Root}/api/lti/courses/4321/line_items?tag={tag}", token));
        var lineItem = Assert.Single(lineItems.EnumerateArray());
        Assert.Equal(4, lineItem.GetProperty("scoreMaximum").GetDouble());
        Assert.Equal("mc-42", lineItem.GetProperty("resourceId").GetString());
        var linkId = lineItem.GetProperty("resourceLinkId").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await tool.SendAsync(HttpMethod.Delete, lineItem.GetProperty("id").GetString()!, token)).StatusCode);

        // The course page lists the link; launching it carries the link, its custom parameters and the line item.
        var course = await tool.Http.GetStringAsync("/sandbox/course/course-mc-1?person=teacher-ada");
        Assert.Contains("Microcredential: Formative assessment", course, StringComparison.Ordinal);
        Assert.Contains("link=" + linkId, course, StringComparison.Ordinal);
        var (launch, _) = await tool.LaunchAsync($"/sandbox/launch?person=teacher-ada&course=course-mc-1&link={linkId}");
        Assert.Equal(linkId, launch.GetProperty(ResourceLink).GetProperty("id").GetString());
        Assert.Equal("Microcredential: Formative assessment", launch.GetProperty(ResourceLink).GetProperty("title").GetString());
        Assert.Equal("mc-42", launch.GetProperty(Custom).GetProperty("microcredential_id").GetString());
        Assert.Equal("7001", launch.GetProperty(Custom).GetProperty("canvas_user_id").GetString());
        Assert.Equal(lineItem.GetProperty("id").GetString(), launch.GetProperty(Ags).GetProperty("lineitem").GetString());
    }

    [Theory]
    [InlineData("data", "data claim")]
    [InlineData("aud", "aud")]
    [InlineData("iss", "iss")]
    [InlineData("message_type", "message_type")]
    [InlineData("version", "version")]
    [InlineData("deployment_id", "deployment_id")]
    [InlineData("item_type", "ltiResourceLink")]
    [InlineData("custom", "custom parameter")]
    public async Task DeepLinkingResponse_Invalid_IsRefusedOnAClearPageAndAddsNothing(string broken, string pageMentions)
    {
        var (request, _) = await tool.LaunchAsync("/sandbox/deep-linking/start?person=admin-dev&course=course-mc-1");
        var title = "Must not appear " + Guid.NewGuid().ToString("N")[..6];
        var item = new Dictionary<string, object> { ["type"] = broken == "item_type" ? "link" : "ltiResourceLink", ["title"] = title };
        if (broken == "custom")
        {
            item["custom"] = new Dictionary<string, object> { ["level"] = 3 };
        }

        var jwt = tool.DeepLinkingResponse(request, [item], claims =>
        {
            switch (broken)
            {
                case "data": claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = "forged"; break;
                case "aud": claims["aud"] = "https://other-lms.example"; break;
                case "iss": claims["iss"] = "another-client"; break;
                case "message_type": claims[MessageType] = "LtiResourceLinkRequest"; break;
                case "version": claims["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1"; break;
                case "deployment_id": claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "other-deployment"; break;
            }
        });

        var response = await tool.Http.PostAsync("/sandbox/deep-linking/return", new FormUrlEncodedContent(new Dictionary<string, string> { ["JWT"] = jwt }));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("refused the deep linking response", page, StringComparison.Ordinal);
        Assert.Contains(pageMentions, page, StringComparison.Ordinal);
        Assert.DoesNotContain(title, await tool.Http.GetStringAsync("/sandbox/course/course-mc-1?person=admin-dev"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepLinkingResponse_SentTwice_IsRefusedTheSecondTime()
    {
        var (request, _) = await tool.LaunchAsync("/sandbox/deep-linking/start?person=admin-dev&course=course-mc-1");
        var form = new Dictionary<string, string>
        {
            ["JWT"] = tool.DeepLinkingResponse(request, [new Dictionary<string, object> { ["type"] = "ltiResourceLink", ["title"] = "Once" }]),
        };
        Assert.Equal(HttpStatusCode.OK, (await tool.Http.PostAsync("/sandbox/deep-linking/return", new FormUrlEncodedContent(form))).StatusCode);

        var replay = await tool.Http.PostAsync("/sandbox/deep-linking/return", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("nonce", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepLinkingResponse_NotAJwt_IsRefused()
    {
        var response = await tool.Http.PostAsync("/sandbox/deep-linking/return",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["JWT"] = "not-a-jwt" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
