using LtiMicroCred.Celebrations;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Notifications;

/// <summary>
/// The layout's link to the person's notifications with the unread count in its text ("Notifications, 2 unread"), on
/// every page opened from a launch: one count on the (recipient, read at) index.
/// </summary>
public sealed class NotificationsLinkViewComponent(NotificationQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var token = Request.HasFormContentType && Request.Form.TryGetValue(LaunchTokenDefaults.QueryName, out var posted) && posted.Count > 0
            ? posted.ToString()
            : Request.Query[LaunchTokenDefaults.QueryName].ToString();
        if (LaunchUser.From(HttpContext.User) is not { } user || string.IsNullOrEmpty(token))
        {
            return Content(string.Empty);
        }

        var unread = await queries.UnreadAsync(user.TenantId, user.PersonId, HttpContext.RequestAborted);
        return View(new NotificationsLinkModel($"/app/notifications?{LaunchTokenDefaults.QueryName}={Uri.EscapeDataString(token)}", unread));
    }
}

public sealed record NotificationsLinkModel(string Href, int Unread);
