using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LtiMicroCred.Attempts;
using LtiMicroCred.Badges;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.IntegrationTests.Sandbox;

/// <summary>
/// The whole review round of the issue, launched from the sandbox LMS and driven over HTTP through the real host with
/// the sample catalog as a newcomer finds it: Ada submits "Foundations of Teacher Leadership" (one anonymous review by a
/// colleague of her school), Ben reviews it, Carla decides "not yet" with feedback, Ada resubmits with her evidence
/// kept, Ben reviews again and Carla awards it. Before, Dev (district admin) sends in-service hours to the PD course,
/// turns on the PD-system webhook and gives the credential its own gradebook column; after, the award shows up as a
/// grade and as hours in the sandbox's gradebooks, a ledger row, one signed webhook delivery and a verifiable badge.
/// Nothing is set up in the database: every step is a person's request.
/// </summary>
public abstract partial class SandboxReviewJourneyTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task SubmittedAttempt_IsPeerReviewed_DecidedNotYet_Resubmitted_ReviewedAgain_Awarded_AndTheResultsGoOut()
    {
        const string Secret = "journey-webhook-secret";
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/pd-hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using (var devPd = await PageSession.LaunchAsync(host, "admin-dev", "course-pd-1"))
        {
            await devPd.GetAsync("/app/district/hours");
            await devPd.FollowAsync(await devPd.PostAsync("/app/district/hours", new Dictionary<string, string>()));
            Assert.Contains("This course now receives the in-service hours.", WebUtility.HtmlDecode(devPd.LastPage), StringComparison.Ordinal);
            await devPd.GetAsync("/app/district/webhook");
            await devPd.FollowAsync(await devPd.PostAsync("/app/district/webhook", new Dictionary<string, string> { ["url"] = receiver.Url + "/pd-hook", ["secret"] = Secret, ["enabled"] = "true" }));
            Assert.Contains("The webhook is saved.", devPd.LastPage, StringComparison.Ordinal);
        }

        using (var devMc = await PageSession.LaunchAsync(host, "admin-dev"))
        {
            await devMc.GetAsync("/app/district/mappings?credential=tl-foundations");
            await devMc.FollowAsync(await devMc.PostAsync("/app/district/mappings?credential=tl-foundations&handler=LineItem", new Dictionary<string, string>()));
            Assert.Contains("The credential has its own gradebook column.", WebUtility.HtmlDecode(devMc.LastPage), StringComparison.Ordinal);
        }

        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var ben = await PageSession.LaunchAsync(host, "teacher-ben");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        var credentialId = await host.WithDbAsync(db => db.Credentials
            .Where(c => c.Key == "tl-foundations" && db.People.Any(p => p.Name == "Ada Okafor" && p.TenantId == c.TenantId))
            .Select(c => c.Id).SingleAsync());

        // Ada picks the credential, plans it, Carla approves the plan, Ada gathers evidence and submits.
        await ada.GetAsync($"/app/attempts/start?credentialId={credentialId}");
        var first = (await ada.FollowAsync(await ada.PostAsync("/app/attempts/start", new Dictionary<string, string> { ["credentialId"] = credentialId.ToString() })))
            .RequestMessage!.RequestUri!.AbsolutePath;
        await ada.FollowAsync(await ada.PostAsync(first + "?handler=Plan", new Dictionary<string, string>
        {
            ["Plan.Alignment"] = "Lincoln's goal: every grade team uses common assessments.",
            ["Plan.StepDescriptions[0]"] = "Agree a shared goal with the grade 3 team",
            ["Plan.StepDates[0]"] = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd"),
        }));
        await ada.FollowAsync(await ada.PostAsync(first + "?handler=SubmitPlan", new Dictionary<string, string>()));
        await carla.GetAsync(first);
        await carla.FollowAsync(await carla.PostAsync(first + "?handler=Decide", new Dictionary<string, string> { ["decision"] = "Approve" }));
        await ada.GetAsync(first);
        await ada.FollowAsync(await ada.PostAsync(first + "?handler=StartWork", new Dictionary<string, string>()));
        await AddTextAsync(ada, first, "overview", "Our team's need: the grade 3 reading data.");
        await ada.FollowAsync(await ada.PostFileAsync(first + "?handler=Evidence",
            new Dictionary<string, string> { ["Evidence.CriterionKey"] = "artifact", ["Evidence.Kind"] = "file" }, "Evidence.File", "team-agenda.pdf", "%PDF-1.7 agenda"u8.ToArray()));
        await ada.FollowAsync(await ada.PostAsync(first + "?handler=Reflection", new Dictionary<string, string> { ["criterionKey"] = "reflection", ["reflection"] = "I learned to listen first." }));
        await ada.FollowAsync(await ada.PostAsync(first + "?handler=Submit", new Dictionary<string, string>()));
        Assert.Contains("<strong>In review</strong>", ada.LastPage, StringComparison.Ordinal);

        // The one same-school colleague who is not the principal reviews it: Ben, from his queue.
        await ReviewFromQueueAsync(ben, need: 1, leading: 2, reflection: 2, needFeedback: "The need rests on one conversation.");

        // Carla: ready for decision in her queue; "not yet", with feedback where it falls short.
        var firstId = Guid.Parse(first.Split('/')[^1]);
        var decision = $"/app/attempts/{firstId}/decision";
        Assert.Contains($"href=\"{decision}", await (await carla.GetAsync("/app/approvals")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await carla.GetAsync(decision);
        Assert.Contains("The need rests on one conversation.", WebUtility.HtmlDecode(carla.LastPage), StringComparison.Ordinal);
        Assert.Contains("Ben Castillo", carla.LastPage, StringComparison.Ordinal);
        await carla.FollowAsync(await carla.PostAsync(decision, new Dictionary<string, string>
        {
            ["outcome"] = "NotYet",
            ["level-need"] = "1", ["feedback-need"] = "Bring the reading data the team looked at.",
            ["level-leading"] = "2", ["level-reflection"] = "2",
            ["overall"] = "A strong start; show the evidence of the need.",
        }));

        // Ada sees the decision and the anonymous review's feedback, never who wrote it; she resubmits.
        await ada.GetAsync(first);
        var decided = WebUtility.HtmlDecode(ada.LastPage);
        Assert.Contains("Bring the reading data the team looked at.", decided, StringComparison.Ordinal);
        Assert.Contains("The need rests on one conversation.", decided, StringComparison.Ordinal);
        Assert.DoesNotContain("Ben Castillo", decided, StringComparison.Ordinal);
        var benId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Ben Castillo").Select(p => p.Id).SingleAsync());
        Assert.DoesNotContain(benId.ToString(), decided, StringComparison.OrdinalIgnoreCase);
        var second = (await ada.FollowAsync(await ada.PostAsync(first + "?handler=Resubmit", new Dictionary<string, string>()))).RequestMessage!.RequestUri!.AbsolutePath;
        Assert.NotEqual(first, second);
        Assert.Contains("team-agenda.pdf", ada.LastPage, StringComparison.Ordinal);
        await AddTextAsync(ada, second, "overview", "Our need, with the team's reading data: 41% of grade 3 below benchmark.");
        await ada.FollowAsync(await ada.PostAsync(second + "?handler=Submit", new Dictionary<string, string>()));
        Assert.Contains("<strong>In review</strong>", ada.LastPage, StringComparison.Ordinal);

        // Round two: Ben again (a new attempt round), then Carla awards.
        await ReviewFromQueueAsync(ben, need: 2, leading: 2, reflection: 3, needFeedback: "The data makes the need clear.");
        var secondId = Guid.Parse(second.Split('/')[^1]);
        await carla.GetAsync($"/app/attempts/{secondId}/decision");
        await carla.FollowAsync(await carla.PostAsync($"/app/attempts/{secondId}/decision", new Dictionary<string, string>
        {
            ["outcome"] = "Awarded", ["level-need"] = "2", ["level-leading"] = "2", ["level-reflection"] = "3", ["overall"] = "Well led.",
        }));

        await ada.GetAsync(second);
        var awarded = WebUtility.HtmlDecode(ada.LastPage);
        Assert.Contains("<strong>Awarded</strong>", awarded, StringComparison.Ordinal);
        // The earlier round is kept in the history with its feedback.
        Assert.Contains("Bring the reading data the team looked at.", awarded, StringComparison.Ordinal);
        var rounds = await host.WithDbAsync(db => db.Attempts.AsNoTracking().Where(a => a.Id == firstId || a.Id == secondId).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([AttemptStatus.Resubmitted, AttemptStatus.Awarded], rounds.Select(a => a.Status));
        Assert.Equal(firstId, rounds[1].PreviousAttemptId);
        var reviews = await host.WithDbAsync(db => db.ReviewAssignments.AsNoTracking().Where(r => r.AttemptId == firstId || r.AttemptId == secondId).ToListAsync());
        Assert.Equal(2, reviews.Count);
        Assert.All(reviews, r => Assert.Equal((benId, ReviewStatus.Submitted), (r.ReviewerId, r.Status)));

        // Everything the two decisions sent out (grades, hours, webhook) leaves the outbox by the real Hangfire server.
        var tenantId = rounds[1].TenantId;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await host.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.TenantId == tenantId && m.Status != OutboxStatus.Done)))
        {
            var stuck = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == tenantId && m.Status != OutboxStatus.Done).Select(m => m.Kind + ": " + m.LastError).ToListAsync());
            Assert.True(DateTime.UtcNow < deadline, "Not sent: " + string.Join("; ", stuck));
            await Task.Delay(50);
        }

        // The ledger row of the award: 15 in-service hours approved by Carla.
        var entry = await host.WithDbAsync(db => db.LedgerEntries.AsNoTracking().SingleAsync(e => e.AttemptId == secondId));
        Assert.Equal((IncentiveKind.InServiceHours, 15m, LedgerEntryType.Award), (entry.Kind, entry.Amount, entry.EntryType));
        Assert.Contains("In-service hours: <strong>15</strong>", WebUtility.HtmlDecode(await (await ada.GetAsync("/app/ledger")).Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // The grade in the microcredential course's gradebook, the hours in the PD course's.
        using var lms = host.CreateRawClient();
        Assert.Contains("Microcredential awarded", GradebookRow(await lms.GetStringAsync("/sandbox/course/course-mc-1?person=admin-dev"), "Ada Okafor"), StringComparison.Ordinal);
        Assert.Contains(">15/100<", GradebookRow(await lms.GetStringAsync("/sandbox/course/course-pd-1?person=admin-dev"), "Ada Okafor").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // One webhook delivery for the one ledger entry, signed with the district's secret.
        var delivery = Assert.Single(receiver.LogEntries);
        var body = delivery.RequestMessage.Body!;
        Assert.Contains(entry.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(signature, delivery.RequestMessage.Headers!["X-LtiMicroCred-Signature"].Single());

        // The badge: on Ada's page, and its public page verifies the signature with the tool's published keys.
        var badge = await host.WithDbAsync(db => db.IssuedBadges.AsNoTracking().SingleAsync(b => b.DecisionId == entry.DecisionId && b.Kind == BadgeKind.Credential));
        Assert.Contains($"/badges/{badge.Id}", await (await ada.GetAsync("/app/badges")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var verification = WebUtility.HtmlDecode(await lms.GetStringAsync($"/badges/{badge.Id}"));
        Assert.Contains("Signature check: passed.", verification, StringComparison.Ordinal);
        Assert.Contains("Foundations of Teacher Leadership", verification, StringComparison.Ordinal);
    }

    private static string GradebookRow(string coursePage, string student)
    {
        var page = WebUtility.HtmlDecode(coursePage);
        var gradebook = page[page.IndexOf("id=\"gradebook-heading\"", StringComparison.Ordinal)..];
        var row = gradebook[gradebook.IndexOf(student, StringComparison.Ordinal)..];
        return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
    }

    private static async Task AddTextAsync(PageSession teacher, string attempt, string criterion, string text)
    {
        await teacher.GetAsync(attempt);
        await teacher.FollowAsync(await teacher.PostAsync(attempt + "?handler=Evidence", new Dictionary<string, string>
        {
            ["Evidence.CriterionKey"] = criterion, ["Evidence.Kind"] = "text", ["Evidence.Title"] = "Overview answers", ["Evidence.Text"] = text,
        }));
    }

    private static async Task ReviewFromQueueAsync(PageSession reviewer, int need, int leading, int reflection, string needFeedback)
    {
        Assert.Contains("To review (1)", await (await reviewer.GetAsync("/app/reviews")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var next = await reviewer.GetAsync("/app/reviews?handler=Next");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        var review = ReviewPath().Match(next.Headers.Location!.OriginalString).Value;
        Assert.False(string.IsNullOrEmpty(review), next.Headers.Location!.OriginalString);
        await reviewer.GetAsync(review);
        Assert.Contains("Evidence of a shared need", reviewer.LastPage, StringComparison.Ordinal);
        var done = await reviewer.PostAsync(review + "?handler=Submit", new Dictionary<string, string>
        {
            ["Levels[need]"] = need.ToString(), ["Levels[leading]"] = leading.ToString(), ["Levels[reflection]"] = reflection.ToString(),
            ["Feedback[need]"] = needFeedback, ["Feedback[leading]"] = "The team shared the work.", ["Overall"] = "Thank you for the clear evidence.",
        });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
    }

    [GeneratedRegex("/app/reviews/[0-9a-f-]{36}")]
    private static partial Regex ReviewPath();
}

public sealed class SandboxReviewJourneyTests_Sqlite(SqliteToolHost host) : SandboxReviewJourneyTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class SandboxReviewJourneyTests_PostgreSql(PostgresToolHost host) : SandboxReviewJourneyTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
