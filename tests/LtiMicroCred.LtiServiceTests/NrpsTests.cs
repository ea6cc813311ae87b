using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Roles;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Nrps;
using LtiMicroCred.LtiServiceTests.Infrastructure;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>Names and Role Provisioning Services against Canvas-shaped stubs (contract 05).</summary>
public sealed class NrpsTests
{
    private const string Learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private const string EscapedLearner = "http%3A%2F%2Fpurl.imsglobal.org%2Fvocab%2Flis%2Fv2%2Fmembership%23Learner";
    private const string ResourceLinkId = "9a4d6f0e-2b1c-4c3e-8f61-7d2a5b0c9e11";

    [Fact]
    public async Task Members_are_listed_across_pages_following_next_links()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        var first = h.CoursePath("/names_and_roles?limit=3");
        var second = first + "&page=2&per_page=3";
        string Link(string pathAndQuery, string rel) => $"<{h.Absolute(pathAndQuery)}>; rel=\"{rel}\"";
        h.Lms.Stub("GET", first, contract.Response.WithHeader("Link",
            string.Join(",", Link(first + "&page=1&per_page=3", "current"), Link(second, "next"), Link(first + "&page=1&per_page=3", "first"))));
        var page2 = contract.Response.Body!.DeepClone().AsObject();
        page2["id"] = h.Absolute(second);
        page2["members"] = new JsonArray(contract.VariantNode("privacy_anonymous", "response_body_member_example"));
        h.Lms.Stub("GET", second, contract.Response.WithBody(page2).WithHeader("Link",
            string.Join(",", Link(second, "current"), Link(first + "&page=1&per_page=3", "prev"), Link(first + "&page=1&per_page=3", "first"))));

        var members = await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles")), new MembershipQuery(Limit: 3)).ToListAsync();

        Assert.Equal(["Dana Whitfield", "Lee Okafor", "Priya Raman", null], members.Select(m => m.Name));
        Assert.All(members, m => Assert.True(m.IsActive));
        var anonymous = members[3];
        Assert.Equal("5d3f2b1a-9c8e-4f7d-a6b5-c4d3e2f1a0b9", anonymous.UserId);
        Assert.Null(anonymous.Email);
        Assert.Equal("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", anonymous.Lti11LegacyUserId);
        var dana = members[0];
        Assert.Equal(("Dana", "Whitfield", "dwhitfield@example.edu", "FAC-20931"), (dana.GivenName, dana.FamilyName, dana.Email, dana.LisPersonSourcedId));
        Assert.Equal(h.Absolute("/images/thumbnails/1234/abcdEFGH"), dana.Picture);
        Assert.Equal([first, second], h.Lms.ServiceRequests.Select(r => r.Path + r.RawQuery));
        Assert.All(h.Lms.ServiceRequests, r => AgsTests.AssertRequest(r, "GET", LtiMediaTypes.MembershipContainer));
        Assert.Equal(LtiScopes.ContextMembershipReadOnly, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Role_filter_is_sent_as_the_escaped_role_uri()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        var path = h.CoursePath($"/names_and_roles?role={EscapedLearner}");
        var body = contract.Response.Body!.DeepClone().AsObject();
        body["id"] = h.Absolute(path);
        body["members"] = new JsonArray(contract.Response.Body!["members"]![2]!.DeepClone());
        h.Lms.Stub("GET", path, contract.Response.WithBody(body).WithoutHeader("Link"));

        var members = await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles")), new MembershipQuery(Role: Learner)).ToListAsync();

        Assert.Equal("Priya Raman", Assert.Single(members).Name);
        var request = Assert.Single(h.Lms.ServiceRequests);
        Assert.Equal(path, request.Path + request.RawQuery);
        AgsTests.AssertRequest(request, "GET", LtiMediaTypes.MembershipContainer);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Resource_link_filter_is_sent_as_rlid_and_members_with_messages_are_read()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        var path = h.CoursePath($"/names_and_roles?role={EscapedLearner}&rlid={ResourceLinkId}&limit=50");
        h.Lms.Stub("GET", path, contract.Variant("with_rlid").WithoutHeader("Link"));

        var members = await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles")),
            new MembershipQuery(Role: Learner, ResourceLinkId: ResourceLinkId, Limit: 50)).ToListAsync();

