using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Badges;

/// <summary>The teacher's and the district's badge pages over HTTP through the real host, launched from the sandbox LMS.</summary>
public abstract class BadgePagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task AnAwardFromTheDecisionPage_ShowsInMyBadges_TheNameChoiceApplies_AndTheAdminRevokesWithAReason()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        var title = "Data literacy (badge " + Guid.NewGuid().ToString("N")[..6] + ")";
        var id = await ReadyAttemptAsync(title);
        await carla.GetAsync($"/app/attempts/{id}/decision");
        await carla.FollowAsync(await carla.PostAsync($"/app/attempts/{id}/decision", new Dictionary<string, string> { ["outcome"] = "Awarded", ["level-analysis"] = "2" }));
        var badge = await host.WithDbAsync(db => db.IssuedBadges.SingleAsync(b => b.Title == title));

        await ada.GetAsync("/app");
        Assert.Contains("href=\"/app/badges?lt=", ada.LastPage, StringComparison.Ordinal);
        await ada.GetAsync($"/app/attempts/{id}");
        Assert.Contains("/app/badges?lt=", ada.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/app/badges")).StatusCode);
        var mine = WebUtility.HtmlDecode(ada.LastPage);
        Assert.Contains(title, mine, StringComparison.Ordinal);
        Assert.Contains($"{host.BaseAddress.ToString().TrimEnd('/')}/badges/{badge.Id}", mine, StringComparison.Ordinal);
        Assert.Contains($"/badges/{badge.Id}/credential.jwt", mine, StringComparison.Ordinal);
        Assert.Contains("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME", mine, StringComparison.Ordinal);

        using var anyone = host.CreateRawClient();
        Assert.Contains("Ada Okafor", WebUtility.HtmlDecode(await anyone.GetStringAsync($"/badges/{badge.Id}")), StringComparison.Ordinal);
        await ada.FollowAsync(await ada.PostAsync("/app/badges?handler=Visibility", new Dictionary<string, string> { ["id"] = badge.Id.ToString(), ["visibility"] = "Hidden" }));
        Assert.Contains("Your choice is saved.", ada.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Okafor", await anyone.GetStringAsync($"/badges/{badge.Id}"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/badges")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/app/district/badges/{badge.Id}/revoke")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync("/app/district/badges?earner=okafor&revoked=false")).StatusCode);
        Assert.Contains($"/app/district/badges/{badge.Id}/revoke", dev.LastPage, StringComparison.Ordinal);
        var revoke = $"/app/district/badges/{badge.Id}/revoke";
        await dev.GetAsync(revoke);
        Assert.Equal(HttpStatusCode.BadRequest, (await dev.PostAsync(revoke, new Dictionary<string, string> { ["reason"] = " " })).StatusCode);
        Assert.Contains("Say why the badge is revoked", WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        await dev.FollowAsync(await dev.PostAsync(revoke, new Dictionary<string, string> { ["reason"] = "Issued for the wrong teacher." }));
        Assert.Contains("The badge is revoked.", dev.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"/app/district/badges/{badge.Id}/revoke", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("Status: revoked", await anyone.GetStringAsync($"/badges/{badge.Id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await dev.GetAsync($"/app/district/badges/{Guid.NewGuid()}/revoke")).StatusCode);

        // The issuer new badges name.
        await dev.GetAsync("/app/district/badges");
        Assert.Equal(HttpStatusCode.BadRequest, (await dev.PostAsync("/app/district/badges?handler=Issuer", new Dictionary<string, string> { ["name"] = "Sandbox USD", ["url"] = "http://insecure.example" })).StatusCode);
        await dev.FollowAsync(await dev.PostAsync("/app/district/badges?handler=Issuer", new Dictionary<string, string> { ["name"] = "Sandbox USD Professional Learning", ["url"] = "https://pl.sandbox-usd.example" }));
        Assert.Contains("The issuer is saved.", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("Sandbox USD Professional Learning", await anyone.GetStringAsync($"/badges/issuers/{badge.TenantId}"), StringComparison.Ordinal);
    }

    /// <summary>Ada's submitted attempt at Carla's school, ready for a decision, paying 6 PD points.</summary>
    private Task<Guid> ReadyAttemptAsync(string title) => host.WithDbAsync(async db =>
    {
        var teacher = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
        var schoolId = await (from m in db.SchoolMemberships join p in db.People on m.PersonId equals p.Id where p.Name == "Carla Nguyen" select m.SchoolId).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = teacher.TenantId, Key = "bdg-" + Guid.NewGuid().ToString("N")[..8], Title = title, CreatedAt = now };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = now };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = teacher.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 6) };
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = teacher.TenantId, TeacherId = teacher.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = schoolId, Status = AttemptStatus.Submitted, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-2), SubmittedAt = now.AddDays(-2),
            ReadyForDecisionAt = now.AddDays(-2), Revision = Guid.NewGuid(),
        };
        db.AddRange(credential, version, offering, attempt);
        await db.SaveChangesAsync();
        return attempt.Id;
    });
}

public sealed class BadgePagesTests_Sqlite(SqliteToolHost host) : BadgePagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class BadgePagesTests_PostgreSql(PostgresToolHost host) : BadgePagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
