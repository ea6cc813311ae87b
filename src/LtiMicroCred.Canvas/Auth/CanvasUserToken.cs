namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// What Canvas's token endpoint granted. A refresh answer carries no refresh token (Canvas keeps the original one), so
/// <see cref="RefreshToken"/> is null then and the stored one stays valid. <see cref="ToString"/> leaves the tokens out.
/// </summary>
public sealed record CanvasUserToken
{
    public required string AccessToken { get; init; }

    public string TokenType { get; init; } = "Bearer";

    public string? RefreshToken { get; init; }

    /// <summary>Lifetime Canvas gave the access token (<c>expires_in</c>), when it gave one.</summary>
    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>When the access token stops working, from the client's clock when the answer arrived.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Canvas id of the user who authorized the tool (<c>user.id</c>).</summary>
    public long? CanvasUserId { get; init; }

    /// <summary>Display name of that user (<c>user.name</c>).</summary>
    public string? CanvasUserName { get; init; }

    public override string ToString() =>
        $"CanvasUserToken {{ CanvasUserId = {CanvasUserId}, ExpiresAt = {ExpiresAt:O}, HasRefreshToken = {RefreshToken is not null} }}";
}
