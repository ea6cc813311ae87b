using LtiMicroCred.Lti.Roles;
using LtiMicroCred.People;

namespace LtiMicroCred.UnitTests.Product;

/// <summary>The documented table from LTI roles to product roles (README, "Roles").</summary>
public sealed class RoleMapTests
{
    private const string Membership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private const string Institution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
    private const string System = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";

    [Theory]
    [InlineData(Membership + "Learner", ProductRoles.Teacher)]
    [InlineData(Membership + "Instructor", ProductRoles.Coach)]
    [InlineData(Membership + "Mentor", ProductRoles.Coach)]
    [InlineData(Membership + "TeachingAssistant", ProductRoles.PeerReviewer)]
    [InlineData("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant", ProductRoles.Coach | ProductRoles.PeerReviewer)]
    [InlineData(Membership + "ContentDeveloper", ProductRoles.Teacher)]
    [InlineData(Membership + "Administrator", ProductRoles.Principal)]
    [InlineData(Institution + "Administrator", ProductRoles.DistrictAdmin)]
    [InlineData(System + "Administrator", ProductRoles.DistrictAdmin)]
    [InlineData(System + "SysAdmin", ProductRoles.DistrictAdmin)]
    [InlineData(Institution + "Faculty", ProductRoles.Teacher)]
    [InlineData(Institution + "Instructor", ProductRoles.Teacher)]
    [InlineData(Institution + "Staff", ProductRoles.Teacher)]
    [InlineData(Institution + "Student", ProductRoles.None)]
    [InlineData(Institution + "Guest", ProductRoles.None)]
    [InlineData(System + "User", ProductRoles.None)]
    public void FromLti_EachDocumentedRole_MapsAsTheTableSays(string uri, ProductRoles expected) =>
        Assert.Equal(expected, RoleMap.FromLti(LtiRole.ParseAll([uri])));

    [Fact]
    public void FromLti_SeveralRoles_CombineTheirProductRoles()
    {
        var roles = RoleMap.FromLti(LtiRole.ParseAll([Membership + "Instructor", Institution + "Administrator", "not-a-role-uri!"]));
        Assert.Equal(ProductRoles.Coach | ProductRoles.DistrictAdmin, roles);
    }

    [Fact]
    public void Describe_NamesTheMostSeniorRoleFirst() =>
        Assert.Equal("District administrator, Coach", RoleMap.Describe(ProductRoles.Coach | ProductRoles.DistrictAdmin));

    [Fact]
    public void Describe_NoRole_IsGuest() => Assert.Equal("Guest", RoleMap.Describe(ProductRoles.None));
}
