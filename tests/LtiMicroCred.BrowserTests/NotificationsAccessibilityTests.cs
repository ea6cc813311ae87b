using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Celebrations;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The notifications page inside the LMS iframe: reached from the nav count and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class NotificationsAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Teacher_OpensNotificationsFromTheNavCount_MarksOneRead_TurnsEmailOff_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var teacher = await context.NewPageAsync();
        // The first launch puts Ada in the directory; the second lands on a home page that counts her notification.
        await Expect((await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada")).Locator("main h1")).ToHaveTextAsync("Welcome, Ada Okafor");
        await CongratulateAsync();
        var frame = await SandboxCourse.OpenAsync(teacher, fixture.Host, "teacher-ada");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Ada Okafor");

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "Notifications, 1 unread" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Notifications");
        await Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "Unread: Congratulations: you earned Data literacy" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "notifications page in the LMS iframe", output);

        var read = frame.GetByRole(AriaRole.Button, new() { Name = "Mark as read: Congratulations: you earned Data literacy" });
        await read.FocusAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Marked as read.");
        await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "Notifications, none unread" })).ToBeVisibleAsync();

        var email = frame.GetByLabel("Also send me awards, notices and digests by email");
        await email.FocusAsync();
        await Expect(email).ToBeCheckedAsync();
        await teacher.Keyboard.PressAsync("Space");
        await teacher.Keyboard.PressAsync("Tab");
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Save my email choice" })).ToBeFocusedAsync();
        await teacher.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("You will no longer receive these notifications by email.");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(teacher), "notifications page after marking read and turning email off", output);
    }

    private async Task CongratulateAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ada = await db.People.Where(p => p.Name == "Ada Okafor").Select(p => new { p.Id, p.TenantId }).SingleAsync();
        db.Notifications.Add(new Notification
        {
            Id = Guid.NewGuid(), TenantId = ada.TenantId, RecipientId = ada.Id, Kind = NotificationKinds.Congratulation,
            Title = "Congratulations: you earned Data literacy", Body = "Congratulations, Ada Okafor! You have earned the microcredential \"Data literacy\".\n\nThank you.",
            Link = "/app/ledger", CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }
}
