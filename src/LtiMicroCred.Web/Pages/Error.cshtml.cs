using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LtiMicroCred.Web.Pages;

/// <summary>The one error page: plain words and a reference, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
[DisableRateLimiting]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The tool hit an unexpected problem. Nothing you did caused it; please try again.";

    public string? RequestId { get; private set; }

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        (Title, Explanation) = status switch
        {
            404 => ("Page not found", "There is no page at this address. Go back to your course and open the tool again."),
            400 => ("Bad request", "The tool could not understand that request."),
            403 => ("Not allowed", "Your role does not give access to this page."),
            405 => ("Not allowed", "This page cannot be used that way."),
            503 => ("The tool is busy", "More people are using the tool at this moment than it can serve. Nothing you did caused this; wait a few seconds and try again."),
            _ => (Title, Explanation),
        };
        if (status is >= 400 and < 600)
        {
            Response.StatusCode = status.Value;
        }
    }
}
