using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LtiMicroCred.Platforms;

/// <summary>
/// The district part of a dynamic registration link: the tenant id sealed with Data Protection for
/// <see cref="Lifetime"/>, so a platform registered through the link joins that district instead of a new one.
/// It names nothing readable and cannot be altered or reused after it expires.
/// </summary>
public sealed class RegistrationInvitations(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("LtiMicroCred.Platforms.RegistrationInvitation.v1").ToTimeLimitedDataProtector();

    public string Issue(Guid tenantId) => _protector.Protect(tenantId.ToString("N"), time.GetUtcNow() + Lifetime);

    /// <returns>The tenant, or null when the invitation is altered, from another key ring or expired.</returns>
    public Guid? Read(string invitation)
    {
        try
        {
            var text = _protector.Unprotect(invitation, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParseExact(text, "N", out var tenantId) ? tenantId : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
