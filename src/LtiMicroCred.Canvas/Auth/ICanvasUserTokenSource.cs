namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// Where the client gets user access tokens for the Canvas REST API. The product implements it over its own storage
/// (refresh tokens encrypted at rest), usually with <see cref="CanvasOAuthClient.RefreshAsync"/> for the refresh itself.
/// The library keeps no token beyond a single request.
/// </summary>
public interface ICanvasUserTokenSource
{
    /// <summary>
    /// The current access token for the user on that Canvas host. May return a token that has expired: the client
    /// notices the 401 and calls <see cref="RefreshAccessTokenAsync"/>. Throw
    /// <see cref="CanvasAuthorizationRequiredException"/> when the user has never authorized the tool.
    /// </summary>
    ValueTask<string> GetAccessTokenAsync(CanvasUserKey user, CancellationToken cancellationToken);

    /// <summary>
    /// Canvas rejected <paramref name="rejectedAccessToken"/> (401 with WWW-Authenticate): get a new one with the stored
    /// refresh token, store it, and return it. If the stored access token already differs from the rejected one,
    /// another worker has refreshed it: return the stored token without calling Canvas. The client calls this at most
    /// once per request and merges concurrent calls for the same user and rejected token. Throw
    /// <see cref="CanvasAuthorizationRequiredException"/> when Canvas refuses the refresh token (invalid_grant).
    /// </summary>
    ValueTask<string> RefreshAccessTokenAsync(CanvasUserKey user, string rejectedAccessToken, CancellationToken cancellationToken);
}
