using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LtiMicroCred.CanvasAccess;

/// <summary>
/// Data Protection for what Canvas access keeps at rest: a purpose each for developer key secrets and user tokens,
/// so ciphertext of one kind can never be read back as the other.
/// </summary>
public sealed class CanvasSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _clientSecrets = dataProtection.CreateProtector("LtiMicroCred.CanvasAccess.ClientSecret.v1");
    private readonly IDataProtector _userTokens = dataProtection.CreateProtector("LtiMicroCred.CanvasAccess.UserTokens.v1");

    public string ProtectClientSecret(string secret) => _clientSecrets.Protect(secret);

    public string? UnprotectClientSecret(string ciphertext) => TryUnprotect(_clientSecrets, ciphertext);

    public string ProtectToken(string token) => _userTokens.Protect(token);

    public string? UnprotectToken(string ciphertext) => TryUnprotect(_userTokens, ciphertext);

    private static string? TryUnprotect(IDataProtector protector, string ciphertext)
    {
        try
        {
            return protector.Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            // Written with a key the ring no longer has: as good as nothing stored.
            return null;
        }
    }
}
