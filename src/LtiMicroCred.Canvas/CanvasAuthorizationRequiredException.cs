namespace LtiMicroCred.Canvas;

/// <summary>
/// Thrown by an <see cref="Auth.ICanvasUserTokenSource"/> when it holds no usable grant for the user (never authorized,
/// or the refresh token was revoked), so the product can send the user through the authorization flow again.
/// The client lets it pass through unchanged.
/// </summary>
public sealed class CanvasAuthorizationRequiredException(string canvasBaseUrl, string userId, string message, Exception? innerException = null)
    : CanvasException("GET", "/login/oauth2/auth", message, innerException)
{
    public string CanvasBaseUrl { get; } = canvasBaseUrl;

    public string UserId { get; } = userId;
}
