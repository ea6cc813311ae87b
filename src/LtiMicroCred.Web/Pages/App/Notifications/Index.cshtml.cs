using System.Globalization;
using LtiMicroCred.Celebrations;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Notifications;

/// <summary>The person's own notifications, newest first, paged; mark one or all read; email on or off.</summary>
public sealed class IndexModel(NotificationQueries queries, MarkNotificationsRead mark, SetEmailPreference preference) : AppPageModel
{
    public NotificationsView Data { get; private set; } = null!;

    public async Task OnGetAsync(int? p, CancellationToken cancellationToken) => Data = await queries.ListAsync(Actor, p ?? 1, cancellationToken);

    public Task<IActionResult> OnPostReadAsync(Guid notificationId, int? p, CancellationToken cancellationToken) =>
        SubmitAsync(() => mark.OneAsync(Actor, notificationId, cancellationToken), PagePath(p ?? 1), () => OnGetAsync(p, cancellationToken), "Marked as read.");

    public Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken) =>
        SubmitAsync(() => mark.AllAsync(Actor, cancellationToken), "/app/notifications", () => OnGetAsync(1, cancellationToken), "All your notifications are marked as read.");

    public Task<IActionResult> OnPostEmailAsync(bool emailEnabled, CancellationToken cancellationToken) =>
        SubmitAsync(() => preference.HandleAsync(Actor, emailEnabled, cancellationToken), "/app/notifications", () => OnGetAsync(1, cancellationToken),
            emailEnabled ? "You will receive these notifications by email too." : "You will no longer receive these notifications by email.");

    public string PageLink(int page) => Link(PagePath(page));

    private static string PagePath(int page) => page <= 1 ? "/app/notifications" : $"/app/notifications?p={page.ToString(CultureInfo.InvariantCulture)}";

    public static IEnumerable<string> Paragraphs(string body) => body.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
}
