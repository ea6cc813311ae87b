using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>
/// The Canvas gradebook column option of the in-service hours page, in the PD course's iframe: explained while Canvas
/// is not connected, then turned on by keyboard only; WCAG 2.1 AA at each step.
/// </summary>
public sealed class HoursColumnAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_IsToldToConnectCanvas_ThenTurnsTheColumnOnByKeyboard_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var response = await admin.GotoAsync(fixture.Host.CourseUrl("admin-dev", "course-pd-1"));
        Assert.Equal(200, response!.Status);
        var frame = admin.FrameLocator(SandboxCourse.ToolFrameSelector);
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        await frame.GetByRole(AriaRole.Link, new() { Name = "In-service hours in the PD course" }).ClickAsync();
        await frame.GetByRole(AriaRole.Button, new() { Name = "Use this course for in-service hours" }).ClickAsync();
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("This course now receives the in-service hours.");
        await Expect(frame.Locator("main")).ToContainTextAsync("Not offered now: Connect the tool to Canvas first");
        await Expect(frame.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "hours page before Canvas is connected", output);

        // Connect to Canvas as the Canvas page offers it (consent in its own window).
        await frame.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await frame.GetByRole(AriaRole.Link, new() { Name = "Your Canvas connection", Exact = true }).ClickAsync();
        var popup = await admin.RunAndWaitForPopupAsync(() =>
            frame.GetByRole(AriaRole.Link, new() { Name = "Connect to Canvas (opens in a new window)", Exact = true }).ClickAsync());
        await popup.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true }).ClickAsync();
        await Expect(popup.Locator("main h1")).ToHaveTextAsync("Canvas is connected");
        await popup.CloseAsync();

        await admin.GotoAsync(fixture.Host.CourseUrl("admin-dev", "course-pd-1"));
        await frame.GetByRole(AriaRole.Link, new() { Name = "In-service hours in the PD course" }).ClickAsync();
        var option = frame.GetByRole(AriaRole.Checkbox, new() { Name = "Also show the total in a Canvas custom gradebook column" });
        await option.FocusAsync();
        await Expect(option).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Space");
        await Expect(option).ToBeCheckedAsync();
        await admin.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Save the column option" })).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The total now also goes to the “In-service hours” Canvas column.");
        await Expect(frame.Locator("main")).ToContainTextAsync("The Canvas column is now on.");
        await Expect(option).ToBeCheckedAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "hours page with the Canvas column on", output);
    }
}
