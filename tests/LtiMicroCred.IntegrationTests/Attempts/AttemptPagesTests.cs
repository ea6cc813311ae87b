using System.Net;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Attempts;

/// <summary>The main path through the host over HTTP, launched from the sandbox LMS: pick, plan, approve, evidence, submit.</summary>
public abstract class AttemptPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Teacher_PicksPlansGetsApprovedUploadsAndSubmits_OverHttp()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        var credentialId = await AddSandboxCredentialAsync();

        // Pick.
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync($"/app/attempts/start?credentialId={credentialId}")).StatusCode);
        var attemptPage = await ada.FollowAsync(await ada.PostAsync("/app/attempts/start", new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() }));
        Assert.Equal(HttpStatusCode.OK, attemptPage.StatusCode);
        Assert.Contains("Write your plan and send it for approval.", ada.LastPage, StringComparison.Ordinal);
        var attempt = attemptPage.RequestMessage!.RequestUri!.AbsolutePath;

        // A form without its antiforgery token is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await ada.PostAsync(attempt + "?handler=SubmitPlan", new Dictionary<string, string>(), withCsrf: false)).StatusCode);
        await ada.GetAsync(attempt);

        // Plan: a half-filled step is reported beside the form, then the plan is saved and sent.
        var half = await ada.PostAsync(attempt + "?handler=Plan", new Dictionary<string, string> { ["Plan.Alignment"] = "School goal: data use.", ["Plan.StepDescriptions[0]"] = "Give the assessment" });
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        Assert.Contains("Step 1 needs both a description and a target date.", ada.LastPage, StringComparison.Ordinal);
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=Plan", new Dictionary<string, string>
        {
            ["Plan.Alignment"] = "School goal: data use.",
            ["Plan.StepDescriptions[0]"] = "Give the assessment",
            ["Plan.StepDates[0]"] = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"),
        }));
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=SubmitPlan", new Dictionary<string, string>()));
        Assert.Contains("Plan awaiting approval", ada.LastPage, StringComparison.Ordinal);

        // Another teacher cannot see it; the district admin approves it from the queue.
        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync(attempt)).StatusCode);
        Assert.Contains("Ada Okafor", await (await dev.GetAsync("/app/approvals")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await dev.GetAsync(attempt);
        await dev.FollowAsync(await dev.PostAsync(attempt + "?handler=Decide", new Dictionary<string, string> { ["decision"] = "Approve" }));
        Assert.Contains("Plan approved", dev.LastPage, StringComparison.Ordinal);

        // Evidence: a file, a video link, a reflection; then submit.
        await ada.GetAsync(attempt);
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=StartWork", new Dictionary<string, string>()));
        var pdf = "%PDF-1.7 exit tickets"u8.ToArray();
        await ada.FollowAsync(await ada.PostFileAsync(attempt + "?handler=Evidence",
            new Dictionary<string, string> { ["Evidence.CriterionKey"] = "sample", ["Evidence.Kind"] = "file" }, "Evidence.File", "tickets.pdf", pdf));
        var early = await ada.PostAsync(attempt + "?handler=Submit", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("\"Lesson video\" has no evidence yet.", WebUtility.HtmlDecode(ada.LastPage), StringComparison.Ordinal);
        await ada.GetAsync(attempt);
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=Evidence", new Dictionary<string, string>
        {
            ["Evidence.CriterionKey"] = "video", ["Evidence.Kind"] = "video", ["Evidence.Title"] = "Lesson", ["Evidence.Url"] = "https://video.example/1", ["Evidence.Minutes"] = "8",
        }));
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=Reflection", new Dictionary<string, string> { ["criterionKey"] = "reflection", ["reflection"] = "I learned <b>a lot</b>." }));
        Assert.Contains("I learned &lt;b&gt;a lot&lt;/b&gt;.", ada.LastPage, StringComparison.Ordinal);
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=Submit", new Dictionary<string, string>()));
        Assert.Contains("<strong>Submitted</strong>", ada.LastPage, StringComparison.Ordinal);

        // The file comes back as uploaded, to the teacher and the district, never to another teacher.
        var fileLink = System.Text.RegularExpressions.Regex.Match(ada.LastPage, "href=\"(/app/evidence/[0-9a-f-]+/file)").Groups[1].Value;
        Assert.Equal(pdf, await (await ada.GetAsync(fileLink)).Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync(fileLink)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync(fileLink)).StatusCode);
    }

    [Fact]
    public async Task ThePrincipalOfTheSandboxSchool_ApprovesAPlanFromTheirQueue()
    {
        // The sandbox's launches name Lincoln Elementary's sub-account, which the sandbox district maps to the school:
        // Ada is one of its teachers and Carla its principal without anyone assigning roles.
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        var credentialId = await AddSandboxCredentialAsync();
        await ada.GetAsync($"/app/attempts/start?credentialId={credentialId}");
        var attempt = (await ada.FollowAsync(await ada.PostAsync("/app/attempts/start", new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() })))
            .RequestMessage!.RequestUri!.AbsolutePath;
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=Plan", new Dictionary<string, string>
        {
            ["Plan.Alignment"] = "Lincoln's goal: every grade uses common formative assessments.",
            ["Plan.StepDescriptions[0]"] = "Write the assessment",
            ["Plan.StepDates[0]"] = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"),
        }));
        await ada.FollowAsync(await ada.PostAsync(attempt + "?handler=SubmitPlan", new Dictionary<string, string>()));

        var queue = await (await carla.GetAsync("/app/approvals")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{attempt}", queue, StringComparison.Ordinal);
        await carla.GetAsync(attempt);
        await carla.FollowAsync(await carla.PostAsync(attempt + "?handler=Decide", new Dictionary<string, string> { ["decision"] = "Return", ["comment"] = "Add a date for the student work." }));

        await ada.GetAsync(attempt);
        Assert.Contains("Add a date for the student work.", ada.LastPage, StringComparison.Ordinal);
        Assert.Contains("<strong>Planning</strong>", ada.LastPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormTokens_NeedNoCookie_AndBelongToOneLaunch()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        var credentialId = await AddSandboxCredentialAsync();

        // Inside an LMS iframe third-party cookies may all be blocked: the page sets none, and its form still works.
        var confirm = await ada.GetAsync($"/app/attempts/start?credentialId={credentialId}");
        Assert.False(confirm.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("ltimc_csrf", StringComparison.Ordinal)));
        var adasPage = ada.LastPage;
        var started = await ada.PostAsync("/app/attempts/start", new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);

        // Ada's form token does not pass with Ben's launch.
        await ben.GetAsync($"/app/attempts/start?credentialId={credentialId}");
        var forged = await ben.PostRawAsync("/app/attempts/start", adasPage, new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await host.WithDbAsync(db => db.Attempts.CountAsync(a => a.CredentialId == credentialId && a.TeacherId != db.People.Single(p => p.Name == "Ada Okafor").Id)));
    }

    [Fact]
    public async Task Approvals_AreRefusedToATeacher_WithAPageThatSaysWhy()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");

        var response = await ada.GetAsync("/app/approvals");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Only principals and district administrators have an approval queue.", ada.LastPage, StringComparison.Ordinal);
    }

    private async Task<Guid> AddSandboxCredentialAsync()
    {
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Ada Okafor").Select(p => p.TenantId).SingleAsync());
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = "http-" + Guid.NewGuid().ToString("N")[..8], Title = "Data literacy (HTTP test)", CreatedAt = DateTimeOffset.UtcNow };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = DateTimeOffset.UtcNow };
        credential.CurrentVersionId = version.Id;
        await host.WithDbAsync(async db =>
        {
            db.Credentials.Add(credential);
            db.CredentialVersions.Add(version);
            db.Offerings.Add(new Offering { Id = Guid.NewGuid(), TenantId = tenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 6) });
            return await db.SaveChangesAsync();
        });
        return credential.Id;
    }
}

public sealed class AttemptPagesTests_Sqlite(SqliteToolHost host) : AttemptPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class AttemptPagesTests_PostgreSql(PostgresToolHost host) : AttemptPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
