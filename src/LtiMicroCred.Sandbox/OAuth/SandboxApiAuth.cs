using LtiMicroCred.Sandbox.Http;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>
/// Checks the bearer token of an API call the way each Canvas API family does: the LTI Advantage routes want a
/// client_credentials token with one of the route's scopes, the REST routes a person's token from the code flow.
/// </summary>
internal static class SandboxApiAuth
{
    /// <returns>Null when the call may go ahead, else the 401 to answer.</returns>
    public static IResult? RequireScope(HttpContext context, SandboxAccessTokens tokens, params string[] anyOf)
    {
        var (state, grant) = tokens.Find(SandboxBearer.Read(context.Request, allowQuery: false));
        return state switch
        {
            SandboxTokenState.Missing => SandboxJson.LtiUnauthorized("Invalid access token format"),
            SandboxTokenState.Unknown => SandboxJson.LtiUnauthorized("Access token invalid - signature likely incorrect"),
            SandboxTokenState.Expired => SandboxJson.LtiUnauthorized("Access token expired"),
            _ when grant!.Kind != SandboxTokenKind.Service => SandboxJson.LtiUnauthorized("Invalid access token format"),
            _ when !anyOf.Any(grant.Scopes.Contains) => SandboxJson.LtiUnauthorized("Insufficient scopes on access token"),
            _ => null,
        };
    }

    /// <returns>The person the token acts for, or the 401 (with WWW-Authenticate, RFC 6750) to answer.</returns>
    public static (SandboxPerson? Person, IResult? Refusal) RequireUser(HttpContext context, SandboxLms lms, SandboxAccessTokens tokens)
    {
        var (state, grant) = tokens.Find(SandboxBearer.Read(context.Request, allowQuery: true));
        var headers = context.Response.Headers;
        switch (state)
        {
            case SandboxTokenState.Missing:
                headers.WWWAuthenticate = "Bearer realm=\"canvas-lms\"";
                return (null, SandboxJson.RestError(StatusCodes.Status401Unauthorized, "user authorization required"));
            case SandboxTokenState.Expired when grant!.Kind == SandboxTokenKind.Rest:
                headers.WWWAuthenticate = "Bearer realm=\"canvas-lms\", error=\"invalid_token\", error_description=\"The access token expired\"";
                return (null, SandboxJson.RestError(StatusCodes.Status401Unauthorized, "Invalid access token."));
            case SandboxTokenState.Valid when grant!.Kind == SandboxTokenKind.Rest && lms.FindPerson(grant.PersonId) is { } person:
                return (person, null);
            default:
                headers.WWWAuthenticate = "Bearer realm=\"canvas-lms\", error=\"invalid_token\"";
                return (null, SandboxJson.RestError(StatusCodes.Status401Unauthorized, "Invalid access token."));
        }
    }
}
