using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace LtiMicroCred.CanvasAccess;

/// <summary>
/// What the OAuth <c>state</c> carries through Canvas and back: whose connection it is (tenant, person, and the Canvas
/// user the launch named), a hash of the browser-binding cookie, and when it stops being accepted.
/// </summary>
public sealed record CanvasAuthorizationState(Guid TenantId, Guid PersonId, long CanvasUserId, string BindingHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Seals the state with Data Protection, so the browser and Canvas can carry it but neither change nor read it, and
/// every node (sharing the key ring through the database) can open it.
/// </summary>
public sealed class CanvasAuthorizationStates(IDataProtectionProvider dataProtection, TimeProvider timeProvider)
{
    /// <summary>Long enough for a person to read Canvas's consent page, short enough that a leaked state soon dies.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("LtiMicroCred.CanvasAccess.AuthorizationState.v1");

    public string Seal(Guid tenantId, Guid personId, long canvasUserId, string browserBinding) =>
        _protector.Protect(JsonSerializer.Serialize(
            new CanvasAuthorizationState(tenantId, personId, canvasUserId, HashBinding(browserBinding), timeProvider.GetUtcNow() + Lifetime)));

    /// <returns>Null when the state is missing, altered, sealed by someone else, or expired.</returns>
    public CanvasAuthorizationState? Open(string? sealedState)
    {
        if (string.IsNullOrEmpty(sealedState))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<CanvasAuthorizationState>(_protector.Unprotect(sealedState));
            return state is not null && timeProvider.GetUtcNow() < state.ExpiresAt ? state : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="browserBinding"/> (the cookie of the browser that came back) is the one the state was made for.</summary>
    public static bool IsBoundTo(CanvasAuthorizationState state, string? browserBinding) =>
        !string.IsNullOrEmpty(browserBinding)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(state.BindingHash), Encoding.ASCII.GetBytes(HashBinding(browserBinding)));

    private static string HashBinding(string browserBinding) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(browserBinding)));
}
