using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district's PD-system webhook page inside the LMS iframe: reached and filled by keyboard only, WCAG 2.1 AA.</summary>
public sealed class WebhookAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesTheWebhookByKeyboard_IsToldKindlyAboutPlainHttp_SavesIt_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "PD-system webhook for ledger entries" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("PD-system webhook");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "webhook page in the LMS iframe", output);

        await FillAsync(admin, frame, "http://pd.example.org/hooks/ledger");
        await Expect(frame.GetByText("Enter the full https address").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "webhook page with a refusal", output);

        await FillAsync(admin, frame, "https://pd.example.org/hooks/ledger");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The webhook is saved.");
        await Expect(frame.GetByLabel("Address of the PD system's webhook (https)")).ToHaveValueAsync("https://pd.example.org/hooks/ledger");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "webhook page after saving", output);
    }

    private static async Task FillAsync(IPage page, IFrameLocator frame, string url)
    {
        var address = frame.GetByLabel("Address of the PD system's webhook (https)");
        await address.FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(url);
        await page.Keyboard.PressAsync("Tab");
        await Expect(frame.Locator("#secret")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("pd-system-shared-secret-0123456789");
        await page.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Checkbox)).ToBeFocusedAsync();
        if (!await frame.GetByRole(AriaRole.Checkbox).IsCheckedAsync())
        {
            await page.Keyboard.PressAsync("Space");
        }

        await page.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Save the webhook" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
