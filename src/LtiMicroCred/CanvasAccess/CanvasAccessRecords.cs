namespace LtiMicroCred.CanvasAccess;

/// <summary>
/// The Canvas REST API developer key a district (tenant) created for the tool, and the Canvas it belongs to.
/// The secret is Data Protection ciphertext; only <see cref="TenantCanvasKeys"/> reads it back.
/// </summary>
public sealed class CanvasDeveloperKeyRecord
{
    public Guid TenantId { get; set; }

    /// <summary>Normalized with <c>CanvasHost.Normalize</c>, e.g. <c>https://district.instructure.com</c>.</summary>
    public required string CanvasBaseUrl { get; set; }

    public required string ClientId { get; set; }

    public required string ProtectedClientSecret { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One Canvas user's grant to the tool, per tenant and Canvas host: the access and refresh tokens (ciphertext), the
/// access token's expiry, and a short refresh lease so that one node at a time talks to Canvas's token endpoint.
/// Its <see cref="Id"/> is the user id the Canvas client library is given, so a token lookup is one primary-key read.
/// </summary>
public sealed class CanvasConnection
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string CanvasBaseUrl { get; set; }

    public long CanvasUserId { get; set; }

    /// <summary>The person who last connected this Canvas user (a person is per platform; the Canvas user is per host).</summary>
    public Guid PersonId { get; set; }

    /// <summary>Canvas's display name of the user who authorized, as the token answer gave it.</summary>
    public string? CanvasUserName { get; set; }

    public required string ProtectedAccessToken { get; set; }

    public required string ProtectedRefreshToken { get; set; }

    /// <summary>Null when Canvas gave no lifetime: the token is then used until Canvas refuses it.</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }

    /// <summary>Set while a node refreshes the token; another node waits for it instead of refreshing too.</summary>
    public Guid? RefreshLeaseId { get; set; }

    public DateTimeOffset? RefreshLeaseUntil { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
