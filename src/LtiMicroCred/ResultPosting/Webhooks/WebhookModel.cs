using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LtiMicroCred.ResultPosting.Webhooks;

/// <summary>
/// The district's PD-system webhook: where new ledger entries are posted, the secret they are signed with (encrypted at
/// rest with Data Protection, never shown again) and whether it is on. One row per district.
/// </summary>
public sealed class WebhookSettings
{
    public Guid TenantId { get; set; }

    /// <summary>https (plain http only for a loopback receiver: development and tests).</summary>
    public required string Url { get; set; }

    /// <summary>The signing secret, protected by <see cref="WebhookSecrets"/>.</summary>
    public required string SecretCiphertext { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Data Protection for the webhook signing secret, under a purpose of its own.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LtiMicroCred.ResultPosting.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string ciphertext)
    {
        try
        {
            return _protector.Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            // Written with a key the ring no longer has: as good as nothing stored.
            return null;
        }
    }
}

/// <summary>The signature a receiver checks: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body.</summary>
public static class WebhookSignature
{
    public const string Header = "X-LtiMicroCred-Signature";

    public const string EventIdHeader = "X-LtiMicroCred-Event-Id";

    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));
}
