using LtiMicroCred.Sandbox.Store;
using Microsoft.Extensions.Primitives;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// An OIDC authorization request from the tool that passed every check LTI 1.3 asks of a platform, with the
/// person, course and launch it resolves to (and the resource link, unless it is a deep linking request).
/// </summary>
internal sealed record SandboxAuthorizationRequest(
    string RedirectUri,
    string State,
    string Nonce,
    SandboxPerson Person,
    SandboxCourse Course,
    SandboxLaunchHint Hint,
    SandboxResourceLink? ResourceLink)
{
    private static readonly string[] SingleValued =
        ["scope", "response_type", "response_mode", "prompt", "client_id", "redirect_uri", "login_hint", "lti_message_hint", "state", "nonce"];

    /// <returns>The request, or null with <paramref name="problem"/> naming the parameter at fault in plain words.</returns>
    public static SandboxAuthorizationRequest? Validate(
        IEnumerable<KeyValuePair<string, StringValues>> parameters,
        SandboxLms lms,
        SandboxStore store,
        SandboxMessageHints hints,
        out string problem)
    {
        var values = parameters.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        string Get(string name) => values.TryGetValue(name, out var v) ? v.ToString() : string.Empty;

        // OpenID Connect forbids repeating a parameter; a platform that silently picked one would hide a tool bug.
        if (SingleValued.FirstOrDefault(name => values.TryGetValue(name, out var v) && v.Count > 1) is { } repeated)
        {
            problem = $"The parameter {repeated} appears more than once.";
            return null;
        }

        var clientId = Get("client_id");
        if (clientId != lms.Options.ClientId)
        {
            problem = clientId.Length == 0
                ? "client_id is missing."
                : $"client_id '{clientId}' is not registered with this sandbox (expected '{lms.Options.ClientId}').";
            return null;
        }

        // Checked before anything is posted back: the only safe place to send a token is the registered redirect_uri.
        var redirectUri = Get("redirect_uri");
        if (!lms.IsRegisteredRedirectUri(redirectUri))
        {
            problem = redirectUri.Length == 0
                ? "redirect_uri is missing."
                : $"redirect_uri '{redirectUri}' is not a registered redirect URI ('{lms.ToolLaunchUrl}' or '{lms.ToolDeepLinkingUrl}').";
            return null;
        }

        if (!Get("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal))
        {
            problem = $"scope must contain 'openid' (it was '{Get("scope")}').";
            return null;
        }

        if ((Expect(Get, "response_type", "id_token") ?? Expect(Get, "response_mode", "form_post") ?? Expect(Get, "prompt", "none")) is { } mismatch)
        {
            problem = mismatch;
            return null;
        }

        var state = Get("state");
        var nonce = Get("nonce");
        if (state.Length == 0 || nonce.Length == 0)
        {
            problem = state.Length == 0 ? "state is missing." : "nonce is missing.";
            return null;
        }

        var loginHint = Get("login_hint");
        var person = lms.FindPerson(loginHint);
        if (person is null)
        {
            problem = loginHint.Length == 0 ? "login_hint is missing." : $"login_hint '{loginHint}' is not a person in this sandbox.";
            return null;
        }

        var messageHint = Get("lti_message_hint");
        if (messageHint.Length == 0)
        {
            problem = "lti_message_hint is missing.";
            return null;
        }

        var hint = hints.Read(messageHint, out problem);
        if (hint is null)
        {
            return null;
        }

        if (hint.PersonId != person.Id)
        {
            problem = $"lti_message_hint was issued for '{hint.PersonId}', but login_hint is '{person.Id}'.";
            return null;
        }

        var course = lms.FindCourse(hint.CourseId);
        if (course is null)
        {
            problem = $"lti_message_hint names course '{hint.CourseId}', which this sandbox does not have.";
            return null;
        }

        var link = hint.ResourceLinkId is null ? null : store.FindResourceLink(hint.ResourceLinkId);
        if (hint.ResourceLinkId is not null && (link is null || link.CourseId != course.Id))
        {
            problem = $"lti_message_hint names resource link '{hint.ResourceLinkId}', which course '{course.Id}' does not have.";
            return null;
        }

        problem = string.Empty;
        return new SandboxAuthorizationRequest(redirectUri, state, nonce, person, course, hint, link);
    }

    private static string? Expect(Func<string, string> get, string name, string expected)
    {
        var actual = get(name);
        return actual == expected ? null : $"{name} must be '{expected}' (it was '{actual}').";
    }
}
