using System.Text.RegularExpressions;
using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district reports inside the LMS iframe: reached and filtered by keyboard only, charts and tables pass axe (WCAG 2.1 AA).</summary>
public sealed class ReportsAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_OpensEachReportByKeyboard_FiltersIt_AndThePagesPassAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        await FollowAsync(admin, frame, "Progress report", "Progress report");
        await Expect(frame.GetByRole(AriaRole.Img, new() { Name = "Attempts by status" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "progress report in the LMS iframe", output);
        var credential = frame.Locator("select#credential");
        await credential.FocusAsync();
        await admin.Keyboard.PressAsync("ArrowDown");
        await Expect(credential).Not.ToHaveValueAsync(string.Empty);
        // The date fields have a tab stop per part in Chromium; go straight to the button.
        var show = frame.GetByRole(AriaRole.Button, new() { Name = "Show the report" });
        await show.FocusAsync();
        await Expect(show).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        // The page came back filtered: the CSV link carries the chosen microcredential.
        await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "Download this report as CSV" })).ToHaveAttributeAsync("href", new Regex("credential="));
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "filtered progress report", output);
        await FollowAsync(admin, frame, "Back to home", "Welcome, Dev Patel");

        await FollowAsync(admin, frame, "Expertise map", "Expertise map");
        await Expect(frame.GetByRole(AriaRole.Img, new() { Name = "Teachers holding each skill" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "expertise map in the LMS iframe", output);
        await FollowAsync(admin, frame, "Back to home", "Welcome, Dev Patel");

        await FollowAsync(admin, frame, "Incentives against budget", "Incentives against budget");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "incentives report in the LMS iframe", output);
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
