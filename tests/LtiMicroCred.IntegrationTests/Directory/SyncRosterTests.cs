using System.Text.Json.Nodes;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Sandbox;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>The roster sync job reads a course's NRPS memberships over HTTP and records people and enrollments; a second run changes nothing.</summary>
public abstract class SyncRosterTests<THost>(THost host) where THost : ToolHost
{
    private const string Lis = "http://purl.imsglobal.org/vocab/lis/v2/";

    [Fact]
    public async Task SandboxCourse_AddsItsMembers_WithLaunchRoles_AndASecondRunChangesNothing()
    {
        using (var http = host.CreateRawClient())
        {
            await SandboxLaunchTests<THost>.LaunchAsync(http, "admin-dev", "course-mc-1");
        }

        var course = await host.WithDbAsync(db => db.Courses.AsNoTracking().SingleAsync(c => c.ContextId == "course-mc-1"));
        Assert.Equal(1, await host.WithDbAsync(db => db.Enrollments.CountAsync(e => e.CourseId == course.Id)));

        var first = await RunAsync(course.Id);
        var afterFirst = await SnapshotAsync(course.Id);
        var second = await RunAsync(course.Id);
        var afterSecond = await SnapshotAsync(course.Id);

        Assert.Equal(new RosterSyncResult(Members: 4, PeopleCreated: 3, EnrollmentsChanged: 4), first);
        Assert.Equal(new RosterSyncResult(Members: 4, PeopleCreated: 0, EnrollmentsChanged: 0), second);
        Assert.Equal(afterFirst, afterSecond);
        var roles = afterFirst.ToDictionary(r => r.Subject, r => r.Roles);
        Assert.Equal(ProductRoles.Teacher, roles["teacher-ada"]);
        Assert.Equal(ProductRoles.Teacher | ProductRoles.PeerReviewer, roles["teacher-ben"]);
        Assert.Equal(ProductRoles.Principal, roles["principal-carla"]);
        // The institution role came from Dev's launch; the roster cannot speak for it and must not take it away.
        Assert.Equal(ProductRoles.DistrictAdmin | ProductRoles.Coach, roles["admin-dev"]);
        Assert.Equal(("Ben Castillo", "ben.castillo@sandbox-usd.example"), afterFirst.Where(r => r.Subject == "teacher-ben").Select(r => (r.Name, r.Email)).Single());
    }

    [Fact]
    public async Task PagedRoster_IsReadToTheLastPage_AndAnInactiveMemberKeepsNoCourseRole()
    {
        var (courseId, path) = await WireMockCourseAsync();
        host.Platform.Server.Given(Request.Create().WithPath("/login/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"nrps-token\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly\"}"));
        var next = host.Platform.Url + path + "?page=2";
        host.Platform.Server.Given(Request.Create().WithPath(path).WithParam("page", "2").UsingGet())
            .AtPriority(1)
            .RespondWith(Page(Member("u-3", "Sam Reviewer", Lis + "membership#TeachingAssistant", "Inactive"), Member("u-1", "Ada Okafor", Lis + "membership#Learner")));
        host.Platform.Server.Given(Request.Create().WithPath(path).UsingGet())
            .AtPriority(2)
            .RespondWith(Page(Member("u-1", "Ada Okafor", Lis + "membership#Learner"), Member("u-2", "Cole Coach", Lis + "membership#Instructor"))
                .WithHeader("Link", $"<{next}>; rel=\"next\""));

        var first = await RunAsync(courseId);
        var second = await RunAsync(courseId);

        // u-1 is listed on both pages: one person, one enrollment.
        Assert.Equal(new RosterSyncResult(Members: 3, PeopleCreated: 3, EnrollmentsChanged: 3), first);
        Assert.Equal(0, second.PeopleCreated + second.EnrollmentsChanged);
        var roles = (await SnapshotAsync(courseId)).ToDictionary(r => r.Subject, r => r.Roles);
        Assert.Equal(new Dictionary<string, ProductRoles>
        {
            ["u-1"] = ProductRoles.Teacher,
            ["u-2"] = ProductRoles.Coach,
            ["u-3"] = ProductRoles.None,
        }, roles);
        Assert.Equal(4, host.Platform.Server.LogEntries.Count(e => e.RequestMessage.Path == path));
        host.Platform.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task RequestingASync_IsForDistrictAdminsOfTheCoursesDistrict()
    {
        var (courseId, _) = await WireMockCourseAsync();
        var district = await TestDistrict.CreateAsync(host);

        await Assert.ThrowsAsync<NotFoundException>(async () =>
        {
            var otherAdmin = await district.ActorAsync(district.Admin);
            await host.WithServiceAsync<RequestRosterSync, string>(s => s.HandleAsync(otherAdmin, courseId, CancellationToken.None));
        });
        var teacher = await district.ActorAsync(district.Teacher);
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<RequestRosterSync, string>(s => s.HandleAsync(teacher, courseId, CancellationToken.None)));
    }

    private static IResponseBuilder Page(params JsonObject[] members) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
            .WithBody(new JsonObject { ["id"] = "roster", ["context"] = new JsonObject { ["id"] = "ctx-roster" }, ["members"] = new JsonArray(members) }.ToJsonString());

    private static JsonObject Member(string userId, string name, string role, string status = "Active") => new()
    {
        ["user_id"] = userId, ["name"] = name, ["status"] = status, ["email"] = userId + "@district.example", ["roles"] = new JsonArray(role),
    };

    /// <summary>A course of the WireMock platform's district whose roster lives at a path of its own on the WireMock server.</summary>
    private async Task<(Guid CourseId, string Path)> WireMockCourseAsync()
    {
        var id = Guid.NewGuid();
        var path = $"/api/lti/courses/{id:N}/names_and_roles";
        await host.WithDbAsync(async db =>
        {
            var platform = await db.Platforms.SingleAsync(p => p.Issuer == TestPlatform.Issuer);
            db.Courses.Add(new Course
            {
                Id = id, TenantId = platform.TenantId, PlatformId = platform.Id, ContextId = "ctx-" + id.ToString("N"), Title = "Roster course",
                MembershipsUrl = host.Platform.Url + path, CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return (id, path);
    }

    private Task<RosterSyncResult> RunAsync(Guid courseId) =>
        host.WithServiceAsync<SyncRosterJob, RosterSyncResult>(job => job.RunAsync(courseId, CancellationToken.None));

    private async Task<List<Row>> SnapshotAsync(Guid courseId)
    {
        var rows = await host.WithDbAsync(db => db.Enrollments.AsNoTracking().Where(e => e.CourseId == courseId)
            .Join(db.People, e => e.PersonId, p => p.Id, (e, p) => new Row(p.Subject, p.Name, p.Email, e.Roles, e.LtiRoles, e.UpdatedAt))
            .ToListAsync());
        return rows.OrderBy(r => r.Subject, StringComparer.Ordinal).ToList();
    }

    private sealed record Row(string Subject, string Name, string? Email, ProductRoles Roles, string LtiRoles, DateTimeOffset UpdatedAt);
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class SyncRosterTests_Sqlite(SqliteDirectoryHost host) : SyncRosterTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class SyncRosterTests_PostgreSql(PostgresDirectoryHost host) : SyncRosterTests<PostgresDirectoryHost>(host);
