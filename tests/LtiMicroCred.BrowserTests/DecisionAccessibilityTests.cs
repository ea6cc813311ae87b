using LtiMicroCred.Attempts;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The principal's queue and the decision page inside the LMS iframe: keyboard reachable, WCAG 2.1 AA.</summary>
public sealed class DecisionAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesTheDecisionPageByKeyboard_AndQueueAndDecisionPassAxe()
    {
        await using var context = await fixture.NewContextAsync();
        // Ada and Carla become known to the tool (and Lincoln Elementary's people) by launching.
        await SandboxCourse.ExpectGreetingAsync(await SandboxCourse.OpenAsync(await context.NewPageAsync(), fixture.Host, "teacher-ada"), "Ada Okafor", "Teacher");
        await Expect((await SandboxCourse.OpenAsync(await context.NewPageAsync(), fixture.Host, "principal-carla")).Locator("main h1")).ToHaveTextAsync("Welcome, Carla Nguyen");
        var title = await ReadyAttemptAsync("Ada Okafor");
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        await FollowByKeyboardAsync(admin, frame.GetByRole(AriaRole.Link, new() { Name = "Approvals" }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Approvals");
        await Expect(frame.GetByText("Reviews conflict").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "principal's queue in the LMS iframe", output);

        await FollowByKeyboardAsync(admin, frame.GetByRole(AriaRole.Link, new() { Name = "Ada Okafor: " + title }));
        await Expect(frame.GetByRole(AriaRole.Group, new() { Name = "Outcome (final)" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "decision page in the LMS iframe", output);

        // Keyboard only: choose the level and the outcome, record, read the confirmation.
        await frame.GetByRole(AriaRole.Group, new() { Name = "Analysis" }).GetByLabel("Proficient: Complete").CheckAsync();
        await frame.GetByLabel("Award the microcredential").CheckAsync();
        var record = frame.GetByRole(AriaRole.Button, new() { Name = "Record the decision" });
        await record.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The decision is recorded.");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "decided attempt in the LMS iframe", output);
    }

    /// <summary>A submitted attempt of Ada's whose reviews conflict, ready for a decision, as submission and the review issue leave it.</summary>
    private async Task<string> ReadyAttemptAsync(string teacherName)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var teacher = await db.People.SingleAsync(p => p.Name == teacherName);
        var school = await (from m in db.SchoolMemberships join p in db.People on m.PersonId equals p.Id where p.Name == "Carla Nguyen" select m.SchoolId).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        var credential = new Credential { Id = Guid.NewGuid(), TenantId = teacher.TenantId, Key = "axe-" + Guid.NewGuid().ToString("N")[..8], Title = "Using classroom data", CreatedAt = now };
        var version = new CredentialVersion
        {
            Id = Guid.NewGuid(), CredentialId = credential.Id, Number = 1, PublishedAt = now,
            Definition = new CredentialDefinition
            {
                Competency = "Uses classroom data.", KeyMethod = "Common formative assessment.",
                Criteria = [new SubmissionCriterion { Key = "sample", Title = "Work sample", Kind = EvidenceKind.WorkSample }],
                Rubric = new Rubric
                {
                    Levels = [new RubricLevel("Not yet", 0), new RubricLevel("Developing", 1), new RubricLevel("Proficient", 2)],
                    Criteria = [new RubricCriterion("analysis", "Analysis", ["Missing", "Partial", "Complete"])],
                    Passing = new PassingRule(2),
                },
            },
        };
        credential.CurrentVersionId = version.Id;
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = teacher.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 6) };
        db.AddRange(credential, version, offering, new Attempt
        {
            Id = Guid.NewGuid(), TenantId = teacher.TenantId, TeacherId = teacher.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = school, Status = AttemptStatus.Submitted, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-3), SubmittedAt = now.AddDays(-3),
            ReadyForDecisionAt = now.AddDays(-3), ReviewsConflict = true, Revision = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
        return credential.Title;
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
