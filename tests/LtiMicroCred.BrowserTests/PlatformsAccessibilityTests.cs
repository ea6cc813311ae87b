using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district's LMS platforms page inside the LMS iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class PlatformsAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesThePlatformsByKeyboard_IsToldWhatIsMissing_SavesTheCanvasKey_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "LMS platforms, deployments and Canvas API settings" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("LMS platforms");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "platforms page in the LMS iframe", output);

        // A registration with only a plain-http issuer: each missing or refused field is named.
        await frame.GetByLabel("Issuer").FocusAsync();
        await admin.Keyboard.TypeAsync("http://lms.district.example");
        var register = frame.GetByRole(AriaRole.Button, new() { Name = "Register the platform" });
        await register.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByText("Enter the client id the LMS gave the tool").First).ToBeVisibleAsync();
        await Expect(frame.GetByText("must start with https://").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "platforms page with refusals", output);

        await frame.GetByLabel("Canvas address").FocusAsync();
        await admin.Keyboard.PressAsync("Control+A");
        await admin.Keyboard.TypeAsync("https://district.instructure.com");
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#canvasClientId")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Control+A");
        await admin.Keyboard.TypeAsync("170000000000123");
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#canvasClientSecret")).ToBeFocusedAsync();
        await admin.Keyboard.TypeAsync("canvas-dev-key-secret-browser");
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Save the Canvas API settings" })).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The Canvas API settings are saved.");
        await Expect(frame.GetByLabel("Canvas address")).ToHaveValueAsync("https://district.instructure.com");
        await Expect(frame.Locator("#canvasClientSecret")).ToHaveValueAsync(string.Empty);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "platforms page after saving", output);
    }
}
