using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The teacher's ledger, the principal's ledger and the correction form inside the LMS iframe: keyboard reachable, WCAG 2.1 AA.</summary>
public sealed class LedgerAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TeacherAndPrincipal_ReachTheirLedgersByKeyboard_AndLedgersAndCorrectionPassAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var teacher = await context.NewPageAsync();
        var teacherFrame = await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(teacherFrame, "Ada Okafor", "Teacher");
        var principal = await context.NewPageAsync();
        var principalFrame = await SandboxCourse.OpenAsync(principal, fixture.Host, "principal-carla");
        await Expect(principalFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Carla Nguyen");
        var title = await AwardedAsync("Ada Okafor", "Carla Nguyen");

        await FollowByKeyboardAsync(teacher, teacherFrame.GetByRole(AriaRole.Link, new() { Name = "My hours and points" }));
        await Expect(teacherFrame.Locator("main h1")).ToHaveTextAsync("My in-service hours and PD points");
        await Expect(teacherFrame.GetByRole(AriaRole.Cell, new() { Name = title + " (version 1)" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "teacher's ledger in the LMS iframe", output);

        await FollowByKeyboardAsync(principal, principalFrame.GetByRole(AriaRole.Link, new() { Name = "In-service hours ledger" }));
        await Expect(principalFrame.Locator("main h1")).ToHaveTextAsync("In-service hours and PD points ledger");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(principal), "principal's ledger in the LMS iframe", output);

        await FollowByKeyboardAsync(principal, principalFrame.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Correct the entry of Ada Okafor") }).First);
        await Expect(principalFrame.Locator("main h1")).ToHaveTextAsync("Correct a ledger entry");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(principal), "ledger correction form in the LMS iframe", output);

        // Keyboard only: the reason, the right amount, record, read the confirmation.
        await principalFrame.GetByLabel("Reason (required; the teacher sees it)").FillAsync("One artefact was from another course.");
        await principalFrame.GetByLabel("Corrected amount", new() { Exact = false }).FillAsync("5");
        var record = principalFrame.GetByRole(AriaRole.Button, new() { Name = "Record the correction" });
        await record.FocusAsync();
        await principal.Keyboard.PressAsync("Enter");
        await Expect(principalFrame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The correction is recorded in the ledger.");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(principal), "ledger after a correction in the LMS iframe", output);
    }

    /// <summary>An attempt of the teacher's awarded by the principal through the real decision use case (6 PD points).</summary>
    private async Task<string> AwardedAsync(string teacherName, string principalName)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var teacher = await db.People.SingleAsync(p => p.Name == teacherName);
        var leader = await db.People.SingleAsync(p => p.Name == principalName);
        var school = await db.SchoolMemberships.Where(m => m.PersonId == leader.Id).Select(m => m.SchoolId).FirstAsync();
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
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = teacher.TenantId, TeacherId = teacher.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = school, Status = AttemptStatus.Submitted, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-3), SubmittedAt = now.AddDays(-3),
            ReadyForDecisionAt = now.AddDays(-3), Revision = Guid.NewGuid(),
        };
        db.AddRange(credential, version, offering, attempt);
        await db.SaveChangesAsync();

        var actor = await scope.ServiceProvider.GetRequiredService<ActorDirectory>().LoadAsync(leader.Id, leader.TenantId, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(actor, attempt.Id,
            new DecisionInput(DecisionOutcome.Awarded, new Dictionary<string, int?> { ["analysis"] = 2 }, new Dictionary<string, string?>(), null), CancellationToken.None);
        return credential.Title;
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
