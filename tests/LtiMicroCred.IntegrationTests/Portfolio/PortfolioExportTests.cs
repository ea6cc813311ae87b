using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Portfolio;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Portfolio;

/// <summary>
/// The portfolio export over HTTP through the real host, built by the real Hangfire server into the real file store:
/// the ZIP's entries and hashes, reviewer anonymity, who may ask and download, a second run, a hostile file name.
/// </summary>
public abstract partial class PortfolioExportTests<THost>(THost host) where THost : ToolHost
{
    private const string HostileName = "..\\..\\evil <script>.pdf";

    [Fact]
    public async Task TeacherExportsAnAttempt_ZipHasEvidenceReflectionsFeedbackManifestAndIndex_ReviewersAreAnonymous_NamesAreSanitised()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        var fixture = await AdaAttemptAsync();

        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync($"/app/attempts/{fixture.AttemptId}")).StatusCode);
        Assert.Contains($"/app/portfolio?attempt={fixture.AttemptId}", ada.LastPage, StringComparison.Ordinal);
        await ada.GetAsync("/app");
        Assert.Contains("href=\"/app/portfolio?lt=", ada.LastPage, StringComparison.Ordinal);
        var exportId = await RequestAsync(ada, $"/app/portfolio?attempt={fixture.AttemptId}", new() { ["scope"] = "attempt", ["attempt"] = fixture.AttemptId.ToString() });

        var export = await ReadyAsync(exportId);
        Assert.Equal((PortfolioScope.Attempt, fixture.AttemptId, export.Total), (export.Scope, export.AttemptId, export.Done));
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/app/portfolio")).StatusCode);
        Assert.Contains($"/app/portfolio/{exportId}/download", ada.LastPage, StringComparison.Ordinal);
        using var zip = await DownloadAsync(ada, exportId);

        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.All(names, n => Assert.Matches("^[A-Za-z0-9._/-]+$", n));
        Assert.All(names, n => Assert.DoesNotContain("..", n, StringComparison.Ordinal));
        Assert.All(names, n => Assert.False(n.StartsWith('/') || n.StartsWith('.'), n));
        Assert.Contains("index.html", names);
        Assert.Contains("manifest.json", names);
        var folder = names.Single(n => n.EndsWith("/reflections.html", StringComparison.Ordinal))[..^"reflections.html".Length];
        Assert.Contains(folder + "feedback-and-decision.html", names);
        var hostile = Assert.Single(names, n => n.StartsWith(folder + "evidence/", StringComparison.Ordinal) && n.EndsWith("-evil-script-.pdf", StringComparison.Ordinal));
        Assert.Equal(fixture.FileBytes, Bytes(zip, hostile));
        Assert.Contains(names, n => n.StartsWith(folder + "evidence/", StringComparison.Ordinal) && n.EndsWith(".html", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith(folder + "evidence/", StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal));

        using var manifest = JsonDocument.Parse(Bytes(zip, "manifest.json"));
        var attempt = Assert.Single(manifest.RootElement.GetProperty("attempts").EnumerateArray());
        Assert.Equal(fixture.AttemptId, attempt.GetProperty("attempt_id").GetGuid());
        Assert.Equal("Awarded", attempt.GetProperty("decision").GetProperty("outcome").GetString());
        var files = attempt.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(5, files.Count);
        foreach (var file in files)
        {
            var path = file.GetProperty("path").GetString()!;
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(Bytes(zip, path))));
            Assert.Equal(file.GetProperty("size").GetInt64(), Bytes(zip, path).LongLength);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fixture.FileBytes)), files.Single(f => f.GetProperty("path").GetString() == hostile).GetProperty("sha256").GetString());
        var everything = string.Join("\n", zip.Entries.Select(e => Encoding.UTF8.GetString(Bytes(zip, e.FullName))));
        Assert.DoesNotContain("Ben Castillo", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.ReviewerId.ToString(), everything, StringComparison.OrdinalIgnoreCase);
        var feedback = Encoding.UTF8.GetString(Bytes(zip, folder + "feedback-and-decision.html"));
        Assert.Contains("Reviewer 1", feedback, StringComparison.Ordinal);
        Assert.Contains("Clear analysis of the exit tickets", feedback, StringComparison.Ordinal);
        Assert.Contains("Carla Nguyen", feedback, StringComparison.Ordinal);
        Assert.Contains("I re-taught fractions", Encoding.UTF8.GetString(Bytes(zip, folder + "reflections.html")), StringComparison.Ordinal);
        var index = Encoding.UTF8.GetString(Bytes(zip, "index.html"));
        Assert.Contains("Data &lt;b&gt;literacy&lt;/b&gt;", index, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>literacy", index, StringComparison.Ordinal);
        Assert.Contains($"href=\"{hostile}\"", index, StringComparison.Ordinal);
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "portfolio.requested" && a.SubjectId == fixture.TeacherId)));
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "portfolio.downloaded" && a.SubjectId == fixture.TeacherId)));

        // Another teacher of the same district: refused, and not shown the export.
        Assert.Equal(HttpStatusCode.Forbidden, (await ben.GetAsync($"/app/portfolio/{exportId}/download")).StatusCode);
        await ben.GetAsync("/app/portfolio");
        Assert.DoesNotContain(exportId.ToString(), ben.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ben.PostAsync("/app/portfolio", new Dictionary<string, string> { ["scope"] = "attempt", ["attempt"] = fixture.AttemptId.ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ada.GetAsync($"/app/portfolio/{Guid.NewGuid()}/download")).StatusCode);

        // Someone of another district: the export and the attempt do not exist for them.
        var other = await TestDistrict.CreateAsync(host);
        var stranger = await other.ActorAsync(other.Admin);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<PortfolioQueries, int>(async q => { await q.DownloadAsync(stranger, exportId, CancellationToken.None); return 0; }));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<RequestPortfolioExport, Guid>(r => r.HandleAsync(stranger, PortfolioScope.Attempt, fixture.AttemptId, null, CancellationToken.None)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<RequestPortfolioExport, Guid>(r => r.HandleAsync(stranger, PortfolioScope.All, null, fixture.TeacherId, CancellationToken.None)));
    }

    [Fact]
    public async Task DistrictAdminExportsAllOfATeachersCredentials_PrincipalOnlyOneAttemptAtTheirSchool()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        var fixture = await AdaAttemptAsync();

        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync($"/app/portfolio?teacher={fixture.TeacherId}")).StatusCode);
        Assert.Contains("for Ada Okafor", WebUtility.HtmlDecode(dev.LastPage), StringComparison.Ordinal);
        var exportId = await RequestAsync(dev, $"/app/portfolio?teacher={fixture.TeacherId}", new() { ["scope"] = "all", ["teacher"] = fixture.TeacherId.ToString() });
        var export = await ReadyAsync(exportId);
        Assert.Equal((PortfolioScope.All, fixture.TeacherId), (export.Scope, export.TeacherId));
        using (var zip = await DownloadAsync(dev, exportId))
        {
            using var manifest = JsonDocument.Parse(Bytes(zip, "manifest.json"));
            Assert.Equal(fixture.TeacherId, manifest.RootElement.GetProperty("teacher_id").GetGuid());
            Assert.Contains(manifest.RootElement.GetProperty("attempts").EnumerateArray(), a => a.GetProperty("attempt_id").GetGuid() == fixture.AttemptId);
        }

        // The teacher sees and downloads the export made for her.
        await ada.GetAsync("/app/portfolio");
        Assert.Contains($"/app/portfolio/{exportId}/download", ada.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync($"/app/portfolio/{exportId}/download")).StatusCode);

        // The principal of the attempt's school may export that attempt, not the teacher's whole portfolio.
        await carla.GetAsync($"/app/portfolio?attempt={fixture.AttemptId}");
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.PostAsync("/app/portfolio", new Dictionary<string, string> { ["scope"] = "all", ["teacher"] = fixture.TeacherId.ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"/app/portfolio/{exportId}/download")).StatusCode);
        await carla.GetAsync($"/app/portfolio?attempt={fixture.AttemptId}");
        var principals = await RequestAsync(carla, $"/app/portfolio?attempt={fixture.AttemptId}", new() { ["scope"] = "attempt", ["attempt"] = fixture.AttemptId.ToString() });
        await ReadyAsync(principals);
        using var attemptZip = await DownloadAsync(carla, principals);
        Assert.Contains(attemptZip.Entries, e => e.FullName.EndsWith("-evil-script-.pdf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheJobRunTwice_LeavesOneFile_AndThePurgeRemovesAnExpiredExportAndItsZip()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var fixture = await AdaAttemptAsync();
        var exportId = await RequestAsync(ada, $"/app/portfolio?attempt={fixture.AttemptId}", new() { ["scope"] = "attempt", ["attempt"] = fixture.AttemptId.ToString() });
        var first = await ReadyAsync(exportId);
        var filesBefore = StoreFiles();

        // As after a crash that lost the job's end: run it again from the start, twice at once.
        await host.WithDbAsync(db => db.PortfolioExports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, PortfolioExportStatus.Running)));
        await Task.WhenAll(RunJobAsync(exportId), RunJobAsync(exportId));
        var second = await host.WithDbAsync(db => db.PortfolioExports.AsNoTracking().SingleAsync(e => e.Id == exportId));
        Assert.Equal(PortfolioExportStatus.Ready, second.Status);
        Assert.Equal((first.FileKey, first.Sha256, first.SizeBytes), (second.FileKey, second.Sha256, second.SizeBytes));
        Assert.Equal(filesBefore, StoreFiles());
        using (var zip = await DownloadAsync(ada, exportId))
        {
            Assert.Single(zip.Entries, e => e.FullName.EndsWith("-evil-script-.pdf", StringComparison.Ordinal));
        }

        // A ready export is not built again.
        await RunJobAsync(exportId);
        Assert.Equal(first.FileKey, (await host.WithDbAsync(db => db.PortfolioExports.AsNoTracking().SingleAsync(e => e.Id == exportId))).FileKey);

        await host.WithDbAsync(db => db.PortfolioExports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        await host.WithServiceAsync<PurgePortfolioExportsJob, int>(async job => { await job.RunAsync(CancellationToken.None); return 0; });
        Assert.False(await host.WithDbAsync(db => db.PortfolioExports.AnyAsync(e => e.Id == exportId)));
        Assert.False(await host.WithServiceAsync<IFileStore, bool>(store => store.ExistsAsync(first.FileKey!, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.NotFound, (await ada.GetAsync($"/app/portfolio/{exportId}/download")).StatusCode);
        // The evidence file the ZIP held is still kept.
        Assert.True(await host.WithServiceAsync<IFileStore, bool>(store => store.ExistsAsync(fixture.FileKey, CancellationToken.None)));
    }

    private async Task RunJobAsync(Guid exportId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BuildPortfolioExportJob>().RunAsync(exportId, CancellationToken.None);
    }

    private string[] StoreFiles() =>
        System.IO.Directory.GetFiles(host.FileStoreRoot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(host.FileStoreRoot, f)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Opens the page (for its form token), posts the request and returns the new export's id.</summary>
    private async Task<Guid> RequestAsync(PageSession session, string page, Dictionary<string, string> fields)
    {
        var before = await host.WithDbAsync(db => db.PortfolioExports.Select(e => e.Id).ToListAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(page)).StatusCode);
        var posted = await session.PostAsync("/app/portfolio", fields);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await session.FollowAsync(posted);
        Assert.Contains("Your export is being prepared", session.LastPage, StringComparison.Ordinal);
        return await host.WithDbAsync(db => db.PortfolioExports.Where(e => !before.Contains(e.Id)).Select(e => e.Id).SingleAsync());
    }

    private static async Task<ZipArchive> DownloadAsync(PageSession session, Guid exportId)
    {
        var response = await session.GetAsync($"/app/portfolio/{exportId}/download");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
    }

    private static byte[] Bytes(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Waits for the Hangfire job to finish the export (a condition, not a timing: the deadline only stops a hung run).</summary>
    private async Task<PortfolioExport> ReadyAsync(Guid exportId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var export = await host.WithDbAsync(db => db.PortfolioExports.AsNoTracking().SingleAsync(e => e.Id == exportId));
            if (export.Status == PortfolioExportStatus.Ready)
            {
                return export;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The export is still {export.Status} after a minute. Log:\n" +
                string.Join("\n", host.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).TakeLast(30).Select(l => $"{l.Level} {l.Category}: {l.Message}")));
            await Task.Delay(50);
        }
    }

    private sealed record Fixture(Guid AttemptId, Guid TeacherId, Guid ReviewerId, byte[] FileBytes, string FileKey);

    /// <summary>
    /// An awarded attempt of Ada's at Lincoln: a file with a hostile name, a text, a link, a reflection, a submitted
    /// review by Ben (named nowhere in the export) and Carla's decision.
    /// </summary>
    private async Task<Fixture> AdaAttemptAsync()
    {
        // The reviewer and the principal exist once they have launched.
        foreach (var person in new[] { "teacher-ben", "principal-carla" })
        {
            (await PageSession.LaunchAsync(host, person)).Dispose();
        }

        var bytes = Encoding.UTF8.GetBytes("%PDF-1.4 lesson plan " + Guid.NewGuid());
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return await host.WithDbAsync(async db =>
        {
            var ada = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
            var ben = await db.People.SingleAsync(p => p.Name == "Ben Castillo" && p.TenantId == ada.TenantId);
            var carla = await db.People.SingleAsync(p => p.Name == "Carla Nguyen" && p.TenantId == ada.TenantId);
            var school = await db.SchoolMemberships.Where(m => m.PersonId == carla.Id).Select(m => m.SchoolId).FirstAsync();
            var store = host.Services.GetRequiredService<IFileStore>();
            var key = await store.PutAsync(ada.TenantId, sha, new MemoryStream(bytes), CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            var credential = new Credential { Id = Guid.NewGuid(), TenantId = ada.TenantId, Key = "pf-" + Guid.NewGuid().ToString("N")[..8], Title = "Data <b>literacy</b> & more", CreatedAt = now };
            var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = now };
            credential.CurrentVersionId = version.Id;
            var offering = new Offering { Id = Guid.NewGuid(), TenantId = ada.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.InServiceHours, 4) };
            var attempt = new Attempt
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, TeacherId = ada.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
                SchoolId = school, Status = AttemptStatus.Awarded, CreatedAt = now.AddDays(-30), UpdatedAt = now, SubmittedAt = now.AddDays(-5), Revision = Guid.NewGuid(),
            };
            var file = new StoredFile { Id = Guid.NewGuid(), TenantId = ada.TenantId, FileName = HostileName, ContentType = "application/pdf", Length = bytes.Length, Sha256 = sha, StorageKey = key, CreatedAt = now };
            EvidenceItem Item(EvidenceForm form, string criterion, string title, int minutesAgo) => new()
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, AttemptId = attempt.Id, CriterionKey = criterion, Source = EvidenceSource.Direct, Form = form, Title = title,
                AddedBy = ada.Id, AddedAt = now.AddMinutes(-minutesAgo),
            };
            var upload = Item(EvidenceForm.File, "sample", "Lesson plan", 30);
            upload.FileId = file.Id;
            var text = Item(EvidenceForm.Text, "sample", "../Notes on <the> lesson", 20);
            text.Html = "<p>Exit tickets showed <strong>two</strong> groups.</p>";
            var link = Item(EvidenceForm.VideoLink, "video", "Lesson video", 10);
            (link.Url, link.VideoMinutes) = ("https://video.example/lesson?id=1&t=2", 8);
            db.AddRange(credential, version, offering, attempt, file, upload, text, link);
            db.Reflections.Add(new Reflection { AttemptId = attempt.Id, CriterionKey = "reflection", Html = "<p>I re-taught fractions to the second group.</p>", UpdatedAt = now.AddDays(-6) });
            db.ReviewAssignments.Add(new ReviewAssignment
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, AttemptId = attempt.Id, ReviewerId = ben.Id, Status = ReviewStatus.Submitted, AllocatedAt = now.AddDays(-5),
                DueAt = now.AddDays(2), Scores = [new CriterionScore("analysis", 2, "The analysis is complete")], OverallFeedback = "Clear analysis of the exit tickets.",
                Outcome = ReviewOutcome.Pass, SubmittedAt = now.AddDays(-3), Revision = Guid.NewGuid(),
            });
            db.AttemptDecisions.Add(new AttemptDecision
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, AttemptId = attempt.Id, CredentialVersionId = version.Id, Outcome = DecisionOutcome.Awarded,
                Results = [new CriterionResult("analysis", 2, "Well done.")], OverallFeedback = "Awarded: strong evidence.", DecidedBy = carla.Id, DecidedAt = now.AddDays(-1),
                Incentive = new Incentive(IncentiveKind.InServiceHours, 4),
            });
            await db.SaveChangesAsync();
            return new Fixture(attempt.Id, ada.Id, ben.Id, bytes, key);
        });
    }
}

public sealed class PortfolioExportTests_Sqlite(SqliteToolHost host) : PortfolioExportTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class PortfolioExportTests_PostgreSql(PostgresToolHost host) : PortfolioExportTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
