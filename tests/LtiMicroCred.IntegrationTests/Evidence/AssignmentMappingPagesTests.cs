using System.Net;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.CanvasAccess;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Evidence;

/// <summary>The district admin links criteria to existing Canvas assignments, listed from the sandbox LMS over HTTP.</summary>
public abstract class AssignmentMappingPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Admin_ListsTheCourseAssignmentsThroughCanvas_AndLinksOneToACriterion()
    {
        var key = await AddSandboxCredentialAsync();
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");

        // Before connecting to Canvas, the page says how to list assignments, and still works by id.
        await dev.GetAsync($"/app/district/mappings?credential={key}&course=4321");
        Assert.Contains("Connect the tool to your Canvas account", dev.LastPage, StringComparison.Ordinal);

        using (var browser = new CanvasBrowser(host))
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync("admin-dev")).Status);
        }

        var page = await dev.GetAsync($"/app/district/mappings?credential={key}&course=4321");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Evidence 2: Student work samples", dev.LastPage, StringComparison.Ordinal);
        await dev.FollowAsync(await dev.PostAsync($"/app/district/mappings?credential={key}&course=4321", new Dictionary<string, string>
        {
            ["criterionKey"] = "sample", ["courseId"] = "4321", ["assignmentId"] = "1102",
        }));
        Assert.Contains("The assignment is linked.", dev.LastPage, StringComparison.Ordinal);

        var mapping = await host.WithDbAsync(db => db.AssignmentMappings.AsNoTracking().SingleAsync(m => m.CriterionKey == "sample" && m.AssignmentId == "1102"));
        Assert.Equal("4321", mapping.CourseId);
        Assert.Equal("Evidence 2: Student work samples", mapping.AssignmentName);
    }

    [Fact]
    public async Task Teacher_CannotOpenTheMappingPage()
    {
        var key = await AddSandboxCredentialAsync();
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");

        var page = await ada.GetAsync($"/app/district/mappings?credential={key}");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    private async Task<string> AddSandboxCredentialAsync()
    {
        var tenantId = await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == "Sandbox Unified School District").Select(t => t.Id).SingleAsync());
        var key = "map-" + Guid.NewGuid().ToString("N")[..8];
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = key, Title = "Mapped " + key, CreatedAt = DateTimeOffset.UtcNow };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = DateTimeOffset.UtcNow };
        credential.CurrentVersionId = version.Id;
        await host.WithDbAsync(async db =>
        {
            db.AddRange(credential, version);
            return await db.SaveChangesAsync();
        });
        return key;
    }
}

public sealed class AssignmentMappingPagesTests_Sqlite(SqliteToolHost host) : AssignmentMappingPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class AssignmentMappingPagesTests_PostgreSql(PostgresToolHost host) : AssignmentMappingPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
