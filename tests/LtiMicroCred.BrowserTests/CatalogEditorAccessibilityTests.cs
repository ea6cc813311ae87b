using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district catalog editor inside the LMS iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class CatalogEditorAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesTheEditorByKeyboard_AddsACriterionRow_Previews_AndEveryEditorPagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        var catalog = frame.GetByRole(AriaRole.Link, new() { Name = "District catalog: import and export" });
        await catalog.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("District catalog");
        var edit = frame.GetByRole(AriaRole.Link, new() { Name = "Edit Basic Performance Assessment Design" });
        await edit.FocusAsync();
        await Expect(edit).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Edit “Basic Performance Assessment Design”");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "catalog editor in the LMS iframe", output);

        var rows = await frame.Locator("fieldset[id^='criteria-']").CountAsync();
        var add = frame.GetByRole(AriaRole.Button, new() { Name = "Add a submission criterion row" });
        await add.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("fieldset[id^='criteria-']")).ToHaveCountAsync(rows + 1);
        var newTitle = frame.Locator($"#criteria-{rows}-title");
        await newTitle.FocusAsync();
        await Expect(newTitle).ToHaveValueAsync(string.Empty);

        var preview = frame.GetByRole(AriaRole.Button, new() { Name = "Preview as a teacher sees it" });
        await preview.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "Preview: as a teacher sees it" })).ToBeVisibleAsync();
        await Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "6. Scoring rubric" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "catalog editor with its preview", output);

        foreach (var (link, heading) in new[] { ("Skills frameworks", "Skills frameworks"), ("Stacks and pathways", "Stacks and pathways") })
        {
            var back = frame.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" }).GetByRole(AriaRole.Link, new() { Name = "District catalog" });
            await back.FocusAsync();
            await admin.Keyboard.PressAsync("Enter");
            await Expect(frame.Locator("main h1")).ToHaveTextAsync("District catalog");
            await frame.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).FocusAsync();
            await admin.Keyboard.PressAsync("Enter");
            await Expect(frame.Locator("main h1")).ToHaveTextAsync(heading);
            await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), heading + " editor", output);
        }
    }
}
