using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district's in-service hours page inside the PD course's iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class HoursAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_OpensHoursFromThePdCourseByKeyboard_UsesThisCourse_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var response = await admin.GotoAsync(fixture.Host.CourseUrl("admin-dev", "course-pd-1"));
        Assert.Equal(200, response!.Status);
        var frame = admin.FrameLocator(SandboxCourse.ToolFrameSelector);
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "In-service hours in the PD course" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("In-service hours in the PD course");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "hours page in the PD course's iframe", output);

        var use = frame.GetByRole(AriaRole.Button, new() { Name = "Use this course for in-service hours" });
        await use.FocusAsync();
        await Expect(use).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("This course now receives the in-service hours.");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Check the “In-service hours” column again" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "hours page after choosing the course", output);
    }
}
