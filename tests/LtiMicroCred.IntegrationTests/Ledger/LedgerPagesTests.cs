using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Ledger;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Ledger;

/// <summary>The ledger pages and the CSV download over HTTP through the real host, launched from the sandbox LMS.</summary>
public abstract class LedgerPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task AnAwardFromTheDecisionPage_ShowsInTheTeachersLedger_ThePrincipalsLedgerAndCsv_AndIsCorrectedWithAReason()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        var title = "Data literacy (ledger " + Guid.NewGuid().ToString("N")[..6] + ")";
        var id = await ReadyAttemptAsync("Ada Okafor", await LincolnAsync(), title);
        await carla.GetAsync($"/app/attempts/{id}/decision");
        await carla.FollowAsync(await carla.PostAsync($"/app/attempts/{id}/decision", new Dictionary<string, string> { ["outcome"] = "Awarded", ["level-analysis"] = "2" }));
        var entry = await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));

        await ada.GetAsync("/app");
        Assert.Contains("href=\"/app/ledger?lt=", ada.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/app/ledger")).StatusCode);
        Assert.Contains(title, WebUtility.HtmlDecode(ada.LastPage), StringComparison.Ordinal);
        Assert.Contains("PD points", ada.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/ledger")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/ledger?handler=Csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync($"/app/district/ledger/{entry.Id}/correct")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/app/district/ledger?teacher=okafor")).StatusCode);
        Assert.Contains($"/app/district/ledger/{entry.Id}/correct", carla.LastPage, StringComparison.Ordinal);
        var csv = await carla.GetAsync("/app/district/ledger?handler=Csv&teacher=okafor");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var parsed = ParsedCsv.Parse(await csv.Content.ReadAsByteArrayAsync());
        var row = parsed.Rows.Single(r => r["entry_id"] == entry.Id.ToString());
        Assert.Equal(("Ada Okafor", "pd_points", "6", "Carla Nguyen"), (row["teacher_name"], row["kind"], row["amount"], row["approved_by"]));

        var correct = $"/app/district/ledger/{entry.Id}/correct";
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync(correct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await carla.PostAsync(correct, new Dictionary<string, string> { ["reason"] = " ", ["amount"] = "5" })).StatusCode);
        Assert.Contains("Say why the entry needs correcting", WebUtility.HtmlDecode(carla.LastPage), StringComparison.Ordinal);
        await carla.FollowAsync(await carla.PostAsync(correct, new Dictionary<string, string> { ["reason"] = "One artefact was from another course.", ["amount"] = "5" }));
        Assert.Contains("The correction is recorded in the ledger.", carla.LastPage, StringComparison.Ordinal);
        Assert.Equal([-6m, 5m], (await host.WithDbAsync(db => db.LedgerEntries.Where(e => e.DecisionId == entry.DecisionId && e.Id != entry.Id).Select(e => e.Amount).ToListAsync())).Order());

        await ada.GetAsync("/app/ledger");
        Assert.Contains("One artefact was from another course.", WebUtility.HtmlDecode(ada.LastPage), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await carla.GetAsync($"/app/district/ledger/{Guid.NewGuid()}/correct")).StatusCode);
    }

    private Task<Guid> LincolnAsync() => host.WithDbAsync(db =>
        (from m in db.SchoolMemberships join p in db.People on m.PersonId equals p.Id where p.Name == "Carla Nguyen" select m.SchoolId).FirstAsync());

    /// <summary>A submitted attempt ready for a decision, as submission and the review issue leave it, paying 6 PD points.</summary>
    private Task<Guid> ReadyAttemptAsync(string teacherName, Guid schoolId, string title) => host.WithDbAsync(async db =>
    {
        var teacher = await db.People.SingleAsync(p => p.Name == teacherName);
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = teacher.TenantId, Key = "led-" + Guid.NewGuid().ToString("N")[..8], Title = title, CreatedAt = now };
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

public sealed class LedgerPagesTests_Sqlite(SqliteToolHost host) : LedgerPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class LedgerPagesTests_PostgreSql(PostgresToolHost host) : LedgerPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
