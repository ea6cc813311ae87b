using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Ledger;
using LtiMicroCred.Reports;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Reports;

/// <summary>The progress report page and its CSV over HTTP through the real host, launched from the sandbox LMS.</summary>
public abstract class ReportPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task ProgressPage_ChartAndTable_PrincipalSeesOnlyOwnSchool_CsvHasTheColumns_TeacherIsRefused()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var (credentialId, lincoln, other, otherName) = await SeedAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/app/reports/progress?credential={credentialId}")).StatusCode);
        var page = WebUtility.HtmlDecode(admin.LastPage);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);
        Assert.Contains("<title id=\"chart-school-title\">", page, StringComparison.Ordinal);
        Assert.Contains(otherName, page, StringComparison.Ordinal);
        Assert.Contains("1 of 2 \"not yet\" attempts resubmitted", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync($"/app/reports/progress?credential={credentialId}")).StatusCode);
        Assert.DoesNotContain(otherName, WebUtility.HtmlDecode(carla.LastPage), StringComparison.Ordinal);
        var csv = await carla.GetAsync($"/app/reports/progress?handler=Csv&credential={credentialId}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var parsed = ReportCsv.Parse(await csv.Content.ReadAsByteArrayAsync());
        Assert.Equal(ReportQueries.ProgressCsvColumns, parsed.Header);
        var school = Assert.Single(parsed.Rows, r => r["breakdown"] == "school");
        Assert.Equal((lincoln.ToString(), "2", "0", "0", "2"), (school["id"], school["attempts"], school["open"], school["awarded"], school["not_yet"]));
        Assert.Equal("1", parsed.Rows.Single(r => r["breakdown"] == "status" && r["label"] == "Resubmitted")["attempts"]);
        Assert.Equal(credentialId.ToString(), Assert.Single(parsed.Rows, r => r["breakdown"] == "credential")["id"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/app/reports/progress?school={other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/app/reports/progress?handler=Csv&school={other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/progress?handler=Csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/app/reports/progress?credential={Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task ExpertiseAndIncentivesPages_ShowTheChartAndTable_ForLeaders_AndRefuseTeachers()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/reports/expertise")).StatusCode);
        Assert.Contains("<title id=\"chart-skills-title\">", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("<caption id=\"caption-skills\">", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/app")).StatusCode);
        Assert.Contains("href=\"/app/reports/expertise?lt=", carla.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/app/reports/expertise")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carla.GetAsync($"/app/reports/expertise?skill={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/expertise")).StatusCode);
        var expertiseCsv = await carla.GetAsync("/app/reports/expertise?handler=Csv");
        Assert.Equal(("text/csv", "attachment"), (expertiseCsv.Content.Headers.ContentType?.MediaType, expertiseCsv.Content.Headers.ContentDisposition?.DispositionType));
        Assert.Equal(ExpertiseQueries.CsvColumns, ReportCsv.Parse(await expertiseCsv.Content.ReadAsByteArrayAsync()).Header);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/expertise?handler=Csv")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/reports/incentives?year=2025")).StatusCode);
        Assert.Contains("<title id=\"chart-incentives-title\">", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("Incentives against budget, 2025-26", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/app/reports/incentives")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/incentives")).StatusCode);
        Assert.Contains("/app/reports/incentives?handler=Csv&amp;lt=", carla.LastPage, StringComparison.Ordinal);
        var incentivesCsv = await admin.GetAsync("/app/reports/incentives?handler=Csv&year=2025");
        Assert.Equal(("text/csv", "attachment"), (incentivesCsv.Content.Headers.ContentType?.MediaType, incentivesCsv.Content.Headers.ContentDisposition?.DispositionType));
        var incentives = ReportCsv.Parse(await incentivesCsv.Content.ReadAsByteArrayAsync());
        Assert.Equal(IncentiveQueries.CsvColumns, incentives.Header);
        Assert.All(incentives.Rows, r => Assert.Equal("2025-26", r["school_year"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/reports/incentives?handler=Csv")).StatusCode);
    }

    /// <summary>A new credential with, at Carla's school, a "not yet" attempt resubmitted as a second one also "not yet"; and one attempt at a new school.</summary>
    private Task<(Guid Credential, Guid Lincoln, Guid Other, string OtherName)> SeedAsync() => host.WithDbAsync(async db =>
    {
        var lincoln = await (from m in db.SchoolMemberships join p in db.People on m.PersonId equals p.Id where p.Name == "Carla Nguyen" select m.SchoolId).FirstAsync();
        var ada = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
        var now = DateTimeOffset.UtcNow;
        var otherName = "Report school " + Guid.NewGuid().ToString("N")[..6];
        var school = new School { Id = Guid.NewGuid(), TenantId = ada.TenantId, Name = otherName, Code = otherName[^6..], CreatedAt = now };
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = ada.TenantId, Key = "rep-" + Guid.NewGuid().ToString("N")[..8], Title = "Progress credential " + Guid.NewGuid().ToString("N")[..6], CreatedAt = now };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = now };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = ada.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 6) };
        Attempt Make(Guid schoolId, AttemptStatus status, int number) => new()
        {
            Id = Guid.NewGuid(), TenantId = ada.TenantId, TeacherId = ada.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = schoolId, Status = status, Number = number, CreatedAt = now.AddDays(-3), UpdatedAt = now, Revision = Guid.NewGuid(),
        };
        db.AddRange(school, credential, version, offering, Make(lincoln, AttemptStatus.Resubmitted, 1), Make(lincoln, AttemptStatus.NotYet, 2), Make(school.Id, AttemptStatus.InProgress, 1));
        await db.SaveChangesAsync();
        return (credential.Id, lincoln, school.Id, otherName);
    });
}

/// <summary>A report CSV read back by column name.</summary>
internal static class ReportCsv
{
    public static ParsedCsv Parse(byte[] bytes)
    {
        using var reader = CsvHelper.CsvReader.Create(bytes, new CsvHelper.CsvReaderOptions { Separator = ',' });
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((name, i) => (name, value: reader.GetString(i))).ToDictionary(f => f.name, f => f.value));
        }

        return new ParsedCsv(header, rows);
    }
}

public sealed class ReportPagesTests_Sqlite(SqliteToolHost host) : ReportPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class ReportPagesTests_PostgreSql(PostgresToolHost host) : ReportPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
