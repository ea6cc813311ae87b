using LtiMicroCred.Lti.Roles;

namespace LtiMicroCred.UnitTests.Lti;

public sealed class LtiRoleTests
{
    [Theory]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor", LtiRoleScope.Context, "Instructor", null)]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", LtiRoleScope.Context, "Learner", null)]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant", LtiRoleScope.Context, "Instructor", "TeachingAssistant")]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator", LtiRoleScope.Institution, "Administrator", null)]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin", LtiRoleScope.System, "SysAdmin", null)]
    [InlineData("Instructor", LtiRoleScope.Context, "Instructor", null)]
    public void Parse_KnownShapes_GivesScopeNameAndSubRole(string uri, LtiRoleScope scope, string name, string? subRole)
    {
        var role = LtiRole.Parse(uri);
        Assert.NotNull(role);
        Assert.Equal(scope, role.Scope);
        Assert.Equal(name, role.Name);
        Assert.Equal(subRole, role.SubRole);
        Assert.Equal(uri, role.Uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/membership#")]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/unknown/person#Administrator")]
    [InlineData("https://example.com/roles#Administrator")]
    [InlineData("urn:lti:role:ims/lis/Instructor")]
    public void Parse_Unrecognised_GivesNull(string? uri) => Assert.Null(LtiRole.Parse(uri));
}
