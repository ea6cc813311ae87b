using LtiMicroCred.Lti.Keys;

namespace LtiMicroCred.LtiStorage;

/// <summary>Row of a login in progress. Also the nonce record: one nonce per state, used once.</summary>
public sealed class LaunchStateRecord
{
    public required string State { get; set; }

    public required string Nonce { get; set; }

    public Guid PlatformId { get; set; }

    public required string TargetLinkUri { get; set; }

    public required string BrowserBindingHash { get; set; }

    public string? StorageTarget { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>Row of one of the tool's RSA keys; the private key is Data Protection ciphertext.</summary>
public sealed class ToolKeyRecord
{
    public required string Kid { get; set; }

    public ToolKeyStatus Status { get; set; }

    public required string PublicJwk { get; set; }

    public required string ProtectedPrivateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>Signed a long-lived document (a badge): stays published after it retires.</summary>
    public bool KeepPublished { get; set; }
}
