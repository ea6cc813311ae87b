using System.Text.Json;
using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The greeting page against WCAG 2.1 AA (axe-core) and for keyboard users.</summary>
public sealed class GreetingAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"axe-core is missing at {path}; it is copied there from Fixtures/ at build.");
    });

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

    private async Task ExpectNoAxeViolationsAsync(IFrame frame, string what)
    {
        await frame.AddScriptTagAsync(new() { Content = AxeSource.Value });
        var result = await frame.EvaluateAsync<JsonElement>(
            """
            async (tags) => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              return {
                passes: r.passes.length,
                violations: r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
                })),
              };
            }
            """,
            WcagTags);
        var violations = result.GetProperty("violations");
        var report = JsonSerializer.Serialize(violations, Indented);
        output.WriteLine($"axe-core on the {what}: {result.GetProperty("passes").GetInt32()} rules passed, " +
            $"{violations.GetArrayLength()} violated.");
        if (violations.GetArrayLength() > 0)
        {
            output.WriteLine(report);
        }

        Assert.True(result.GetProperty("passes").GetInt32() > 0, $"axe-core checked nothing on the {what}.");
        Assert.True(violations.GetArrayLength() == 0, $"axe-core found WCAG 2.1 AA violations on the {what}:\n{report}");
    }
}
