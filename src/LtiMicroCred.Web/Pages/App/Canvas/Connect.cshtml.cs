using System.Security.Cryptography;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Lti.Endpoints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Web.Pages.App.Canvas;

/// <summary>
/// Opened top-level (a new window: Canvas's consent page refuses to be framed) with the launch token: binds the flow
/// to this browser with a first-party cookie and sends it to Canvas. Explains instead when Canvas access is not set up.
/// </summary>
public sealed class CanvasConnectModel(BeginCanvasConnection begin) : AppPageModel
{
    public const string BindingCookie = "ltimc_canvas_bind";
    public const string CallbackPath = "/app/canvas/callback";

    public CanvasNotice Outcome { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var binding = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var start = await begin.HandleAsync(Actor.TenantId, Actor.PersonId, CallbackUri(HttpContext), binding, cancellationToken);
        if (start.AuthorizeUrl is not { } authorize)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            Outcome = start.Problem == CanvasConnectProblem.NotConfigured
                ? new CanvasNotice("Canvas access is not set up", "Your district has not added LtiMicroCred's Canvas developer key yet, so the tool cannot connect to Canvas.",
                    "Ask your district administrator to set it up, then try again. You can close this window.")
                : new CanvasNotice("Your Canvas account is not known", "Your LMS did not tell LtiMicroCred who you are in Canvas, so it cannot connect to your Canvas account.",
                    "Ask your district administrator to check the tool's custom fields (canvas_user_id). You can close this window.");
            return Page();
        }

        Response.Cookies.Append(BindingCookie, binding, new CookieOptions
        {
            HttpOnly = true,
            Secure = Request.IsHttps,
            // Canvas sends the browser back with a top-level GET from its own site, which Lax lets through.
            SameSite = SameSiteMode.Lax,
            Path = "/app/canvas",
            MaxAge = CanvasAuthorizationStates.Lifetime,
        });
        return Redirect(authorize.AbsoluteUri);
    }

    public static Uri CallbackUri(HttpContext context) => new(LtiEndpoints.BaseUrl(context) + CallbackPath);
}
