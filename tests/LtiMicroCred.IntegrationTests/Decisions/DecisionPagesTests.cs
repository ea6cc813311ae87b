using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Decisions;

/// <summary>The queue, the decision page and the audit log over HTTP through the real host, launched from the sandbox LMS.</summary>
public abstract class DecisionPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task ThePrincipal_DecidesFromTheQueue_AndTheTeacherSeesTheDecisionAndFeedback()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        var id = await ReadyAttemptAsync("Ada Okafor", await LincolnAsync());
        var decision = $"/app/attempts/{id}/decision";

        var queue = await (await carla.GetAsync("/app/approvals")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{decision}", queue, StringComparison.Ordinal);
        Assert.Contains("waiting 2 days", queue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync(decision)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync(decision)).StatusCode);
        var formPage = carla.LastPage;
        var missing = await carla.PostAsync(decision, new Dictionary<string, string> { ["outcome"] = "NotYet", ["level-analysis"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("say what the teacher should improve", WebUtility.HtmlDecode(carla.LastPage), StringComparison.Ordinal);
        await carla.FollowAsync(await carla.PostAsync(decision, new Dictionary<string, string>
        {
            ["outcome"] = "NotYet", ["level-analysis"] = "1", ["feedback-analysis"] = "Group the results by student need.", ["overall"] = "Close: one more step.",
        }));
        Assert.Contains("The decision is recorded.", carla.LastPage, StringComparison.Ordinal);
        Assert.Contains("Decisions are final.", carla.LastPage, StringComparison.Ordinal);
        // A second decision, from the form as it was before, is refused: decisions are final.
        Assert.Equal(HttpStatusCode.Conflict, (await carla.PostRawAsync(decision, formPage, new Dictionary<string, string> { ["outcome"] = "Awarded", ["level-analysis"] = "2" })).StatusCode);

        await ada.GetAsync($"/app/attempts/{id}");
        var page = WebUtility.HtmlDecode(ada.LastPage);
        Assert.Contains("decided by Carla Nguyen", page, StringComparison.Ordinal);
        Assert.Contains("Group the results by student need.", page, StringComparison.Ordinal);
        Assert.Contains("Resubmit", page, StringComparison.Ordinal);

        var audit = await dev.GetAsync("/app/district/audit?action=attempt.not-yet");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains(id.ToString(), dev.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync("/app/district/audit")).StatusCode);
    }

    [Fact]
    public async Task AnotherSchoolsAttempt_IsNotInThePrincipalsQueueNorTheirsToDecide_AndAnotherTenantsIsNotFound()
    {
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        // Ada's attempt at Carla's own school is used below, so she has launched in this test too (not only in another one).
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Carla Nguyen").Select(p => p.TenantId).SingleAsync());
        var elsewhere = await host.WithDbAsync(async db =>
        {
            var school = new School { Id = Guid.NewGuid(), TenantId = tenantId, Name = "Elsewhere High " + Guid.NewGuid().ToString("N")[..4], Code = Guid.NewGuid().ToString("N")[..6], CreatedAt = DateTimeOffset.UtcNow };
            db.Schools.Add(school);
            var platform = await db.People.Where(p => p.Name == "Carla Nguyen").Select(p => p.PlatformId).SingleAsync();
            var teacher = new Person { Id = Guid.NewGuid(), TenantId = tenantId, PlatformId = platform, Subject = Guid.NewGuid().ToString("N"), Name = "Gil Elsewhere " + school.Code, CreatedAt = DateTimeOffset.UtcNow, LastLaunchAt = DateTimeOffset.UtcNow };
            db.People.Add(teacher);
            db.SchoolMemberships.Add(new SchoolMembership { PersonId = teacher.Id, SchoolId = school.Id, Roles = ProductRoles.Teacher, Source = MembershipSource.Administrator, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return (school.Id, teacher.Name);
        });
        var id = await ReadyAttemptAsync(elsewhere.Name, elsewhere.Id);
        var decision = $"/app/attempts/{id}/decision";

        Assert.DoesNotContain(id.ToString(), await (await carla.GetAsync("/app/approvals")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/app/approvals?school={elsewhere.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync(decision)).StatusCode);
        await carla.GetAsync($"/app/attempts/{await ReadyAttemptAsync("Ada Okafor", await LincolnAsync())}/decision");
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.PostRawAsync(decision, carla.LastPage, new Dictionary<string, string> { ["outcome"] = "Awarded", ["level-analysis"] = "2" })).StatusCode);
        Assert.False(await host.WithDbAsync(db => db.AttemptDecisions.AnyAsync(x => x.AttemptId == id)));

        Assert.Contains($"href=\"{decision}", await (await dev.GetAsync($"/app/approvals?school={elsewhere.Id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var foreign = await DecisionSupport.SubmittedAsync(host, await other.ActorAsync(other.Teacher), other.Credential.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await dev.GetAsync($"/app/attempts/{foreign}/decision")).StatusCode);
        Assert.DoesNotContain(foreign.ToString(), await (await dev.GetAsync("/app/approvals?show=Ready")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<Guid> LincolnAsync() => host.WithDbAsync(db =>
        (from m in db.SchoolMemberships join p in db.People on m.PersonId equals p.Id where p.Name == "Carla Nguyen" select m.SchoolId).FirstAsync());

    /// <summary>A submitted attempt, ready for a decision for two days, as submission and the review issue leave it.</summary>
    private Task<Guid> ReadyAttemptAsync(string teacherName, Guid schoolId) => host.WithDbAsync(async db =>
    {
        var teacher = await db.People.SingleAsync(p => p.Name == teacherName);
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = teacher.TenantId, Key = "dec-" + Guid.NewGuid().ToString("N")[..8], Title = "Data literacy (decision test)", CreatedAt = now };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = now };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = teacher.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 6) };
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = teacher.TenantId, TeacherId = teacher.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = schoolId, Status = AttemptStatus.Submitted, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-2), SubmittedAt = now.AddDays(-2).AddMinutes(-5),
            ReadyForDecisionAt = now.AddDays(-2).AddMinutes(-5), Revision = Guid.NewGuid(),
        };
        db.AddRange(credential, version, offering, attempt);
        await db.SaveChangesAsync();
        return attempt.Id;
    });
}

public sealed class DecisionPagesTests_Sqlite(SqliteToolHost host) : DecisionPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class DecisionPagesTests_PostgreSql(PostgresToolHost host) : DecisionPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
