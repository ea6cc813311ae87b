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

/// <summary>The teacher's badges inside the LMS iframe and a badge's public page outside it: keyboard only, WCAG 2.1 AA.</summary>
public sealed class BadgeAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Teacher_ReachesMyBadgesByKeyboard_HidesTheirName_AndTheBadgesPublicPagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var teacher = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        // The principal who awards must have launched once (the directory learns of people from launches).
        var principal = await context.NewPageAsync();
        await Expect((await SandboxCourse.OpenAsync(principal, fixture.Host, "principal-carla")).Locator("main h1")).ToHaveTextAsync("Welcome, Carla Nguyen");
        var (title, badgeId) = await AwardedAsync();

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "My badges" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("My badges");
        await Expect(frame.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "my badges in the LMS iframe", output);

        // Keyboard only: the "hide my name" choice, then its save button.
        var hide = frame.GetByLabel("Nothing: hide my name");
        await hide.FocusAsync();
        await teacher.Keyboard.PressAsync("Space");
        await Expect(hide).ToBeCheckedAsync();
        await teacher.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = $"Save how my name shows on “{title}”" })).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Your choice is saved.");
        await Expect(frame.GetByLabel("Nothing: hide my name")).ToBeCheckedAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "my badges after saving in the LMS iframe", output);

        // The public page, opened by anyone, not framed.
        var visitor = await context.NewPageAsync();
        await visitor.GotoAsync($"{fixture.Host.ToolOrigin}/badges/{badgeId}");
        await Expect(visitor.Locator("main h1")).ToHaveTextAsync(title);
        await Expect(visitor.GetByText("Status: valid")).ToBeVisibleAsync();
        await Expect(visitor.GetByText("The earner chose not to show their name.")).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(visitor.MainFrame, "a badge's public page", output);
        var verify = visitor.GetByRole(AriaRole.Link, new() { Name = "Verify a credential" });
        await verify.FocusAsync();
        await visitor.Keyboard.PressAsync("Enter");
        await Expect(visitor.Locator("main h1")).ToHaveTextAsync("Verify a credential");
        await visitor.GetByLabel("Credential text (VC-JWT)").FillAsync("not.a.credential");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Verify" }).FocusAsync();
        await visitor.Keyboard.PressAsync("Enter");
        await Expect(visitor.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not verified");
        await Axe.ExpectNoViolationsAsync(visitor.MainFrame, "the verify form with a refusal", output);
    }

    /// <summary>An attempt of Ada's awarded by Carla through the real decision use case, which issues the badge.</summary>
    private async Task<(string Title, Guid BadgeId)> AwardedAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var teacher = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
        var leader = await db.People.SingleAsync(p => p.Name == "Carla Nguyen");
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
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = teacher.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.InServiceHours, 4) };
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = teacher.TenantId, TeacherId = teacher.Id, CredentialId = credential.Id, CredentialVersionId = version.Id, OfferingId = offering.Id,
            SchoolId = school, Status = AttemptStatus.Submitted, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-3), SubmittedAt = now.AddDays(-3),
            ReadyForDecisionAt = now.AddDays(-3), Revision = Guid.NewGuid(),
        };
        db.AddRange(credential, version, offering, attempt);
        await db.SaveChangesAsync();

        var actor = await scope.ServiceProvider.GetRequiredService<ActorDirectory>().LoadAsync(leader.Id, leader.TenantId, CancellationToken.None);
        var decisionId = await scope.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(actor, attempt.Id,
            new DecisionInput(DecisionOutcome.Awarded, new Dictionary<string, int?> { ["analysis"] = 2 }, new Dictionary<string, string?>(), null), CancellationToken.None);
        var badgeId = await db.IssuedBadges.Where(b => b.DecisionId == decisionId).Select(b => b.Id).SingleAsync();
        return (credential.Title, badgeId);
    }
}
