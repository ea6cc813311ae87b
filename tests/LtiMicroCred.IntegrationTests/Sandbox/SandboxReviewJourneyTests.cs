using System.Net;
using System.Text.RegularExpressions;
using LtiMicroCred.Attempts;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Sandbox;

/// <summary>
/// The whole review round of the issue, launched from the sandbox LMS and driven over HTTP through the real host with
/// the sample catalog as a newcomer finds it: Ada submits "Foundations of Teacher Leadership" (one anonymous review by a
/// colleague of her school), Ben reviews it, Carla decides "not yet" with feedback, Ada resubmits with her evidence
/// kept, Ben reviews again and Carla awards it. Nothing is set up in the database: every step is a person's request.
/// </summary>
public abstract partial class SandboxReviewJourneyTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task SubmittedAttempt_IsPeerReviewed_DecidedNotYet_Resubmitted_ReviewedAgain_AndAwarded()
    {
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
