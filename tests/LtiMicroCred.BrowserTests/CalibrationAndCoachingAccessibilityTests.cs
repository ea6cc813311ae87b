using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Calibration;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>Coach check-ins and the calibration exercise inside the LMS iframe: keyboard reachable, WCAG 2.1 AA.</summary>
public sealed class CalibrationAndCoachingAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CheckInsCalibrationAndCoachPages_PassAxe_AndWorkByKeyboard()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var adminFrame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");
        var teacher = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada");
        await SandboxCourse.ExpectGreetingAsync(frame, "Ada Okafor", "Teacher");
        var title = await SeedAsync();

        // Ada asks Dev (her school's coach) for a check-in, keyboard only.
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = "My microcredentials" }));
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = title }));
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = "Coach check-ins: ask your coach to look at your plan or draft evidence" }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Coach check-ins: " + title);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "teacher's check-ins page in the LMS iframe", output);
        await frame.GetByLabel("Your question").FillAsync("Are my target dates realistic?");
        await frame.GetByRole(AriaRole.Button, new() { Name = "Ask for a check-in" }).FocusAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Your coach has been asked.");

        // Dev answers from his queue.
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Coaching check-ins" }));
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = $"Ada Okafor: {title} (plan)" }));
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync($"Check-in for Ada Okafor: {title}");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "coach's check-in page in the LMS iframe", output);
        await adminFrame.GetByLabel("General comment").FillAsync("The dates work; add one for the video.");
        await adminFrame.GetByRole(AriaRole.Button, new() { Name = "Send comments" }).FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(adminFrame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Your comments are sent to the teacher.");

        // Dev's calibration page and reference form.
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Home" }));
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Reviewer calibration: references and results" }));
        await Expect(adminFrame.Locator("main h1")).ToHaveTextAsync("Reviewer calibration");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "district calibration page in the LMS iframe", output);
        await FollowByKeyboardAsync(admin, adminFrame.GetByRole(AriaRole.Link, new() { Name = "Add a reference to " + title }));
        await Expect(adminFrame.GetByRole(AriaRole.Group).First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "reference form in the LMS iframe", output);

        // Ada's calibration exercise: radio groups per criterion, by keyboard.
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = "Home" }));
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = "Reviewer calibration exercise" }));
        await FollowByKeyboardAsync(teacher, frame.GetByRole(AriaRole.Link, new() { Name = title }));
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Calibration: " + title);
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "calibration exercise in the LMS iframe", output);
        var groups = frame.GetByRole(AriaRole.Group);
        for (var i = 0; i < await groups.CountAsync(); i++)
        {
            await groups.Nth(i).GetByRole(AriaRole.Radio).First.CheckAsync();
        }

        await frame.GetByRole(AriaRole.Button, new() { Name = "Submit my levels" }).FocusAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Your levels are saved.");
        await Expect(frame.GetByText("You have scored 1 of 3 references.")).ToBeVisibleAsync();
    }

    /// <summary>Ada starts the district's first credential with a plan; Dev gives it three references. Returns its title.</summary>
    private async Task<string> SeedAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var ada = await db.People.SingleAsync(p => p.Name == "Ada Okafor");
        var dev = await db.People.SingleAsync(p => p.Name == "Dev Patel");
        var directory = services.GetRequiredService<ActorDirectory>();
        var teacher = await directory.LoadAsync(ada.Id, ada.TenantId, CancellationToken.None);
        var admin = await directory.LoadAsync(dev.Id, dev.TenantId, CancellationToken.None);
        var credential = await db.Credentials
            .Where(c => c.TenantId == ada.TenantId && db.Offerings.Any(o => o.CredentialId == c.Id && o.SchoolId == null && o.Active))
            .OrderBy(c => c.Key)
            .FirstAsync();
        var id = await services.GetRequiredService<StartAttempt>().HandleAsync(teacher, credential.Id, CancellationToken.None);
        await services.GetRequiredService<SavePlan>().HandleAsync(teacher, id, new AttemptPlan
        {
            Alignment = "Our school improvement plan asks for common formative assessments in every grade.",
            Steps = [new PlanStep("Design the assessment with my team", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(21)))],
        }, CancellationToken.None);
        var rubric = (await db.CredentialVersions.SingleAsync(v => v.Id == credential.CurrentVersionId)).Definition.Rubric;
        var manage = services.GetRequiredService<ManageReferences>();
        foreach (var name in new[] { "Strong example", "Middle example", "Early example" })
        {
            await manage.AddAsync(admin, credential.Id, new ReferenceInput(name, $"{name}: what the teacher did.", [],
                rubric.Criteria.ToDictionary(c => c.Key, _ => (int?)0)), CancellationToken.None);
        }

        return credential.Title;
    }

    private static async Task FollowByKeyboardAsync(IPage page, ILocator link)
    {
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
