using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The greeting page against WCAG 2.1 AA (axe-core) and for keyboard users.</summary>
public sealed class GreetingAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task GreetingPage_IsKeyboardReachableAndPassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        var tool = SandboxCourse.ToolFrame(page);

        // As the teacher sees it: inside the LMS's iframe.
        await ExpectNoAxeViolationsAsync(tool, "greeting page in the LMS iframe");

        // Opened on its own (as through "open in a new tab"), the first Tab lands on the skip link, which moves
        // focus to the main content.
        var standalone = await context.NewPageAsync();
        await standalone.GotoAsync(tool.Url);
        await Expect(standalone.Locator("main h1")).ToHaveTextAsync("Welcome, Ada Okafor");
        await standalone.Keyboard.PressAsync("Tab");
        var skipLink = standalone.GetByRole(AriaRole.Link, new() { Name = "Skip to main content", Exact = true });
        await Expect(skipLink).ToBeFocusedAsync();
        await Expect(skipLink).ToBeInViewportAsync();
        await standalone.Keyboard.PressAsync("Enter");
        await Expect(standalone.Locator("main#main")).ToBeFocusedAsync();

        await ExpectNoAxeViolationsAsync(standalone.MainFrame, "greeting page opened on its own");
    }

    private Task ExpectNoAxeViolationsAsync(IFrame frame, string what) => AxeCheck.ExpectNoViolationsAsync(frame, what, output);
}
