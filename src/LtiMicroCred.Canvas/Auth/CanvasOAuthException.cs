namespace LtiMicroCred.Canvas.Auth;

/// <summary>The OAuth2 errors the product reacts to differently.</summary>
public enum CanvasOAuthError
{
    /// <summary>An error code this client does not single out; see <see cref="CanvasOAuthException.ErrorCode"/>.</summary>
    Other,

    /// <summary>The user clicked "Cancel" on Canvas's authorization page (<c>error=access_denied</c> on the redirect).</summary>
    AccessDenied,

    /// <summary>Canvas does not know the developer key or the secret is wrong: a district configuration problem.</summary>
    InvalidClient,

    /// <summary>The code or refresh token is expired, used, or revoked: the user must authorize again.</summary>
    InvalidGrant,

    /// <summary>A parameter was missing or malformed, e.g. a redirect_uri that does not match the developer key.</summary>
    InvalidRequest,

    /// <summary>Canvas refused the requested scopes.</summary>
    InvalidScope,

    /// <summary>The redirect came back without the state this session sent, or with none: possible request forgery.</summary>
    StateMismatch,
}

/// <summary>The Canvas OAuth2 flow failed in a way Canvas explained (or, for the state, that the client detected).</summary>
public sealed class CanvasOAuthException(CanvasOAuthError error, string errorCode, string? description, string method, string path)
    : CanvasException(method, path,
        description is null ? $"Canvas OAuth2 error '{errorCode}'." : $"Canvas OAuth2 error '{errorCode}': {description}")
{
    public CanvasOAuthError Error { get; } = error;

    /// <summary>The OAuth2 <c>error</c> value exactly as Canvas sent it.</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>Canvas's <c>error_description</c>, when it sent one.</summary>
    public string? Description { get; } = description;

    internal static CanvasOAuthError Classify(string errorCode) => errorCode switch
    {
        "access_denied" => CanvasOAuthError.AccessDenied,
        "invalid_client" or "unauthorized_client" => CanvasOAuthError.InvalidClient,
        "invalid_grant" => CanvasOAuthError.InvalidGrant,
        "invalid_request" or "unsupported_grant_type" or "unsupported_response_type" => CanvasOAuthError.InvalidRequest,
        "invalid_scope" => CanvasOAuthError.InvalidScope,
        _ => CanvasOAuthError.Other,
    };
}
