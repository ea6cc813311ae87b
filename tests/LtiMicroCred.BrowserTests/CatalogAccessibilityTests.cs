using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The catalog pages inside the LMS iframe, reached with the keyboard, against WCAG 2.1 AA (axe-core).</summary>
public sealed class CatalogAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Teacher_ReachesTheCatalogAndACredentialByKeyboard_AndBothPassAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");

        await FollowByKeyboardAsync(page, frame.GetByRole(AriaRole.Link, new() { Name = "Browse the microcredential catalog" }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Microcredential catalog");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "catalog page in the LMS iframe", output);

        await FollowByKeyboardAsync(page, frame.GetByRole(AriaRole.Link, new() { Name = "Leading a Performance Assessment Community" }).First);
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Leading a Performance Assessment Community");
        await Expect(frame.GetByRole(AriaRole.Table, new() { Name = "Scoring rubric" })).ToBeVisibleAsync();
        var start = frame.GetByRole(AriaRole.Button, new() { Name = "Start this microcredential" });
        await start.FocusAsync();
        await Expect(start).ToBeFocusedAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "credential page in the LMS iframe", output);
    }

    [Fact]
    public async Task DistrictAdmin_ReachesTheDistrictCatalogByKeyboard_AndItPassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        await FollowByKeyboardAsync(page, frame.GetByRole(AriaRole.Link, new() { Name = "District catalog: import and export" }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("District catalog");
        await Expect(frame.GetByLabel("Catalog file (JSON, at most 2 MB)")).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "district catalog page in the LMS iframe", output);
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
