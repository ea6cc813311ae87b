using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.CanvasAccess;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.App.Canvas;

/// <summary>
/// Canvas's redirect back (the developer key's redirect URI). No launch token reaches here, so the sealed state and
/// the browser-binding cookie set by <see cref="CanvasConnectModel"/> say whose connection it is.
/// </summary>
[AllowAnonymous]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class CanvasCallbackModel(CompleteCanvasConnection complete) : PageModel
{
    private const string CloseWindow = "You can close this window and go back to your course.";
    private const string StartAgain = "Close this window and choose Connect to Canvas in LtiMicroCred again.";

    public CanvasNotice Outcome { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? code, string? state, string? error, [FromQuery(Name = "error_description")] string? errorDescription,
        CancellationToken cancellationToken)
    {
        var result = await complete.HandleAsync(new CanvasAuthorizationResponse(code, state, error, errorDescription),
            Request.Cookies[CanvasConnectModel.BindingCookie], CanvasConnectModel.CallbackUri(HttpContext), cancellationToken);
        if (result.Outcome != CanvasConnectOutcome.NotYourState)
        {
            // Done with, whatever the outcome; a stranger's link must not end the owner's flow in progress.
            Response.Cookies.Delete(CanvasConnectModel.BindingCookie, new CookieOptions { Path = "/app/canvas" });
        }

        (Response.StatusCode, Outcome) = Describe(result);
        return Page();
    }

    private static (int Status, CanvasNotice Notice) Describe(CanvasConnectResult result) => result.Outcome switch
    {
        CanvasConnectOutcome.Connected => (StatusCodes.Status200OK, new CanvasNotice("Canvas is connected",
            result.CanvasUserName is { Length: > 0 } name
                ? $"LtiMicroCred can now read your course work in Canvas as {name}."
                : "LtiMicroCred can now read your course work in Canvas.", CloseWindow)),
        CanvasConnectOutcome.Declined => (StatusCodes.Status200OK, new CanvasNotice("Canvas was not connected",
            "You chose not to let LtiMicroCred use your Canvas account, so nothing was stored.",
            "You can close this window. To connect later, choose Connect to Canvas in LtiMicroCred.")),
        CanvasConnectOutcome.InvalidState => (StatusCodes.Status400BadRequest, new CanvasNotice("This connection link is no longer valid",
            "The link back from Canvas has expired, was changed, or did not start in LtiMicroCred. Nothing was stored.", StartAgain)),
        CanvasConnectOutcome.NotYourState => (StatusCodes.Status403Forbidden, new CanvasNotice("This connection was started somewhere else",
            "The link back from Canvas belongs to a connection started in another browser or by someone else. Nothing was stored.",
            "Open LtiMicroCred from your course in this browser and choose Connect to Canvas.")),
        CanvasConnectOutcome.WrongCanvasUser => (StatusCodes.Status403Forbidden, new CanvasNotice("You approved as someone else",
            "The Canvas account that approved the connection is not the one you open LtiMicroCred with. Nothing was stored.",
            "Sign in to Canvas as yourself, then choose Connect to Canvas in LtiMicroCred again.")),
        CanvasConnectOutcome.NotConfigured => (StatusCodes.Status409Conflict, new CanvasNotice("Canvas access is not set up",
            "Your district has not added LtiMicroCred's Canvas developer key, so the tool cannot connect to Canvas.",
            "Ask your district administrator to set it up. You can close this window.")),
        CanvasConnectOutcome.CanvasRefused when result.CanvasError is CanvasOAuthError.InvalidGrant => (StatusCodes.Status400BadRequest, new CanvasNotice(
            "The approval expired", "Canvas no longer accepts this approval: it expired or was already used. Nothing was stored.", StartAgain)),
        CanvasConnectOutcome.CanvasRefused when result.CanvasError is CanvasOAuthError.InvalidClient => (StatusCodes.Status502BadGateway, new CanvasNotice(
            "Canvas refused the district's developer key", "Canvas did not accept the developer key LtiMicroCred uses for your district.",
            "Ask your district administrator to check the key. You can close this window.")),
        CanvasConnectOutcome.CanvasRefused => (StatusCodes.Status502BadGateway, new CanvasNotice("Canvas refused the connection",
            "Canvas did not complete the connection. Nothing was stored.", StartAgain)),
        _ => (StatusCodes.Status502BadGateway, new CanvasNotice("Canvas could not be reached",
            "LtiMicroCred could not reach Canvas to finish the connection. Nothing was stored.", "Try again in a few minutes: " + StartAgain)),
    };
}
