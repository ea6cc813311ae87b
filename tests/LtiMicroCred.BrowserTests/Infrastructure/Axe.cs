using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LtiMicroCred.BrowserTests.Infrastructure;

/// <summary>Runs axe-core's WCAG 2.1 AA rules in a frame and fails the test on any violation, reporting them.</summary>
public static class Axe
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

    public static async Task ExpectNoViolationsAsync(IFrame frame, string what, ITestOutputHelper output)
    {
        // Evaluated through the DevTools protocol rather than added as a script tag: the tool's pages forbid inline
        // scripts (script-src 'self'), and the check must not need a hole in that policy.
        await frame.EvaluateAsync(AxeSource.Value);
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
