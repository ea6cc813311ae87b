using System.Text.Encodings.Web;
using System.Text.Json;
using LtiMicroCred.Lti.Launch;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Lti.Endpoints;

/// <summary>
/// The few pages the LTI layer itself must show: refusals, and the small script pages that carry the launch
/// state through the platform's postMessage storage when the browser blocks cookies in the LMS iframe.
/// </summary>
public static class LtiPages
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem;color:#1b1b1b;background:#fff;line-height:1.5}" +
        "h1{font-size:1.5rem}code{background:#f2f2f2;padding:0 .25rem}button{font-size:1rem;padding:.5rem 1rem}";

    public static IResult Rejection(HttpContext context, LaunchRejectedException rejection)
    {
        var status = rejection.Reason == LaunchRejectionReason.PlatformKeysUnavailable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest;
        var reasonCode = JsonNamingPolicy.SnakeCaseLower.ConvertName(rejection.Reason.ToString());
        if (WantsJson(context.Request))
        {
            return Results.Json(new { error = "launch_rejected", reason = reasonCode, message = rejection.Message }, statusCode: status);
        }

        var html = Page(
            "Launch refused",
            $"<h1>The tool could not be opened</h1><p role=\"alert\">{Encode(rejection.Message)}</p>" +
            $"<p>Reason code: <code>{Encode(reasonCode)}</code></p>" +
            "<p>Go back to your course in the LMS and open the tool again. If this keeps happening, " +
            "tell your district's LMS administrator the reason code above.</p>");
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>Stores the browser binding in the platform's storage, then goes on to the platform's auth endpoint.</summary>
    public static IResult StoreStateThenRedirect(Uri authorizationUrl, string state, string binding, string storageTarget)
    {
        var data = JsonSerializer.Serialize(new
        {
            target = storageTarget,
            origin = authorizationUrl.GetLeftPart(UriPartial.Authority),
            key = StorageKey(state),
            value = binding,
            next = authorizationUrl.ToString(),
        });
        var html = Page(
            "Opening the tool",
            "<h1>Opening the tool…</h1><p>If nothing happens, <a id=\"next\" href=\"" + Encode(authorizationUrl.ToString()) + "\">continue</a>.</p>" +
            ScriptData(data) + Script(StoreScript));
        return new ScriptedPage(html, StatusCodes.Status200OK);
    }

    /// <summary>Reads the browser binding back from the platform's storage and posts the launch again with it.</summary>
    public static IResult FetchStateThenPost(string launchUrl, string idToken, string state, string storageTarget, string platformOrigin)
    {
        var data = JsonSerializer.Serialize(new { target = storageTarget, origin = platformOrigin, key = StorageKey(state) });
        var html = Page(
            "Opening the tool",
            "<h1>Opening the tool…</h1>" +
            $"<form id=\"relay\" method=\"post\" action=\"{Encode(launchUrl)}\">" +
            $"<input type=\"hidden\" name=\"id_token\" value=\"{Encode(idToken)}\">" +
            $"<input type=\"hidden\" name=\"state\" value=\"{Encode(state)}\">" +
            "<input type=\"hidden\" name=\"lti_browser_binding\" value=\"\">" +
            "</form><p id=\"status\" role=\"status\"></p>" +
            ScriptData(data) + Script(FetchScript));
        return new ScriptedPage(html, StatusCodes.Status200OK);
    }

    /// <summary>The end of dynamic registration: says how it went and asks the LMS to close its registration window.</summary>
    public static IResult Registration(bool succeeded, string message)
    {
        var html = Page(
            succeeded ? "Registration complete" : "Registration failed",
            (succeeded ? "<h1>Registration complete</h1>" : "<h1>Registration failed</h1>") +
            $"<p role=\"{(succeeded ? "status" : "alert")}\">{Encode(message)}</p>" +
            (succeeded
                ? "<p>You can close this window.</p>" + Script("(window.opener||window.parent).postMessage({subject:'org.imsglobal.lti.close'},'*');")
                : "<p>Start the registration again from your LMS, or register the tool by hand with the values in lti-config.</p>"));
        return new ScriptedPage(html, succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>Posts the deep linking response to the platform: at once with script, or by a button without it.</summary>
    public static IResult DeepLinkingReturn(string returnUrl, string jwt)
    {
        var html = Page(
            "Returning to the LMS",
            "<h1>Returning to the LMS…</h1>" +
            $"<form id=\"relay\" method=\"post\" action=\"{Encode(returnUrl)}\">" +
            $"<input type=\"hidden\" name=\"{DeepLinking.DeepLinkingResponseBuilder.FormField}\" value=\"{Encode(jwt)}\">" +
            "<button type=\"submit\">Continue to the LMS</button></form>" +
            Script("document.getElementById('relay').submit();"));
        return new ScriptedPage(html, StatusCodes.Status200OK);
    }

    internal static string StorageKey(string state) => "ltimc_state_" + state;

    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        && !request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Page(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        $"<title>{Encode(title)} - LtiMicroCred</title><style>{Style}</style></head><body><main>{body}</main></body></html>";

    private static string ScriptData(string json) =>
        "<script type=\"application/json\" id=\"lti-data\">" + json.Replace("</", "<\\/", StringComparison.Ordinal) + "</script>";

    private static string Script(string code) => "<script nonce=\"" + ScriptedPage.NoncePlaceholder + "\">" + code + "</script>";

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    // Both scripts follow the 1EdTech "LTI Client Side postMessages" platform storage messages.
    private const string Common =
        "var d=JSON.parse(document.getElementById('lti-data').textContent);" +
        "function frame(){var t=d.target;if(t==='_parent'){return window.parent;}try{return window.parent.frames[t]||window.parent;}catch(e){return window.parent;}}" +
        "function ask(msg,done){var id=Math.random().toString(36).slice(2);msg.message_id=id;var finished=false;" +
        "function handler(ev){if(ev.origin!==d.origin||!ev.data||ev.data.message_id!==id){return;}finished=true;window.removeEventListener('message',handler);done(ev.data);}" +
        "window.addEventListener('message',handler);frame().postMessage(msg,d.origin);" +
        "setTimeout(function(){if(!finished){window.removeEventListener('message',handler);done(null);}},3000);}";

    private const string StoreScript = Common +
        "ask({subject:'lti.put_data',key:d.key,value:d.value},function(){window.location.replace(d.next);});";

    private const string FetchScript = Common +
        "ask({subject:'lti.get_data',key:d.key},function(r){var s=document.getElementById('status');" +
        "if(!r||r.error||!r.value){s.textContent='Your browser did not let the tool confirm this launch. Open the tool again from the LMS, or open it in a new window.';return;}" +
        "var f=document.getElementById('relay');f.elements['lti_browser_binding'].value=r.value;f.submit();});";

    /// <summary>
    /// A page with its own small inline script. The host's policy allows scripts from the tool's own files only, so
    /// this page's response names a fresh nonce that its script tags carry, and nothing else inline may run.
    /// </summary>
    private sealed class ScriptedPage(string html, int statusCode) : IResult
    {
        public const string NoncePlaceholder = "{{lti-script-nonce}}";

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.Headers.ContentSecurityPolicy =
                $"frame-ancestors *; default-src 'self'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; base-uri 'none'";
            await httpContext.Response.WriteAsync(html.Replace(NoncePlaceholder, nonce, StringComparison.Ordinal), httpContext.RequestAborted);
        }
    }
}
