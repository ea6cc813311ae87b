using System.Text;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>The directory CSV import: a correct file changes exactly what it says; a file with bad rows names each one and writes nothing.</summary>
public abstract class ImportDirectoryCsvTests<THost>(THost host) where THost : ToolHost
{
    private const string Header = "lms_user_id,email,name,school_code,school_roles,district_roles";

    [Fact]
    public async Task ValidFile_SetsRolesAndMemberships_AndAddsANewPerson()
    {
        var district = await TestDistrict.CreateAsync(host);
        var principalEmail = await GiveEmailAsync(district.Principal);
        var newSubject = "new-" + Guid.NewGuid().ToString("N");

        var result = await ImportAsync(district, district.Admin,
            Header,
            $"{district.Teacher.Subject},,,S1,coach,peer_reviewer",
            $",{principalEmail.ToUpperInvariant()},,N1,principal; coach,",
            $"{newSubject},new.person@district.example,\"Okafor, Ada\",N1,teacher,",
            $"{district.SouthTeacher.Subject},,,S1,,");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new ImportSummary(Rows: 4, PeopleCreated: 1, PeopleUpdated: 1, MembershipsSet: 3, MembershipsRemoved: 1), result.Summary);
        var teacher = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == district.Teacher.Id));
        Assert.Equal(ProductRoles.PeerReviewer, teacher.AssignedRoles);
        var teacherSchools = await host.MembershipsAsync(district.Teacher.Id);
        Assert.Equal((ProductRoles.Coach, MembershipSource.Import), (teacherSchools[district.South.Id].Roles, teacherSchools[district.South.Id].Source));
        Assert.Equal(ProductRoles.Teacher, teacherSchools[district.North.Id].Roles);
        Assert.Equal(ProductRoles.Principal | ProductRoles.Coach, (await host.MembershipsAsync(district.Principal.Id))[district.North.Id].Roles);
        Assert.Empty(await host.MembershipsAsync(district.SouthTeacher.Id));
        var added = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Subject == newSubject));
        Assert.Equal(("Okafor, Ada", "new.person@district.example", district.TenantId, district.PlatformId), (added.Name, added.Email, added.TenantId, added.PlatformId));
        Assert.Equal(ProductRoles.Teacher, (await host.MembershipsAsync(added.Id))[district.North.Id].Roles);
    }

    [Fact]
    public async Task FileWithSeveralBadRows_ReportsEachByLineAndReason_AndWritesNothing()
    {
        var district = await TestDistrict.CreateAsync(host);
        var other = await TestDistrict.CreateAsync(host);
        var otherEmail = await GiveEmailAsync(other.Teacher);
        var peopleBefore = await host.WithDbAsync(db => db.People.CountAsync(p => p.TenantId == district.TenantId));

        var result = await ImportAsync(district, district.Admin,
            Header,
            $"{district.Teacher.Subject},,,Z9,teacher,",
            $"{district.Teacher.Subject},,,N1,teacher;wizard,",
            ",,Someone,N1,teacher,",
            $"{district.SouthTeacher.Subject},,,S1,coach,",
            $"{district.SouthTeacher.Subject},,,s1,teacher,",
            $",{otherEmail},,N1,teacher,",
            "brand-new-person,,,N1,teacher,",
            $"{district.Principal.Subject},,,N1,principal,superuser",
            $"{district.Admin.Subject},,,,,coach");

        Assert.False(result.Succeeded);
        Assert.Null(result.Summary);
        var errors = result.Errors.ToDictionary(e => e.Line, e => e.Reason);
        Assert.Equal([2, 3, 4, 6, 7, 8, 9, 10], errors.Keys);
        Assert.Contains("Unknown school code \"Z9\"", errors[2], StringComparison.Ordinal);
        Assert.Contains("Unknown role \"wizard\"", errors[3], StringComparison.Ordinal);
        Assert.Contains("Missing id", errors[4], StringComparison.Ordinal);
        Assert.Contains("Duplicate row: line 5", errors[6], StringComparison.Ordinal);
        Assert.Contains("No one in your district has the email", errors[7], StringComparison.Ordinal);
        Assert.Contains("give their name", errors[8], StringComparison.Ordinal);
        Assert.Contains("Unknown role \"superuser\" in district_roles", errors[9], StringComparison.Ordinal);
        Assert.Contains("your own district administrator role", errors[10], StringComparison.Ordinal);

        Assert.Equal(peopleBefore, await host.WithDbAsync(db => db.People.CountAsync(p => p.TenantId == district.TenantId)));
        var south = Assert.Single(await host.MembershipsAsync(district.SouthTeacher.Id)).Value;
        Assert.Equal((ProductRoles.Teacher, MembershipSource.Administrator), (south.Roles, south.Source));
        Assert.Equal(ProductRoles.Teacher, Assert.Single(await host.MembershipsAsync(district.Teacher.Id)).Value.Roles);
    }

    [Fact]
    public async Task UnknownColumn_OrNoIdColumn_IsReportedOnLineOne()
    {
        var district = await TestDistrict.CreateAsync(host);

        var unknown = await ImportAsync(district, district.Admin, "lms_user_id,school,school_roles", "x,N1,teacher");
        var noId = await ImportAsync(district, district.Admin, "name,district_roles", "Ada,coach");
        var empty = await ImportAsync(district, district.Admin);

        Assert.Contains(unknown.Errors, e => e.Line == 1 && e.Reason.Contains("Unknown column \"school\"", StringComparison.Ordinal));
        Assert.Contains(unknown.Errors, e => e.Line == 1 && e.Reason.Contains("go together", StringComparison.Ordinal));
        Assert.Contains(noId.Errors, e => e.Line == 1 && e.Reason.Contains("lms_user_id", StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(empty.Errors).Line);
    }

    [Fact]
    public async Task LineWithBrokenQuotes_IsReportedByItsLine()
    {
        var district = await TestDistrict.CreateAsync(host);

        var result = await ImportAsync(district, district.Admin, Header,
            $"{district.Teacher.Subject},,,N1,teacher,",
            $"{district.SouthTeacher.Subject},,\"Ben\" Teacher,S1,teacher,");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("quotes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewPerson_InADistrictWithTwoLmss_IsRefused_BecauseTheLmsIsUnknown()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.WithDbAsync(db =>
        {
            db.Platforms.Add(new PlatformRegistration
            {
                Id = Guid.NewGuid(), TenantId = district.TenantId, Name = "Second LMS", Issuer = "https://second.example/" + Guid.NewGuid().ToString("N"),
                ClientId = "c2", AuthorizationEndpoint = "https://second.example/auth", TokenEndpoint = "https://second.example/token",
                JwksUrl = "https://second.example/jwks", CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });

        var result = await ImportAsync(district, district.Admin, Header, "someone-new,,Sam New,N1,teacher,");

        Assert.Contains("2 LMSs registered", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teacher_IsForbidden_AndAFileOverTheCap_IsRefused()
    {
        var district = await TestDistrict.CreateAsync(host);

        await Assert.ThrowsAsync<ForbiddenException>(() => ImportAsync(district, district.Teacher, Header));
        var big = Header + "\n" + string.Concat(Enumerable.Repeat($"{district.Teacher.Subject},,,N1,teacher,\n", (ImportDirectoryCsv.MaxBytes / 40) + 1));
        var tooLarge = await Assert.ThrowsAsync<InvalidInputException>(() => ImportTextAsync(district, district.Admin, big));
        Assert.Contains("larger than 2 MB", tooLarge.Message, StringComparison.Ordinal);
    }

    private Task<ImportResult> ImportAsync(TestDistrict district, Person who, params string[] lines) =>
        ImportTextAsync(district, who, string.Join("\r\n", lines));

    private async Task<ImportResult> ImportTextAsync(TestDistrict district, Person who, string text)
    {
        var actor = await district.ActorAsync(who);
        return await host.WithServiceAsync<ImportDirectoryCsv, ImportResult>(import =>
            import.HandleAsync(actor, new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None));
    }

    private async Task<string> GiveEmailAsync(Person person)
    {
        var email = $"p{Guid.NewGuid():N}@district.example";
        await host.WithDbAsync(async db =>
        {
            var row = await db.People.SingleAsync(p => p.Id == person.Id);
            row.Email = email;
            return await db.SaveChangesAsync();
        });
        return email;
    }
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class ImportDirectoryCsvTests_Sqlite(SqliteDirectoryHost host) : ImportDirectoryCsvTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class ImportDirectoryCsvTests_PostgreSql(PostgresDirectoryHost host) : ImportDirectoryCsvTests<PostgresDirectoryHost>(host);
