using System.Text.RegularExpressions;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>
/// Peer review inside the LMS iframe, keyboard only: the reviewer's queue and review page (scoring on the radio groups,
/// feedback, the autosave's live region, submission), the principal's reviews of the attempt and the district's
/// review settings; axe-core finds no WCAG 2.1 AA violation on any of them.
/// </summary>
public sealed partial class ReviewAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string CredentialKey = "tl-foundations";
    private const string CredentialTitle = "Foundations of Teacher Leadership";

    [Fact]
    public async Task Reviewer_ScoresAndSubmitsByKeyboard_AndQueueReviewPrincipalAndDistrictPagesPassAxe()
    {
        await using var context = await fixture.NewContextAsync();
        // Ada, Ben and Carla become known to the tool (and Lincoln Elementary's people) by launching.
        await SandboxCourse.ExpectGreetingAsync(await SandboxCourse.OpenAsync(await context.NewPageAsync(), fixture.Host, "teacher-ada"), "Ada Okafor", "Teacher");
        await Expect((await SandboxCourse.OpenAsync(await context.NewPageAsync(), fixture.Host, "teacher-ben")).Locator("main h1")).ToHaveTextAsync("Welcome, Ben Castillo");
        await Expect((await SandboxCourse.OpenAsync(await context.NewPageAsync(), fixture.Host, "principal-carla")).Locator("main h1")).ToHaveTextAsync("Welcome, Carla Nguyen");
        var (attemptId, reviewId) = await SubmittedAttemptReviewedByBenAsync();

        // Ben: home, then his queue.
        var ben = await context.NewPageAsync();
        var benFrame = await SandboxCourse.OpenAsync(ben, fixture.Host, "teacher-ben");
        await Expect(benFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Ben Castillo");
        await FollowByKeyboardAsync(ben, benFrame.GetByRole(AriaRole.Link, new() { Name = "My peer reviews" }));
        await Expect(benFrame.Locator("main h1")).ToHaveTextAsync("My peer reviews");
        await Expect(benFrame.GetByRole(AriaRole.Heading, new() { Name = "To review (1)" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(ben), "reviewer's queue in the LMS iframe", output);

        // The review page: evidence next to the rubric.
        await FollowByKeyboardAsync(ben, benFrame.GetByRole(AriaRole.Link, new() { Name = CredentialTitle + ": Ada Okafor" }));
        await Expect(benFrame.Locator("main h1")).ToHaveTextAsync("Review: " + CredentialTitle);
        var status = benFrame.Locator("#autosave-status");
        await Expect(status).ToHaveTextAsync(string.Empty);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(ben), "review page in the LMS iframe", output);

        // Keyboard only from the first radio on: arrows choose a level in each group, Tab goes on to the group's
        // feedback, then to the next group, then to the overall feedback.
        var levels = new (string Criterion, int Presses, string Chosen)[]
        {
            ("Evidence of a shared need", 2, "Proficient"),
            ("Leading colleagues", 3, "Exemplary"),
            ("Reflection on leadership", 2, "Proficient"),
        };
        var first = benFrame.GetByRole(AriaRole.Group, new() { Name = levels[0].Criterion }).GetByRole(AriaRole.Radio).First;
        await first.FocusAsync();
        await Expect(first).ToBeFocusedAsync();
        foreach (var (criterion, presses, chosen) in levels)
        {
            var group = benFrame.GetByRole(AriaRole.Group, new() { Name = criterion });
            await Expect(group.GetByRole(AriaRole.Radio).First).ToBeFocusedAsync();
            for (var i = 0; i < presses; i++)
            {
                await ben.Keyboard.PressAsync("ArrowDown");
            }

            await Expect(group.GetByRole(AriaRole.Radio, new() { Name = chosen + ":" })).ToBeCheckedAsync();
            await Expect(group.GetByRole(AriaRole.Radio, new() { Checked = true })).ToHaveCountAsync(1);
            await ben.Keyboard.PressAsync("Tab");
            var feedback = group.GetByLabel("Feedback on “" + criterion + "”");
            await Expect(feedback).ToBeFocusedAsync();
            await ben.Keyboard.TypeAsync("Keyboard feedback on " + criterion + ".");
            await ben.Keyboard.PressAsync("Tab");
        }

        var overall = benFrame.GetByLabel("Overall feedback");
        await Expect(overall).ToBeFocusedAsync();
        await ben.Keyboard.TypeAsync("A clear, well evidenced first leadership inquiry.");

        // The autosave's live region says the draft reached the server, and it did.
        await Expect(status).ToHaveTextAsync(SavedAt());
        var draft = await ReviewAsync(reviewId);
        Assert.Equal(ReviewStatus.Draft, draft.Status);
        Assert.NotNull(draft.SavedAt);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(ben), "review page with a saved draft in the LMS iframe", output);

        await ben.Keyboard.PressAsync("Tab");
        await Expect(benFrame.GetByRole(AriaRole.Button, new() { Name = "Save draft" })).ToBeFocusedAsync();
        await ben.Keyboard.PressAsync("Tab");
        await Expect(benFrame.GetByRole(AriaRole.Button, new() { Name = "Submit review" })).ToBeFocusedAsync();
        await ben.Keyboard.PressAsync("Enter");
        await Expect(benFrame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Review submitted. You have no more open reviews.");
        await Expect(benFrame.GetByRole(AriaRole.Heading, new() { Name = "Submitted (1)" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(ben), "reviewer's queue after submitting, in the LMS iframe", output);

        var submitted = await ReviewAsync(reviewId);
        Assert.Equal(ReviewStatus.Submitted, submitted.Status);
        Assert.Equal(ReviewOutcome.Pass, submitted.Outcome);
        Assert.Equal([("need", 2), ("leading", 3), ("reflection", 2)], submitted.Scores.Select(s => (s.CriterionKey, s.Level ?? -1)));
        Assert.Equal("Keyboard feedback on Leading colleagues.", submitted.Scores.Single(s => s.CriterionKey == "leading").Feedback);
        Assert.Equal("A clear, well evidenced first leadership inquiry.", submitted.OverallFeedback);

        // Carla: the ready attempt from her queue, its attempt page, then its peer reviews.
        var carla = await context.NewPageAsync();
        var carlaFrame = await SandboxCourse.OpenAsync(carla, fixture.Host, "principal-carla");
        await Expect(carlaFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Carla Nguyen");
        await FollowByKeyboardAsync(carla, carlaFrame.GetByRole(AriaRole.Link, new() { Name = "Approvals" }));
        await FollowByKeyboardAsync(carla, carlaFrame.GetByRole(AriaRole.Link, new() { Name = "Ada Okafor: " + CredentialTitle }));
        await FollowByKeyboardAsync(carla, carlaFrame.GetByRole(AriaRole.Link, new() { Name = "The attempt page" }));
        await FollowByKeyboardAsync(carla, carlaFrame.GetByRole(AriaRole.Link, new() { Name = "Peer reviews of this attempt" }));
        await Expect(carlaFrame.Locator("main h1")).ToHaveTextAsync("Peer reviews: Ada Okafor, " + CredentialTitle);
        Assert.EndsWith($"/app/attempts/{attemptId}/reviews", new Uri(SandboxCourse.ToolFrame(carla).Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(carlaFrame.GetByRole(AriaRole.Table, new() { Name = "Each review, with its age in school days" }).GetByRole(AriaRole.Cell, new() { Name = "Submitted", Exact = true })).ToBeVisibleAsync();
        await Expect(carlaFrame.GetByRole(AriaRole.Heading, new() { Name = "Submitted reviews side by side" })).ToBeVisibleAsync();
        await Expect(carlaFrame.GetByText("Keyboard feedback on Leading colleagues.")).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(carla), "principal's peer reviews page in the LMS iframe", output);

        // Dev: the district's review settings; Foundations asks for two reviews from now on, by keyboard.
        var admin = await context.NewPageAsync();
        var adminFrame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Peer review settings" }));
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Peer review settings");
        var foundations = adminFrame.GetByRole(AriaRole.Group, new() { Name = CredentialTitle, Exact = true });
        var required = foundations.GetByLabel("Peer reviews required (0: none, the principal decides alone)");
        await Expect(required).ToHaveValueAsync("1");
        await Expect(foundations.GetByLabel("Same school as the teacher")).ToBeCheckedAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "district peer review settings in the LMS iframe", output);

        await required.FocusAsync();
        await admin.Keyboard.PressAsync("ArrowUp");
        await Expect(required).ToHaveValueAsync("2");
        var save = foundations.GetByRole(AriaRole.Button, new() { Name = "Save “" + CredentialTitle + "”" });
        await save.FocusAsync();
        await Expect(save).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(adminFrame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The review setting is saved.");
        await Expect(adminFrame.GetByRole(AriaRole.Group, new() { Name = CredentialTitle, Exact = true })
            .GetByLabel("Peer reviews required (0: none, the principal decides alone)")).ToHaveValueAsync("2");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "district peer review settings after saving, in the LMS iframe", output);
        var policy = await PolicyAsync();
        Assert.Equal(2, policy.RequiredReviews);
        Assert.Equal(ReviewerEligibility.SameSchool, policy.Eligibility);
        Assert.True(policy.Anonymous);
    }

    /// <summary>
    /// Ada's Foundations attempt, in progress with evidence for every criterion, submitted through the real use case:
    /// submission allocates the one same-school review. Carla (a teacher too, by her staff role) has a declared
    /// conflict with Ada, so the allocation can only choose Ben.
    /// </summary>
    private async Task<(Guid AttemptId, Guid ReviewId)> SubmittedAttemptReviewedByBenAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var ada = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
        var ben = await db.People.SingleAsync(p => p.Name == "Ben Castillo");
        var carla = await db.People.SingleAsync(p => p.Name == "Carla Nguyen");
        var school = await db.SchoolMemberships.Where(m => m.PersonId == ada.Id).Select(m => m.SchoolId).SingleAsync();
        var credential = await db.Credentials.SingleAsync(c => c.TenantId == ada.TenantId && c.Key == CredentialKey);
        var offering = await db.Offerings.FirstAsync(o => o.CredentialId == credential.Id && o.Active);
        Assert.Equal(1, (await db.ReviewPolicies.SingleAsync(p => p.CredentialId == credential.Id)).RequiredReviews);
        var now = DateTimeOffset.UtcNow;
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = ada.TenantId, TeacherId = ada.Id, CredentialId = credential.Id, CredentialVersionId = credential.CurrentVersionId!.Value,
            OfferingId = offering.Id, SchoolId = school, Status = AttemptStatus.InProgress, CreatedAt = now.AddDays(-30), UpdatedAt = now.AddDays(-1), Revision = Guid.NewGuid(),
        };
        db.Attempts.Add(attempt);
        db.EvidenceItems.AddRange(
            new EvidenceItem
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, AttemptId = attempt.Id, CriterionKey = "overview", Source = EvidenceSource.Direct, Form = EvidenceForm.Text,
                Title = "Overview answers", Html = "<p>Our grade 4 team shares a need: students' written explanations in mathematics.</p>", AddedBy = ada.Id, AddedAt = now.AddDays(-2),
            },
            new EvidenceItem
            {
                Id = Guid.NewGuid(), TenantId = ada.TenantId, AttemptId = attempt.Id, CriterionKey = "artifact", Source = EvidenceSource.Direct, Form = EvidenceForm.Link,
                Title = "Team protocol", Url = "https://docs.example/team-protocol", AddedBy = ada.Id, AddedAt = now.AddDays(-2),
            });
        db.Reflections.Add(new Reflection { AttemptId = attempt.Id, CriterionKey = "reflection", Html = "<p>I learnt to ask before proposing.</p>", UpdatedAt = now.AddDays(-1) });
        db.ReviewerConflicts.Add(new ReviewerConflict
        {
            Id = Guid.NewGuid(), TenantId = ada.TenantId, ReviewerId = carla.Id, TeacherId = ada.Id, Reason = "Ada's principal decides", DeclaredBy = carla.Id, DeclaredAt = now,
        });
        await db.SaveChangesAsync();

        var actor = await services.GetRequiredService<ActorDirectory>().LoadAsync(ada.Id, ada.TenantId, CancellationToken.None);
        await services.GetRequiredService<SubmitForReview>().HandleAsync(actor, attempt.Id, CancellationToken.None);
        var review = await db.ReviewAssignments.AsNoTracking().SingleAsync(r => r.AttemptId == attempt.Id);
        Assert.Equal(ben.Id, review.ReviewerId);
        Assert.Equal(ReviewStatus.Allocated, review.Status);
        return (attempt.Id, review.Id);
    }

    private async Task<ReviewAssignment> ReviewAsync(Guid reviewId)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ReviewAssignments.AsNoTracking().SingleAsync(r => r.Id == reviewId);
    }

    private async Task<ReviewPolicy> PolicyAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.ReviewPolicies.AsNoTracking().SingleAsync(p => db.Credentials.Any(c => c.Id == p.CredentialId && c.Key == CredentialKey));
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }

    [GeneratedRegex(@"^Saved at \d{2}:\d{2} UTC$")]
    private static partial Regex SavedAt();
}
