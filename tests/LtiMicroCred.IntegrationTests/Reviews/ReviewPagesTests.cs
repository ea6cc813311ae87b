using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.IntegrationTests.Directory;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Reviews;

/// <summary>The peer review pages over real HTTP through the real host, as each person of a district.</summary>
public abstract class ReviewPagesTests<THost>(THost host) where THost : ReviewHost
{
    [Fact]
    public async Task Reviewer_WorksThroughTheQueue_AutosavesSubmitsAndGoesToTheNext()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1, eligibility: ReviewerEligibility.TrainedReviewers);
        var d = s.District;
        var reviewer = await s.AddPersonAsync("Rae Reviewer", d.North, ProductRoles.PeerReviewer);
        var first = await s.SubmitAsync(d.Teacher);
        var second = await s.SubmitAsync(d.SouthTeacher);
        var reviews = (await s.ReviewsAsync(first)).Concat(await s.ReviewsAsync(second)).ToList();
        Assert.All(reviews, r => Assert.Equal(reviewer.Id, r.ReviewerId));
        using var browser = new DirectoryBrowser(host);
        var token = await DirectoryBrowser.TokenAsync(host, d.TenantId, reviewer);

        var queue = await (await browser.GetAsync($"/app/reviews?lt={token}")).Content.ReadAsStringAsync();
        Assert.Contains("To review (2)", queue, StringComparison.Ordinal);
        Assert.Contains("Start next review", queue, StringComparison.Ordinal);
        var next = await browser.GetAsync($"/app/reviews?handler=Next&lt={token}");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        var firstId = reviews.OrderBy(r => r.DueAt).First().Id;
        Assert.Contains(firstId.ToString(), next.Headers.Location!.ToString(), StringComparison.Ordinal);

        var page = await browser.OpenAsync($"/app/reviews/{firstId}?lt={token}");
        Assert.Contains("<legend>Analysis</legend>", page.Html, StringComparison.Ordinal);
        Assert.Contains("Unit plan", page.Html, StringComparison.Ordinal);
        Assert.Contains("review-autosave.js", page.Html, StringComparison.Ordinal);
        var autosave = await browser.PostFormAsync($"/app/reviews/{firstId}?handler=Autosave", page, Fields(token, 2, null, "Started"));
        Assert.Equal(HttpStatusCode.OK, autosave.StatusCode);
        Assert.Contains("savedAt", await autosave.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ReviewStatus.Draft, (await host.WithDbAsync(db => db.ReviewAssignments.SingleAsync(r => r.Id == firstId))).Status);

        var incomplete = await browser.PostFormAsync($"/app/reviews/{firstId}?handler=Submit", page, Fields(token, 2, null, "Started"));
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Choose a level for \"Action\"", WebUtility.HtmlDecode(await incomplete.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var submitted = await browser.PostFormAsync($"/app/reviews/{firstId}?handler=Submit", page, Fields(token, 2, 2, "Well done"));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var secondId = reviews.Single(r => r.Id != firstId).Id;
        Assert.Contains($"/app/reviews/{secondId}", submitted.Headers.Location!.ToString(), StringComparison.Ordinal);
        var after = await (await browser.GetAsync($"/app/reviews?lt={token}")).Content.ReadAsStringAsync();
        Assert.Contains("Submitted (1)", after, StringComparison.Ordinal);
        var done = await browser.GetAsync($"/app/reviews/{firstId}?lt={token}");
        var doneHtml = await done.Content.ReadAsStringAsync();
        Assert.Contains("can no longer be changed", doneHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"review-form\"", doneHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_OpensOnlyForItsReviewer_AndNeverInAnotherDistrict()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var d = s.District;
        var id = await s.SubmitAsync(d.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        var other = await Infrastructure.TestDistrict.CreateAsync(host);
        using var browser = new DirectoryBrowser(host);

        var teacher = await browser.GetAsync($"/app/reviews/{review.Id}?lt={await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Teacher)}");
        Assert.Equal(HttpStatusCode.Forbidden, teacher.StatusCode);
        var elsewhere = await browser.GetAsync($"/app/reviews/{review.Id}?lt={await DirectoryBrowser.TokenAsync(host, other.TenantId, other.Admin)}");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        var principalPage = await browser.GetAsync($"/app/attempts/{id}/reviews?lt={await DirectoryBrowser.TokenAsync(host, other.TenantId, other.Admin)}");
        Assert.Equal(HttpStatusCode.NotFound, principalPage.StatusCode);
    }

    [Fact]
    public async Task Teacher_SeesAnonymousFeedback_WithNoReviewerNameOrIdAnywhere()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2, anonymous: true);
        var d = s.District;
        var rae = await s.AddPersonAsync("Rae Unmistakable", d.North);
        var id = await s.SubmitAsync(d.Teacher);
        var reviews = await s.ReviewsAsync(id);
        await s.SubmitReviewAsync(reviews[0], 2, 2, "Strong unit plan.");
        await s.SubmitReviewAsync(reviews[1], 1, 1, "Add student work.");
        await host.WithDbAsync(async db => await db.Attempts.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AttemptStatus.NotYet)));
        var names = await host.WithDbAsync(db => db.People.Where(p => reviews.Select(r => r.ReviewerId).Contains(p.Id)).Select(p => p.Name).ToListAsync());
        Assert.Contains(rae.Name, names);
        using var browser = new DirectoryBrowser(host);
        var token = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Teacher);

        var page = await browser.GetAsync($"/app/attempts/{id}?lt={token}");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        var status = await browser.GetAsync($"/app/attempts/{id}?handler=PullStatus&lt={token}");
        var json = await status.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Reviewer 1", html, StringComparison.Ordinal);
        Assert.Contains("Reviewer 2", html, StringComparison.Ordinal);
        Assert.Contains("Add student work.", html, StringComparison.Ordinal);
        foreach (var text in new[] { html, json })
        {
            Assert.All(names, n => Assert.DoesNotContain(n, text, StringComparison.Ordinal));
            Assert.All(reviews, r =>
            {
                Assert.DoesNotContain(r.ReviewerId.ToString(), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(r.Id.ToString(), text, StringComparison.OrdinalIgnoreCase);
            });
        }

        // The principal of the school sees who reviewed, side by side.
        var principal = await browser.GetAsync($"/app/attempts/{id}/reviews?lt={await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Principal)}");
        var principalHtml = WebUtility.HtmlDecode(await principal.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, principal.StatusCode);
        Assert.All(names, n => Assert.Contains(n, principalHtml, StringComparison.Ordinal));
        Assert.Contains("(differs)", principalHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Principal_SeesReviewAge_AndReallocatesFromThePage()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var d = s.District;
        await s.AddPersonAsync("Spare colleague", d.North);
        var id = await s.SubmitAsync(d.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        using var browser = new DirectoryBrowser(host);
        var token = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Principal);

        var page = await browser.OpenAsync($"/app/attempts/{id}/reviews?lt={token}");
        Assert.Contains("0 school day(s)", page.Html, StringComparison.Ordinal);
        Assert.Contains("On time", page.Html, StringComparison.Ordinal);
        var posted = await browser.PostFormAsync($"/app/attempts/{id}/reviews?handler=Reallocate", page,
            [new("lt", token), new("reviewId", review.Id.ToString()), new("toReviewerId", ""), new("reason", "On leave")]);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var reviews = await s.ReviewsAsync(id);
        Assert.Equal(ReviewStatus.Reallocated, reviews.Single(r => r.Id == review.Id).Status);
        Assert.Single(reviews, r => r.Status == ReviewStatus.Allocated && r.ReviewerId != review.ReviewerId);
    }

    [Fact]
    public async Task DistrictAdmin_SetsAPolicyOnTheSettingsPage()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 0);
        var d = s.District;
        using var browser = new DirectoryBrowser(host);
        var token = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var principal = await browser.GetAsync($"/app/district/reviews?lt={await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Principal)}");
        Assert.Equal(HttpStatusCode.Forbidden, principal.StatusCode);

        var page = await browser.OpenAsync($"/app/district/reviews?lt={token}");
        Assert.Contains("Peer reviewed practice", page.Html, StringComparison.Ordinal);
        var bad = await browser.PostFormAsync("/app/district/reviews?handler=Policy", page,
            [new("lt", token), new("credentialId", s.Credential.Id.ToString()), new("required", "12"), new("due", "5"), new("reminder", "1"), new("reallocate", "2")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var posted = await browser.PostFormAsync("/app/district/reviews?handler=Policy", page,
            [new("lt", token), new("credentialId", s.Credential.Id.ToString()), new("required", "2"), new("anonymous", "true"), new("due", "4"), new("reminder", "1"),
             new("reallocate", "3"), new("eligibility", "SameSchool"), new("eligibility", "TrainedReviewers")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var programme = await browser.PostFormAsync("/app/district/reviews?handler=Programme", page, [new("lt", token), new("requireCalibrated", "true"), new("kappa", "0.7")]);
        Assert.Equal(HttpStatusCode.Redirect, programme.StatusCode);

        var policy = await host.WithDbAsync(db => db.ReviewPolicies.SingleAsync(p => p.CredentialId == s.Credential.Id));
        Assert.Equal((2, true, 4, 3, ReviewerEligibility.SameSchool | ReviewerEligibility.TrainedReviewers),
            (policy.RequiredReviews, policy.Anonymous, policy.DueSchoolDays, policy.ReallocateAfterSchoolDays, policy.Eligibility));
        Assert.True(await host.WithDbAsync(db => db.ProgrammeSettings.Where(p => p.TenantId == d.TenantId).Select(p => p.RequireCalibratedReviewers).SingleAsync()));
    }

    private static KeyValuePair<string, string>[] Fields(string token, int? analysis, int? action, string overall)
    {
        var fields = new List<KeyValuePair<string, string>> { new("lt", token), new("Feedback[analysis]", "Clear analysis"), new("Feedback[action]", "Next steps"), new("Overall", overall) };
        if (analysis is { } a) fields.Add(new("Levels[analysis]", a.ToString()));
        if (action is { } b) fields.Add(new("Levels[action]", b.ToString()));
        return fields.ToArray();
    }
}

public sealed class ReviewPagesTests_Sqlite(SqliteReviewHost host) : ReviewPagesTests<SqliteReviewHost>(host), IClassFixture<SqliteReviewHost>;

public sealed class ReviewPagesTests_PostgreSql(PostgresReviewHost host) : ReviewPagesTests<PostgresReviewHost>(host), IClassFixture<PostgresReviewHost>;
