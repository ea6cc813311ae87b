using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district settings pages (offerings, budgets, programme) inside the LMS iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class ProgrammeSettingsAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesOfferingsBudgetsAndProgrammeByKeyboard_AddsABudget_AndEachPagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        await FollowAsync(admin, frame, "Offerings: where each microcredential is offered, windows and incentives", "Offerings");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "offerings page in the LMS iframe", output);

        await FollowAsync(admin, frame, "Budgets", "Budgets, ");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "budgets page in the LMS iframe", output);

        // A budget for a far year, so no other test's approvals meet it.
        await frame.Locator("#year").FocusAsync();
        await admin.Keyboard.PressAsync("Control+A");
        await admin.Keyboard.TypeAsync("2099");
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#school")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#kind")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#amount")).ToBeFocusedAsync();
        await admin.Keyboard.TypeAsync("-5");
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "The amount must not be negative." })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "budgets page with a refusal", output);
        await frame.Locator("#amount").FocusAsync();
        await admin.Keyboard.PressAsync("Control+A");
        await admin.Keyboard.TypeAsync("50");
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The budget is added.");

        await FollowAsync(admin, frame, "Programme settings", "Programme settings");
        await Expect(frame.GetByLabel("A teacher's plan must be approved before work starts")).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "programme page in the LMS iframe", output);
    }

    private static async Task FollowAsync(IPage page, IFrameLocator frame, string link, string heading)
    {
        var target = frame.GetByRole(AriaRole.Link, new() { Name = link, Exact = true });
        await target.FocusAsync();
        await Expect(target).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToContainTextAsync(heading);
    }
}
