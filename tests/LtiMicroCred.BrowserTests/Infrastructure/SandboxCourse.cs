using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests.Infrastructure;

/// <summary>The sandbox LMS's course page and the tool's iframe in it, as a person sees them.</summary>
public static class SandboxCourse
{
    public const string CourseTitle = "Educator Microcredentials 2026-27";
    public const string ToolFrameSelector = "iframe[name=tool-frame]";
    public const string ToolFrameName = "tool-frame";

    /// <summary>Opens the course page for a sandbox person; the tool's launch starts inside the iframe.</summary>
    public static async Task<IFrameLocator> OpenAsync(IPage page, CrossSiteToolHost host, string personId)
    {
        var response = await page.GotoAsync(host.CourseUrl(personId));
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return page.FrameLocator(ToolFrameSelector);
    }

    /// <summary>
    /// Waits until the launch has landed on the tool's greeting page inside the frame and checks who it greets:
    /// the heading and the "signed in as ROLE in COURSE" sentence.
    /// </summary>
    public static async Task ExpectGreetingAsync(IFrameLocator frame, string name, string role)
    {
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, " + name);
        var lead = frame.Locator("main p.lead");
        await Expect(lead).ToHaveTextAsync($"You are signed in as {role} in {CourseTitle}.");
        await Expect(lead.Locator("strong").First).ToHaveTextAsync(role);
    }

    /// <summary>The tool's frame as a Playwright frame (for scripts), once it shows the greeting page.</summary>
    public static IFrame ToolFrame(IPage page) =>
        page.Frame(ToolFrameName) ?? throw new InvalidOperationException("The course page has no tool frame.");
}
