using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>Who may give which roles: district administrators anything in their district; principals a few roles at their own schools.</summary>
public abstract class AssignRolesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Admin_SetsDistrictRolesAndSchoolRoles_MarkedAsAdministrators()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        await AssignAsync(admin, new AssignRolesCommand(district.Teacher.Id, ProductRoles.Coach, new Dictionary<Guid, ProductRoles>
        {
            [district.North.Id] = ProductRoles.Teacher | ProductRoles.PeerReviewer,
            [district.South.Id] = ProductRoles.Coach,
        }));

        var person = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == district.Teacher.Id));
        Assert.Equal(ProductRoles.Coach, person.AssignedRoles);
        var memberships = await host.MembershipsAsync(district.Teacher.Id);
        Assert.Equal(ProductRoles.Teacher | ProductRoles.PeerReviewer, memberships[district.North.Id].Roles);
        Assert.Equal(ProductRoles.Coach, memberships[district.South.Id].Roles);
        Assert.All(memberships.Values, m => Assert.Equal(MembershipSource.Administrator, m.Source));
    }

    [Fact]
    public async Task Admin_ClearingEveryRoleAtASchool_RemovesTheMembership_AndLeavesOtherSchools()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await AssignAsync(admin, new AssignRolesCommand(district.Teacher.Id, null, new Dictionary<Guid, ProductRoles> { [district.South.Id] = ProductRoles.Coach }));

        await AssignAsync(admin, new AssignRolesCommand(district.Teacher.Id, null, new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.None }));

        var memberships = await host.MembershipsAsync(district.Teacher.Id);
        Assert.Equal([district.South.Id], memberships.Keys);
    }

    [Fact]
    public async Task Teacher_IsForbidden()
    {
        var district = await TestDistrict.CreateAsync(host);
        var teacher = await district.ActorAsync(district.Teacher);

        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(teacher,
            new AssignRolesCommand(district.Teacher.Id, ProductRoles.DistrictAdmin, new Dictionary<Guid, ProductRoles>())));
    }

    [Fact]
    public async Task AdminOfAnotherDistrict_FindsNeitherThePersonNorTheSchool()
    {
        var district = await TestDistrict.CreateAsync(host);
        var other = await TestDistrict.CreateAsync(host);
        var otherAdmin = await other.ActorAsync(other.Admin);

        await Assert.ThrowsAsync<NotFoundException>(() => AssignAsync(otherAdmin,
            new AssignRolesCommand(district.Teacher.Id, ProductRoles.Coach, new Dictionary<Guid, ProductRoles>())));
        await Assert.ThrowsAsync<NotFoundException>(() => AssignAsync(otherAdmin,
            new AssignRolesCommand(other.Teacher.Id, null, new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.Teacher })));
        Assert.Equal(ProductRoles.None, (await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == district.Teacher.Id))).AssignedRoles);
    }

    [Fact]
    public async Task Principal_GivesCoachAndPeerReviewerAtOwnSchool()
    {
        var district = await TestDistrict.CreateAsync(host);
        var principal = await district.ActorAsync(district.Principal);

        await AssignAsync(principal, new AssignRolesCommand(district.Teacher.Id, null,
            new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.Teacher | ProductRoles.Coach | ProductRoles.PeerReviewer }));

        Assert.Equal(ProductRoles.Teacher | ProductRoles.Coach | ProductRoles.PeerReviewer, (await host.MembershipsAsync(district.Teacher.Id))[district.North.Id].Roles);
    }

    [Fact]
    public async Task Principal_CannotMakeAPrincipal_NorChangeDistrictRoles_NorAnotherSchool()
    {
        var district = await TestDistrict.CreateAsync(host);
        var principal = await district.ActorAsync(district.Principal);

        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(principal, new AssignRolesCommand(district.Teacher.Id, null,
            new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.Teacher | ProductRoles.Principal })));
        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(principal, new AssignRolesCommand(district.Teacher.Id, ProductRoles.DistrictAdmin,
            new Dictionary<Guid, ProductRoles>())));
        await Assert.ThrowsAsync<ForbiddenException>(() => AssignAsync(principal, new AssignRolesCommand(district.Teacher.Id, null,
            new Dictionary<Guid, ProductRoles> { [district.South.Id] = ProductRoles.Teacher })));
        // Someone only at another school is out of reach altogether.
        await Assert.ThrowsAsync<NotFoundException>(() => AssignAsync(principal, new AssignRolesCommand(district.SouthTeacher.Id, null,
            new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.Teacher })));

        var memberships = await host.MembershipsAsync(district.Teacher.Id);
        Assert.Equal(ProductRoles.Teacher, Assert.Single(memberships).Value.Roles);
    }

    [Fact]
    public async Task RolesOutsideTheirScope_AreRefusedAsInvalid()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        var invalid = await Assert.ThrowsAsync<InvalidInputException>(() => AssignAsync(admin, new AssignRolesCommand(district.Teacher.Id, ProductRoles.Principal,
            new Dictionary<Guid, ProductRoles> { [district.North.Id] = ProductRoles.DistrictAdmin })));
        Assert.Equal(["DistrictRoles", "SchoolRoles"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Admin_CannotRemoveTheirOwnAdministratorRole()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        await Assert.ThrowsAsync<RuleViolationException>(() => AssignAsync(admin,
            new AssignRolesCommand(district.Admin.Id, ProductRoles.Coach, new Dictionary<Guid, ProductRoles>())));
    }

    private Task<int> AssignAsync(Access.Actor actor, AssignRolesCommand command) =>
        host.WithServiceAsync<AssignRoles, int>(async use => { await use.HandleAsync(actor, command, CancellationToken.None); return 0; });
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class AssignRolesTests_Sqlite(SqliteDirectoryHost host) : AssignRolesTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class AssignRolesTests_PostgreSql(PostgresDirectoryHost host) : AssignRolesTests<PostgresDirectoryHost>(host);