        var member = Assert.Single(members);
        Assert.Equal("5d3f2b1a-9c8e-4f7d-a6b5-c4d3e2f1a0b9", member.UserId);
        Assert.Equal([Learner], member.Roles);
        var request = Assert.Single(h.Lms.ServiceRequests);
        Assert.Equal(path, request.Path + request.RawQuery);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Members_message_claims_are_kept_as_json()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        var path = h.CoursePath($"/names_and_roles?rlid={ResourceLinkId}");
        h.Lms.Stub("GET", path, contract.Variant("with_rlid").WithoutHeader("Link"));

        var member = Assert.Single(await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles")),
            new MembershipQuery(ResourceLinkId: ResourceLinkId)).ToListAsync());

        var message = Assert.Single(member.Message!);
        Assert.Equal("LtiResourceLinkRequest", message.GetProperty("https://purl.imsglobal.org/spec/lti/claim/message_type").GetString());
        Assert.Equal(7001, message.GetProperty("https://www.instructure.com/canvas_user_id").GetInt64());
        Assert.Equal("7001", message.GetProperty("https://purl.imsglobal.org/spec/lti/claim/custom").GetProperty("canvas_user_id").GetString());
        var roundTrip = System.Text.Json.JsonSerializer.SerializeToElement(member, LtiJson.Options);
        Assert.Equal("praman", roundTrip.GetProperty("message")[0].GetProperty("https://www.instructure.com/canvas_user_login_id").GetString());
    }

    [Fact]
    public async Task Members_without_a_message_have_none()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", h.CoursePath("/names_and_roles"), ContractFile.Load("05", h.Lms.Url).Response.WithoutHeader("Link"));

        var members = await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles"))).ToListAsync();

        Assert.All(members, m => Assert.Null(m.Message));
    }

    [Fact]
    public async Task Members_roles_are_parsed_into_lti_roles()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        h.Lms.Stub("GET", h.CoursePath("/names_and_roles"), contract.Response.WithoutHeader("Link"));

        var members = await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles"))).ToListAsync();

        const string Vocabulary = "http://purl.imsglobal.org/vocab/lis/v2/membership";
        Assert.Equal([new LtiRole(LtiRoleScope.Context, LisRoleNames.Instructor, null, Vocabulary + "#Instructor")], members[0].ParsedRoles);
        Assert.Equal(
            [
                new LtiRole(LtiRoleScope.Context, LisRoleNames.Instructor, LisRoleNames.TeachingAssistant, Vocabulary + "/Instructor#TeachingAssistant"),
                new LtiRole(LtiRoleScope.Context, LisRoleNames.Instructor, null, Vocabulary + "#Instructor"),
            ],
            members[1].ParsedRoles);
        Assert.True(members[1].ParsedRoles[0].Is(LtiRoleScope.Context, LisRoleNames.TeachingAssistant));
        Assert.Equal([new LtiRole(LtiRoleScope.Context, LisRoleNames.Learner, null, Vocabulary + "#Learner")], members[2].ParsedRoles);
        Assert.True(members[2].ParsedRoles[0].Is(LtiRoleScope.Context, LisRoleNames.Learner));
        Assert.False(members[2].ParsedRoles[0].Is(LtiRoleScope.Context, LisRoleNames.Instructor));
        var request = Assert.Single(h.Lms.ServiceRequests);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Membership_page_without_members_is_an_invalid_response()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("05", h.Lms.Url);
        var body = contract.Response.Body!.DeepClone().AsObject();
        body.Remove("members");
        h.Lms.Stub("GET", h.CoursePath("/names_and_roles"), contract.Response.WithBody(body).WithoutHeader("Link"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(async () =>
            await h.Nrps.ListMembersAsync(h.Platform, h.Absolute(h.CoursePath("/names_and_roles"))).ToListAsync());

        Assert.Equal(LtiServiceErrorKind.InvalidResponse, e.Kind);
        h.Lms.AssertNoUnexpectedRequests();
    }
}
