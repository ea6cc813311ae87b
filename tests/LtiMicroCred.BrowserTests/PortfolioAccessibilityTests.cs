using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The evidence portfolio page inside the LMS iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class PortfolioAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Teacher_ReachesThePortfolioByKeyboard_AsksForAZip_SeesTheDownloadLink_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var teacher = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Ada Okafor");

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "My evidence portfolio: download a ZIP" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Evidence portfolio");
        await Expect(frame.GetByText("You have no exports yet.")).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "portfolio page in the LMS iframe", output);

        var all = frame.GetByLabel("All my microcredentials");
        await all.FocusAsync();
        await Expect(all).ToBeCheckedAsync();
        await teacher.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Prepare the ZIP" })).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByText("Your export is being prepared.").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "portfolio page with an export being prepared", output);

        // The background job finishes; the page's script reloads it and the download link appears.
        var download = frame.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Download the ZIP") });
        await Expect(download).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "portfolio page with a ready export", output);
    }
}
