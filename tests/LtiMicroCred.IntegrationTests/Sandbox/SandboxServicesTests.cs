using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Lti.Services.Nrps;
using LtiMicroCred.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Sandbox;

/// <summary>
/// The tool's LTI Advantage clients against the sandbox LMS over real HTTP: the sandbox checks the tool's signed client
/// assertion against the tool's published JWKS, grants a token, and serves AGS and NRPS from the URLs a launch gave.
/// </summary>
public abstract class SandboxServicesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Launch_RecordsTheCoursesServiceUrls_FromTheSandboxClaims()
    {
        var course = await LaunchedCourseAsync("admin-dev");
        Assert.EndsWith("/sandbox/api/lti/courses/4321/line_items", course.LineItemsUrl, StringComparison.Ordinal);
        Assert.EndsWith("/sandbox/api/lti/courses/4321/names_and_roles", course.MembershipsUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ags_CreateLineItem_PostScore_ReadResult_AgainstTheSandbox()
    {
        var course = await LaunchedCourseAsync("admin-dev");
        var platform = await SandboxPlatformAsync();
        var ags = host.Services.GetRequiredService<AgsClient>();
        var tag = "itest-" + Guid.NewGuid().ToString("N");

        var created = await ags.CreateLineItemAsync(platform, course.LineItemsUrl!, new LineItem { Label = "In-service hours", ScoreMaximum = 30, Tag = tag, ResourceId = "hours" });
        Assert.NotNull(created.Id);
        Assert.Equal(30, created.ScoreMaximum);

        var listed = await ags.ListLineItemsAsync(platform, course.LineItemsUrl!, new LineItemQuery(Tag: tag)).ToListAsync();
        Assert.Equal(created.Id, Assert.Single(listed).Id);

        var decidedAt = DateTimeOffset.UtcNow;
        await ags.PostScoreAsync(platform, created.Id!, new Score
        {
            UserId = "teacher-ada", ScoreGiven = 12, ScoreMaximum = 30, Comment = "Awarded: Formative assessment",
            Timestamp = decidedAt, ActivityProgress = ActivityProgress.Completed, GradingProgress = GradingProgress.FullyGraded,
        });
        var result = Assert.Single(await ags.ListResultsAsync(platform, created.Id!, userId: "teacher-ada").ToListAsync());
        Assert.Equal(12, result.ResultScore);
        Assert.Equal("Awarded: Formative assessment", result.Comment);

        // An older score never overwrites a newer one: the platform refuses it, as the spec says.
        var stale = await Assert.ThrowsAsync<LtiServiceException>(() => ags.PostScoreAsync(platform, created.Id!, new Score
        {
            UserId = "teacher-ada", ScoreGiven = 1, ScoreMaximum = 30, Timestamp = decidedAt.AddMinutes(-5),
            ActivityProgress = ActivityProgress.Completed, GradingProgress = GradingProgress.FullyGraded,
        }));
        Assert.Equal(LtiServiceErrorKind.Refused, stale.Kind);

        var updated = await ags.UpdateLineItemAsync(platform, created with { Label = "In-service hours 2026-27" });
        Assert.Equal("In-service hours 2026-27", (await ags.GetLineItemAsync(platform, updated.Id!)).Label);
        await ags.DeleteLineItemAsync(platform, created.Id!);
        var gone = await Assert.ThrowsAsync<LtiServiceException>(() => ags.GetLineItemAsync(platform, created.Id!));
        Assert.Equal(LtiServiceErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Nrps_ListsTheCourseRoster_WithRolesAndARoleFilter()
    {
        var course = await LaunchedCourseAsync("admin-dev");
        var platform = await SandboxPlatformAsync();
        var nrps = host.Services.GetRequiredService<NrpsClient>();

        var members = await nrps.ListMembersAsync(platform, course.MembershipsUrl!, new MembershipQuery(Limit: 2)).ToListAsync();
        Assert.Equal(["admin-dev", "principal-carla", "teacher-ada", "teacher-ben"], members.Select(m => m.UserId).Order(StringComparer.Ordinal));
        var ada = members.Single(m => m.UserId == "teacher-ada");
        Assert.Equal("Ada Okafor", ada.Name);
        Assert.Contains(ada.ParsedRoles, r => r.Uri.EndsWith("membership#Learner", StringComparison.Ordinal));

        var learners = await nrps.ListMembersAsync(platform, course.MembershipsUrl!, new MembershipQuery(Role: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner")).ToListAsync();
        Assert.Equal(["teacher-ada", "teacher-ben"], learners.Select(m => m.UserId).Order(StringComparer.Ordinal));
    }

    private async Task<LtiMicroCred.People.Course> LaunchedCourseAsync(string person)
    {
        using var http = host.CreateRawClient();
        await SandboxLaunchTests<THost>.LaunchAsync(http, person, "course-mc-1");
        return await host.WithDbAsync(db => db.Courses.AsNoTracking().SingleAsync(c => c.ContextId == "course-mc-1"));
    }

    private async Task<LtiPlatform> SandboxPlatformAsync()
    {
        var issuer = host.Services.GetRequiredService<SandboxLms>().Platform.Issuer;
        return Assert.Single(await host.WithServiceAsync<IPlatformRegistry, IReadOnlyList<LtiPlatform>>(r => r.FindAsync(issuer, null, CancellationToken.None)));
    }
}

public sealed class SandboxServicesTests_Sqlite(SqliteToolHost host) : SandboxServicesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class SandboxServicesTests_PostgreSql(PostgresToolHost host) : SandboxServicesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
