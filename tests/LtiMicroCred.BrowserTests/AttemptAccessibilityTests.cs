using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The teacher's attempt pages and the principal's queue inside the LMS iframe: keyboard reachable, WCAG 2.1 AA.</summary>
public sealed class AttemptAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Teacher_ReachesTheirAttemptByKeyboard_AndTheApprovalQueuePassesAxeToo()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(page, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        var title = await StartAttemptWithPlanSentAsync("Ada Okafor");

        await FollowByKeyboardAsync(page, frame.GetByRole(AriaRole.Link, new() { Name = "My microcredentials" }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("My microcredentials");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "my microcredentials page in the LMS iframe", output);

        await FollowByKeyboardAsync(page, frame.GetByRole(AriaRole.Link, new() { Name = title }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync(title);
        await Expect(frame.GetByText("Plan awaiting approval").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(page), "attempt page in the LMS iframe", output);

        var admin = await context.NewPageAsync();
        var adminFrame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Approvals" }));
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Approvals");
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Ada Okafor: " + title }));
        var decision = adminFrame.GetByRole(AriaRole.Group, new() { Name = "Your decision on this plan" });
        await Expect(decision).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "attempt page as the approver, in the LMS iframe", output);

        // The form works inside the cross-site frame, where the tool gets no cookie: keyboard only, from choice to notice.
        await decision.GetByLabel("Return with comments").CheckAsync();
        await decision.GetByLabel("Comment (needed to return or decline)").FillAsync("Add a target date for the student work samples.");
        var record = adminFrame.GetByRole(AriaRole.Button, new() { Name = "Record decision" });
        await record.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(adminFrame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The plan decision is recorded.");
        await Expect(adminFrame.GetByText("Add a target date for the student work samples.").First).ToBeVisibleAsync();
    }

    /// <summary>Ada starts the first credential her district offers and sends her plan, through the real use cases.</summary>
    private async Task<string> StartAttemptWithPlanSentAsync(string teacherName)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var person = await db.People.SingleAsync(p => p.Name == teacherName);
        var actor = await services.GetRequiredService<ActorDirectory>().LoadAsync(person.Id, person.TenantId, CancellationToken.None);
        var credential = await db.Credentials
            .Where(c => c.TenantId == person.TenantId && db.Offerings.Any(o => o.CredentialId == c.Id && o.SchoolId == null && o.Active))
            .OrderBy(c => c.Key)
            .FirstAsync();
        var id = await services.GetRequiredService<StartAttempt>().HandleAsync(actor, credential.Id, CancellationToken.None);
        await services.GetRequiredService<SavePlan>().HandleAsync(actor, id, new AttemptPlan
        {
            Alignment = "Our school improvement plan asks for common formative assessments in every grade.",
            Steps = [new PlanStep("Design the assessment with my team", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(21)))],
        }, CancellationToken.None);
        await services.GetRequiredService<SubmitPlan>().HandleAsync(actor, id, CancellationToken.None);
        return credential.Title;
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
