using LtiMicroCred.BrowserTests.Infrastructure;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests;

/// <summary>The district's outbox page inside the LMS iframe: reached and used by keyboard only, WCAG 2.1 AA.</summary>
public sealed class OutboxAccessibilityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_ReachesTheOutboxByKeyboard_SendsADeadLetterAgain_AndThePagePassesAxe()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        var frame = await SandboxCourse.OpenAsync(admin, fixture.Host, "admin-dev");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Welcome, Dev Patel");
        await DeadLetterAsync();

        var link = frame.GetByRole(AriaRole.Link, new() { Name = "Messages to the LMS: sent, waiting and not sent" });
        await link.FocusAsync();
        await Expect(link).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.Locator("main h1")).ToHaveTextAsync("Messages to the LMS");
        await Expect(frame.GetByText("The LMS answered 502: gateway error.").First).ToBeVisibleAsync();
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "outbox page in the LMS iframe", output);

        var send = frame.GetByRole(AriaRole.Button).Filter(new() { HasText = "Send again" }).First;
        await send.FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Expect(frame.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The message is queued to be sent again.");
        await Axe.ExpectNoViolationsAsync(SandboxCourse.ToolFrame(admin), "outbox page after sending again", output);
    }

    /// <summary>A message of a kind no handler sends yet, dead after its tries, as the send job leaves it.</summary>
    private async Task DeadLetterAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tenantId = await db.People.Where(p => p.Name == "Dev Patel").Select(p => p.TenantId).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = Guid.NewGuid(), TenantId = tenantId, Kind = "grade.passback", Payload = "{}", EventId = Guid.NewGuid(), CreatedAt = now.AddHours(-3),
            DueAt = now.AddHours(6), Attempts = 8, Status = OutboxStatus.Dead, LastError = "The LMS answered 502: gateway error.",
        });
        await db.SaveChangesAsync();
    }
}
