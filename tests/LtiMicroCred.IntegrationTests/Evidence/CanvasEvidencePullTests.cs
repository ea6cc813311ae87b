using System.Diagnostics;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.CanvasAccess;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Evidence;

/// <summary>
/// Teachers' submissions pulled from the sandbox LMS's Canvas REST API over HTTP, by the real Hangfire server, into
/// the real database and file store.
/// </summary>
public abstract class CanvasEvidencePullTests<THost>(THost host) where THost : ToolHost
{
    // The sandbox LMS's seeded assignments (src/LtiMicroCred.Sandbox/SandboxSeed.cs): Ada submitted the lesson plan
    // twice (two files the second time) and wrote the reflection as a text entry.
    private const long LessonPlanAssignmentId = 1101;
    private const long ReflectionAssignmentId = 1103;
    private const long WorkSamplesAssignmentId = 1102;

    [Fact]
    public async Task Pull_CopiesFilesTextAndProvenance_AndARepullBringsNothingNew()
    {
        using var browser = new CanvasBrowser(host);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.ConnectAsync("teacher-ada")).Status);
        var (teacher, attemptId) = await AttemptInProgressAsync("Ada Okafor", ("sample", LessonPlanAssignmentId), ("reflection", ReflectionAssignmentId));

        await host.WithServiceAsync<RequestEvidencePull, int>(async u => { await u.HandleAsync(teacher, attemptId, CancellationToken.None); return 0; });
        var pull = await FinishedPullAsync(attemptId);

        Assert.Equal(EvidencePullState.Done, pull.State);
        var items = await host.WithDbAsync(db => db.EvidenceItems.Where(e => e.AttemptId == attemptId).OrderBy(e => e.SourceItemKey).ToListAsync());
        var files = items.Where(e => e.Form == EvidenceForm.File).ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f =>
        {
            Assert.Equal("sample", f.CriterionKey);
            Assert.Equal(LessonPlanAssignmentId.ToString(), f.SourceAssignmentId);
            Assert.Equal(2, f.SourceAttempt);
            Assert.NotNull(f.SourceSubmittedAt);
        });
        var text = Assert.Single(items, e => e.CriterionKey == "reflection" && e.SourceItemKey!.StartsWith("body:", StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(text.Html));
        var stored = await host.WithDbAsync(db => db.StoredFiles.Where(f => files.Select(i => i.FileId).Contains(f.Id)).ToListAsync());
        foreach (var file in stored)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(host.FileStoreRoot, file.StorageKey));
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.Equal(file.Length, bytes.Length);
        }

        // Unchanged work in the LMS: the second pull adds nothing and keeps no new file.
        var storedBefore = await host.WithDbAsync(db => db.StoredFiles.CountAsync());
        await host.WithServiceAsync<RequestEvidencePull, int>(async u => { await u.HandleAsync(teacher, attemptId, CancellationToken.None); return 0; });
        var again = await FinishedPullAsync(attemptId);
        Assert.Equal(EvidencePullState.Done, again.State);
        Assert.Equal(0, again.ItemsAdded);
        Assert.Equal(items.Count, await host.WithDbAsync(db => db.EvidenceItems.CountAsync(e => e.AttemptId == attemptId)));
        Assert.Equal(storedBefore, await host.WithDbAsync(db => db.StoredFiles.CountAsync()));
    }

    [Fact]
    public async Task Pull_ForATeacherWhoHasNotConnected_AsksThemToConnect()
    {
        using var browser = new CanvasBrowser(host);
        await browser.LaunchAsync("teacher-ben");
        var (teacher, attemptId) = await AttemptInProgressAsync("Ben Castillo", ("sample", WorkSamplesAssignmentId));

        await host.WithServiceAsync<RequestEvidencePull, int>(async u => { await u.HandleAsync(teacher, attemptId, CancellationToken.None); return 0; });
        var pull = await FinishedPullAsync(attemptId);

        Assert.Equal(EvidencePullState.NeedsCanvasConnection, pull.State);
        Assert.Contains("Connect the tool to Canvas", pull.Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.WithDbAsync(db => db.EvidenceItems.CountAsync(e => e.AttemptId == attemptId)));
    }

    /// <summary>A credential of the sandbox district whose criteria are served by the sandbox's Canvas assignments (one test each: an assignment serves one criterion).</summary>
    private async Task<(Actor Teacher, Guid AttemptId)> AttemptInProgressAsync(string teacherName, params (string Criterion, long Assignment)[] mappings)
    {
        var person = await host.WithDbAsync(db => db.People.SingleAsync(p => p.Name == teacherName));
        var tenantId = person.TenantId;
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = "pull-" + Guid.NewGuid().ToString("N")[..8], Title = "Pulled", CreatedAt = now };
        var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, Definition = TestDistrict.Definition(), PublishedAt = now };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = tenantId, CredentialId = credential.Id, Incentive = Incentive.None };
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = tenantId, TeacherId = person.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            Status = AttemptStatus.InProgress, CreatedAt = now, UpdatedAt = now, Revision = Guid.NewGuid(),
        };
        await host.WithDbAsync(async db =>
        {
            db.AddRange(credential, version, offering, attempt);
            return await db.SaveChangesAsync();
        });
        var admin = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.Id).SingleOrDefaultAsync());
        var adminActor = new Actor(admin, tenantId, "Dev Patel", People.ProductRoles.DistrictAdmin, new HashSet<Guid>(), new HashSet<Guid>());
        foreach (var (criterion, assignment) in mappings)
        {
            await host.WithServiceAsync<MapAssignment, Guid>(m => m.HandleAsync(adminActor,
                new MapAssignmentCommand(credential.Id, criterion, "4321", assignment.ToString(), "Assignment " + assignment, null), CancellationToken.None));
        }

        return (await host.WithServiceAsync<ActorDirectory, Actor>(d => d.LoadAsync(person.Id, tenantId, CancellationToken.None)), attempt.Id);
    }

    /// <summary>Waits for the Hangfire job to finish the pull (a condition, not a timing: the deadline only stops a hung run).</summary>
    private async Task<EvidencePull> FinishedPullAsync(Guid attemptId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var pull = await host.WithDbAsync(db => db.EvidencePulls.AsNoTracking().SingleAsync(p => p.AttemptId == attemptId));
            if (pull.State is not (EvidencePullState.Queued or EvidencePullState.Running))
            {
                return pull;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The pull is still {pull.State} after a minute. Job log:\n" +
                string.Join("\n", host.Logs.Lines.Where(l => l.Category.StartsWith("Hangfire", StringComparison.Ordinal) || l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).TakeLast(30).Select(l => $"{l.Level} {l.Category}: {l.Message}")));
            await Task.Delay(50);
        }
    }
}

public sealed class CanvasEvidencePullTests_Sqlite(SqliteToolHost host) : CanvasEvidencePullTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CanvasEvidencePullTests_PostgreSql(PostgresToolHost host) : CanvasEvidencePullTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
