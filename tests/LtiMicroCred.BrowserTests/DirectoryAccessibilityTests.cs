using System.Text.RegularExpressions;
using LtiMicroCred.Access;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The people, schools and import pages inside the LMS's iframe: reached with the keyboard alone, and clean under axe-core.</summary>
public sealed class DirectoryAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task DirectoryPages_InTheLmsFrame_OpenFromTheKeyboardAndPassAxe()
    {
        // The sandbox district comes with Lincoln Elementary and its Canvas sub-account alias (SandboxBootstrap).
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "admin-dev");
        await SandboxCourse.ExpectGreetingAsync(frame, "Dev Patel", "District administrator, Coach");

        await FollowWithKeyboardAsync(page, frame, "People, schools and roles", "People and roles");
        await Expect(frame.Locator("table caption")).ToContainTextAsync("page 1 of 1");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "people page in the LMS iframe", output);

        await FollowWithKeyboardAsync(page, frame, "Schools", "Schools");
        await Expect(frame.GetByRole(AriaRole.Table, new() { Name = "Aliases of Lincoln Elementary" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "schools page in the LMS iframe", output);

        await FollowWithKeyboardAsync(page, frame, "Import from a CSV file", "Import people and roles from a CSV file");
        await Expect(frame.GetByLabel(new Regex("^CSV file"))).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "import page in the LMS iframe", output);
    }

    /// <summary>Focuses the link as Tab would and follows it with Enter, then waits for the next page's heading.</summary>
    private static async Task FollowWithKeyboardAsync(IPage page, IFrameLocator frame, string link, string heading)
    {
        var target = frame.GetByRole(AriaRole.Link, new() { Name = link, Exact = true });
        await target.FocusAsync();
        await Expect(target).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync(heading);
    }
}
