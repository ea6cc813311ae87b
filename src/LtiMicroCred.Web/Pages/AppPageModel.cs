using LtiMicroCred.Access;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages;

/// <summary>
/// The base of every page after a launch: the signed-in person as the directory knows them (<see cref="Actor"/>) and
/// the launch token every link and form carries on (the tool needs no third-party cookie inside the LMS iframe).
/// </summary>
public abstract class AppPageModel : PageModel
{
    private Actor? _actor;

    /// <summary>The launch token this request came with, for links and forms that follow.</summary>
    public string LaunchToken =>
        Request.HasFormContentType && Request.Form.TryGetValue(LaunchTokenDefaults.QueryName, out var posted) && posted.Count > 0
            ? posted.ToString()
            : Request.Query[LaunchTokenDefaults.QueryName].ToString();

    public Actor Actor => _actor ?? throw new InvalidOperationException("The actor is loaded by the page filter before any handler runs.");

    /// <summary>A same-tool link that keeps the launch token (in the query, before any #fragment).</summary>
    public string Link(string path)
    {
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? string.Empty : path[hash..];
        var target = hash < 0 ? path : path[..hash];
        var separator = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{target}{separator}{LaunchTokenDefaults.QueryName}={Uri.EscapeDataString(LaunchToken)}{fragment}";
    }

    /// <summary>
    /// Runs a form's use case: on success, redirects (post/redirect/get) keeping the launch token; when the input is
    /// refused, shows the same page again with each message beside its field and the status 400.
    /// </summary>
    protected async Task<IActionResult> SubmitAsync(Func<Task> action, string redirectTo, Func<Task> reload, string? notice = null)
    {
        try
        {
            await action();
        }
        catch (InvalidInputException invalid)
        {
            foreach (var (field, message) in invalid.Errors)
            {
                ModelState.AddModelError(field, message);
            }

            await reload();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect(Link(notice is null ? redirectTo : $"{redirectTo}{(redirectTo.Contains('?', StringComparison.Ordinal) ? '&' : '?')}notice={Uri.EscapeDataString(notice)}"));
    }

    /// <summary>A confirmation carried by the redirect after a form (post/redirect/get), shown once in a status region.</summary>
    public string? Notice => Request.Query["notice"] is { Count: > 0 } notice && notice.ToString().Length <= 200 ? notice.ToString() : null;

    internal async Task LoadActorAsync(ActorDirectory directory, CancellationToken cancellationToken)
    {
        var user = LaunchUser.From(User) ?? throw new ForbiddenException("Open the tool from your course to sign in.");
        _actor = await directory.LoadAsync(user.PersonId, user.TenantId, cancellationToken);
    }
}
