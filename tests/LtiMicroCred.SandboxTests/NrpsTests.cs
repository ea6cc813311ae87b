using System.Net;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>Names and Role Provisioning Services: the course's members, in pages, filtered by role and resource link.</summary>
public sealed class NrpsTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private const string Learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    private readonly ToolSide tool = new(host);

    private string MembershipsUrl => $"{host.Root}/api/lti/courses/{SandboxHost.McCourse}/names_and_roles";

    [Fact]
    public async Task Memberships_HaveTheContractShapeAndMediaType()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.NrpsScope);

        var response = await tool.SendAsync(HttpMethod.Get, MembershipsUrl, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Contract.ContentType("05_nrps_course_memberships.json"), response.Content.Headers.ContentType!.ToString());
        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Body("05_nrps_course_memberships.json"), body, rest: false);
        Assert.Equal(MembershipsUrl, body.GetProperty("id").GetString());
        Assert.Equal("course-mc-1", body.GetProperty("context").GetProperty("id").GetString());
        var ids = body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()).ToList();
        Assert.Equal(["teacher-ada", "teacher-ben", "principal-carla", "admin-dev"], ids);
        // Only context roles: the institution roles a launch carries are not course memberships.
        Assert.All(body.GetProperty("members").EnumerateArray().SelectMany(m => m.GetProperty("roles").EnumerateArray()),
            role => Assert.StartsWith("http://purl.imsglobal.org/vocab/lis/v2/membership", role.GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Memberships_PageByLimitAndFollowNextLinks()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.NrpsScope);

        var first = await tool.SendAsync(HttpMethod.Get, MembershipsUrl + "?limit=3", token);
        var firstLinks = AgsTests.Links(first);
        var second = await tool.SendAsync(HttpMethod.Get, firstLinks["next"], token);

        Assert.Equal(3, (await AgsTests.JsonAsync(first)).GetProperty("members").GetArrayLength());
        Assert.Equal($"{MembershipsUrl}?limit=3&page=2&per_page=3", firstLinks["next"]);
        var secondBody = await AgsTests.JsonAsync(second);
        Assert.Equal("admin-dev", Assert.Single(secondBody.GetProperty("members").EnumerateArray()).GetProperty("user_id").GetString());
        Assert.False(AgsTests.Links(second).ContainsKey("next"));
        Assert.Equal(firstLinks["first"], AgsTests.Links(second)["prev"]);
    }

    [Theory]
    [InlineData(Learner)]
    [InlineData("Learner")]
    public async Task Memberships_RoleFilter_KeepsOnlyThatRole(string role)
    {
        var token = await tool.ServiceTokenAsync(ToolSide.NrpsScope);

        var response = await tool.SendAsync(HttpMethod.Get, MembershipsUrl + "?role=" + Uri.EscapeDataString(role), token);

        var members = (await AgsTests.JsonAsync(response)).GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(["teacher-ada", "teacher-ben"], members.Select(m => m.GetProperty("user_id").GetString()));
        Assert.All(members, m => Assert.Contains(Learner, m.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task Memberships_WithResourceLink_AddTheLaunchMessageOfEachMember()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.NrpsScope);

        var response = await tool.SendAsync(HttpMethod.Get, MembershipsUrl + "?rlid=rl-course-mc-1&role=" + Uri.EscapeDataString(Learner), token);

        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Load("05_nrps_course_memberships.json").GetProperty("variants").GetProperty("with_rlid").GetProperty("response_body"),
            body, rest: false, "https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id", "https://purl.imsglobal.org/spec/lti/claim/lti1p1");
        var ada = body.GetProperty("members")[0];
        var custom = ada.GetProperty("message")[0].GetProperty("https://purl.imsglobal.org/spec/lti/claim/custom");
        Assert.Equal("7001", custom.GetProperty("canvas_user_id").GetString());
        Assert.Equal("4321", custom.GetProperty("canvas_course_id").GetString());
    }

    [Fact]
    public async Task Memberships_UnknownResourceLink_IsNotFound()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.NrpsScope);

        var response = await tool.SendAsync(HttpMethod.Get, MembershipsUrl + "?rlid=rl-course-pd-1", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Memberships_WithoutTheNrpsScope_AreUnauthorized()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.LineItemScope);

        var response = await tool.SendAsync(HttpMethod.Get, MembershipsUrl, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Insufficient scopes on access token",
            (await AgsTests.JsonAsync(response)).GetProperty("errors").GetProperty("message").GetString());
    }
}
