using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>Schools and their aliases: names and codes unique in a district, aliases unique per parameter and value, all for district administrators only.</summary>
public abstract class ManageSchoolsTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Admin_CreatesAndRenamesASchool()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        var id = await SaveAsync(admin, new SaveSchoolCommand(null, "  East High ", "E1"));
        await SaveAsync(admin, new SaveSchoolCommand(id, "East High School", null));

        var school = await host.WithDbAsync(db => db.Schools.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(("East High School", null, district.TenantId), (school.Name, school.Code, school.TenantId));
    }

    [Fact]
    public async Task NameOrCodeOfAnotherSchool_InAnyCase_IsRefusedWithTheField()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        var byName = await Assert.ThrowsAsync<InvalidInputException>(() => SaveAsync(admin, new SaveSchoolCommand(null, "NORTH ELEMENTARY", "X9")));
        var byCode = await Assert.ThrowsAsync<InvalidInputException>(() => SaveAsync(admin, new SaveSchoolCommand(district.South.Id, "South Middle", "n1")));
        var empty = await Assert.ThrowsAsync<InvalidInputException>(() => SaveAsync(admin, new SaveSchoolCommand(null, " ", null)));

        Assert.Contains("already named", byName.Errors["Name"], StringComparison.Ordinal);
        Assert.Contains("already has the code", byCode.Errors["Code"], StringComparison.Ordinal);
        Assert.True(empty.Errors.ContainsKey("Name"));
        // The same names in another district are fine.
        var other = await TestDistrict.CreateAsync(host);
        await SaveAsync(await other.ActorAsync(other.Admin), new SaveSchoolCommand(null, "East", "N1-X"));
    }

    [Fact]
    public async Task Aliases_AreUniquePerParameterAndValue_WithoutCase()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await AliasAsync(admin, new AddAliasCommand(district.North.Id, "school_name", "North Elementary"));

        var taken = await Assert.ThrowsAsync<InvalidInputException>(() => AliasAsync(admin, new AddAliasCommand(district.South.Id, "school_name", "north elementary")));
        var badParameter = await Assert.ThrowsAsync<InvalidInputException>(() => AliasAsync(admin, new AddAliasCommand(district.South.Id, "school name", "x")));
        await AliasAsync(admin, new AddAliasCommand(district.South.Id, "canvas_account_name", "North Elementary"));

        Assert.Contains("another school", taken.Errors["Value"], StringComparison.Ordinal);
        Assert.True(badParameter.Errors.ContainsKey("Parameter"));
        Assert.Equal(2, await host.WithDbAsync(db => db.SchoolAliases.CountAsync(a => a.TenantId == district.TenantId)));
    }

    [Fact]
    public async Task OtherDistrictsSchoolsAndAliases_AreNotFound_AndTeachersAreForbidden()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        var aliasId = await AliasAsync(admin, new AddAliasCommand(district.North.Id, "canvas_account_id", "77"));
        var other = await TestDistrict.CreateAsync(host);
        var otherAdmin = await other.ActorAsync(other.Admin);

        await Assert.ThrowsAsync<NotFoundException>(() => SaveAsync(otherAdmin, new SaveSchoolCommand(district.North.Id, "Taken over", null)));
        await Assert.ThrowsAsync<NotFoundException>(() => AliasAsync(otherAdmin, new AddAliasCommand(district.North.Id, "canvas_account_id", "78")));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<ManageSchools, int>(async s =>
        {
            await s.RemoveAliasAsync(otherAdmin, aliasId, CancellationToken.None);
            return 0;
        }));
        var teacher = await district.ActorAsync(district.Teacher);
        await Assert.ThrowsAsync<ForbiddenException>(() => SaveAsync(teacher, new SaveSchoolCommand(null, "Mine", null)));
        var principal = await district.ActorAsync(district.Principal);
        await Assert.ThrowsAsync<ForbiddenException>(() => SaveAsync(principal, new SaveSchoolCommand(district.North.Id, "Mine", null)));
        Assert.Equal("North Elementary", (await host.WithDbAsync(db => db.Schools.AsNoTracking().SingleAsync(s => s.Id == district.North.Id))).Name);
    }

    private Task<Guid> SaveAsync(Access.Actor actor, SaveSchoolCommand command) =>
        host.WithServiceAsync<ManageSchools, Guid>(s => s.SaveAsync(actor, command, CancellationToken.None));

    private Task<Guid> AliasAsync(Access.Actor actor, AddAliasCommand command) =>
        host.WithServiceAsync<ManageSchools, Guid>(s => s.AddAliasAsync(actor, command, CancellationToken.None));
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class ManageSchoolsTests_Sqlite(SqliteDirectoryHost host) : ManageSchoolsTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class ManageSchoolsTests_PostgreSql(PostgresDirectoryHost host) : ManageSchoolsTests<PostgresDirectoryHost>(host);
