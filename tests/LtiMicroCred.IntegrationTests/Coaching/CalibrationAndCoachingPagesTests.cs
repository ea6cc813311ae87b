using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Coaching;

/// <summary>Coach check-ins and the calibration exercise over HTTP, launched from the sandbox LMS as a newcomer would try them.</summary>
public abstract partial class CalibrationAndCoachingPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task SandboxTeacher_AsksDevForACheckIn_AndReadsHisComments()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        var credentialId = await AddSandboxCredentialAsync("Check-in credential");
        await ada.GetAsync($"/app/attempts/start?credentialId={credentialId}");
        var attempt = (await ada.FollowAsync(await ada.PostAsync("/app/attempts/start", new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() })))
            .RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Contains($"href=\"{attempt}/check-ins?lt=", ada.LastPage, StringComparison.Ordinal);

        // Dev Patel coaches Lincoln Elementary's teachers out of the box; a plan check-in needs a plan first.
        await ada.GetAsync(attempt + "/check-ins");
        Assert.Contains(">Dev Patel</option>", ada.LastPage, StringComparison.Ordinal);
        var noQuestion = await ada.PostAsync(attempt + "/check-ins", new Dictionary<string, string> { ["coachId"] = await PersonIdAsync("Dev Patel"), ["about"] = "Evidence", ["question"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noQuestion.StatusCode);
        Assert.Contains("Write what you would like your coach to look at", ada.LastPage, StringComparison.Ordinal);
        await ada.FollowAsync(await ada.PostAsync(attempt + "/check-ins", new Dictionary<string, string>
        {
            ["coachId"] = await PersonIdAsync("Dev Patel"), ["about"] = "Evidence", ["question"] = "Which work sample shows the analysis best?",
        }));
        Assert.Contains("Waiting for Dev Patel's answer.", ada.LastPage, StringComparison.Ordinal);

        // Dev finds it in his queue and answers per criterion.
        Assert.Contains("Coaching check-ins", await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await dev.GetAsync("/app/coaching");
        var checkIn = CheckInLink().Match(dev.LastPage).Groups[1].Value;
        Assert.StartsWith("/app/coaching/", checkIn, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ben.GetAsync(checkIn)).StatusCode);
        await dev.GetAsync(checkIn);
        Assert.Contains("Which work sample shows the analysis best?", dev.LastPage, StringComparison.Ordinal);
        await dev.FollowAsync(await dev.PostAsync(checkIn, new Dictionary<string, string> { ["comments[sample]"] = "The exit tickets from week 2.", ["general"] = "A good start." }));
        Assert.Contains("Your comments are sent to the teacher.", dev.LastPage, StringComparison.Ordinal);

        await ada.GetAsync(attempt + "/check-ins");
        Assert.Contains("The exit tickets from week 2.", ada.LastPage, StringComparison.Ordinal);
        Assert.Contains("<dt>Work sample</dt>", ada.LastPage, StringComparison.Ordinal);
        Assert.Contains("A good start.", ada.LastPage, StringComparison.Ordinal);
        await ada.GetAsync(attempt);
        Assert.Contains("<strong>Selected</strong>", ada.LastPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DistrictAddsReferences_BenTakesTheExercise_AndBothSeeHisResult()
    {
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var credentialId = await AddSandboxCredentialAsync("Calibration credential");
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/calibration")).StatusCode);

        var form = $"/app/district/calibration/reference?credential={credentialId}";
        await dev.GetAsync(form);
        var unscored = await dev.PostAsync(form, new Dictionary<string, string> { ["Title"] = "First", ["Evidence"] = "Students sorted by misconception." });
        Assert.Equal(HttpStatusCode.BadRequest, unscored.StatusCode);
        Assert.Contains("Choose a level for &quot;Analysis&quot;.", dev.LastPage, StringComparison.Ordinal);
        foreach (var (title, level) in new[] { ("First", 2), ("Second", 1), ("Third", 0) })
        {
            await dev.GetAsync(form);
            await dev.FollowAsync(await dev.PostAsync(form, new Dictionary<string, string>
            {
                ["Title"] = title, ["Evidence"] = $"{title} lesson: students sorted by misconception.", ["levels[analysis]"] = level.ToString(),
            }));
        }

        Assert.Contains("3 active references.", dev.LastPage, StringComparison.Ordinal);

        // Ben scores each reference without seeing the agreed levels: 2, 1, 1 against 2, 1, 0.
        await ben.GetAsync("/app/calibration");
        Assert.Contains($"href=\"/app/calibration/{credentialId}?lt=", ben.LastPage, StringComparison.Ordinal);
        var exercise = $"/app/calibration/{credentialId}";
        foreach (var level in new[] { 2, 1, 1 })
        {
            await ben.GetAsync(exercise);
            Assert.DoesNotContain("Agreed level", ben.LastPage, StringComparison.Ordinal);
            var referenceId = Regex.Match(ben.LastPage, "name=\"referenceId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
            await ben.FollowAsync(await ben.PostAsync(exercise + "?handler=Score", new Dictionary<string, string> { ["referenceId"] = referenceId, ["levels[analysis]"] = level.ToString() }));
        }

        // Pairs (2,2) (1,1) (1,0), k = 3: exact 2/3; observed 1/4 / 3 = 1/12; R = (0, 2/3, 1/3), C = (1/3, 1/3, 1/3);
        // expected = 1/3 · [2/3 · (1/4 + 0 + 1/4) + 1/3 · (1 + 1/4 + 0)] = 1/3 · (1/3 + 5/12) = 1/4; kappa = 1 - (1/12) / (1/4) = 0.67.
        Assert.Contains("weighted kappa 0.67", ben.LastPage, StringComparison.Ordinal);
        Assert.Contains("<strong>Calibrated</strong>", ben.LastPage, StringComparison.Ordinal);
        Assert.Contains("One level apart", ben.LastPage, StringComparison.Ordinal);
        await dev.GetAsync("/app/district/calibration");
        Assert.Contains("<th scope=\"row\">Ben Castillo</th>", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("<td>0.67</td>", dev.LastPage, StringComparison.Ordinal);
    }

    private Task<string> PersonIdAsync(string name) => host.WithDbAsync(db => db.People.Where(p => p.Name == name).Select(p => p.Id.ToString()).SingleAsync());

    private async Task<Guid> AddSandboxCredentialAsync(string title)
    {
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Ada Okafor").Select(p => p.TenantId).SingleAsync());
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = "coach-" + Guid.NewGuid().ToString("N")[..8], Title = title, CreatedAt = DateTimeOffset.UtcNow };
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

    [GeneratedRegex("href=\"(/app/coaching/[0-9a-f-]+)\\?lt=")]
    private static partial Regex CheckInLink();
}

public sealed class CalibrationAndCoachingPagesTests_Sqlite(SqliteToolHost host) : CalibrationAndCoachingPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CalibrationAndCoachingPagesTests_PostgreSql(PostgresToolHost host) : CalibrationAndCoachingPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
