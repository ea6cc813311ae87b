using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>
/// "Connect to Canvas" as a teacher does it: from the tool's page in the LMS frame, Canvas's consent page in a new
/// window (it cannot be framed), and back to the frame, which then shows the connection; every page passes axe-core.
/// </summary>
public sealed class CanvasConnectBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ConnectToCanvas_FromTheFrame_ConsentsInANewWindow_ThenTheFrameShowsTheConnection()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");

        await frame.GetByRole(AriaRole.Link, new() { Name = "Your Canvas connection", Exact = true }).ClickAsync();
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Your Canvas connection");
        await Expect(frame.Locator("main")).ToContainTextAsync("Not connected.");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "Canvas page in the LMS iframe", output);

        var popup = await page.RunAndWaitForPopupAsync(() =>
            frame.GetByRole(AriaRole.Link, new() { Name = "Connect to Canvas (opens in a new window)", Exact = true }).ClickAsync());
        await popup.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true }).ClickAsync();
        await Expect(popup.Locator("main h1")).ToHaveTextAsync("Canvas is connected");
        Assert.StartsWith(fixture.Host.ToolOrigin + "/app/canvas/callback?", popup.Url, StringComparison.Ordinal);
        await Axe.ExpectNoViolationsAsync(popup.MainFrame, "connected page in its own window", output);

        await frame.GetByRole(AriaRole.Link, new() { Name = "check the connection again", Exact = true }).ClickAsync();
        await Expect(frame.Locator("main")).ToContainTextAsync("Connected to Canvas as Ada Okafor.");
    }
}
