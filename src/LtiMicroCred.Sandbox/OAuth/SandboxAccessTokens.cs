using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>Which API a token opens: the LTI Advantage services (client_credentials) or the REST API (a person's).</summary>
internal enum SandboxTokenKind
{
    Service,
    Rest,
}

/// <summary>What an access token grants. <paramref name="PersonId"/> is set for REST tokens only.</summary>
internal sealed record SandboxGrant(SandboxTokenKind Kind, string ClientId, IReadOnlySet<string> Scopes, string? PersonId, DateTimeOffset ExpiresAt);

/// <summary>An authorization code waiting to be exchanged at the token endpoint.</summary>
internal sealed record SandboxCodeGrant(string PersonId, string ClientId, string RedirectUri, DateTimeOffset ExpiresAt);

internal sealed record SandboxRefreshGrant(string PersonId, string ClientId);

internal enum SandboxTokenState
{
    Missing,
    Unknown,
    Expired,
    Valid,
}

/// <summary>
/// Opaque access tokens, authorization codes and refresh tokens, in memory. Only their SHA-256 hashes are kept as
/// keys, so a heap dump of the sandbox does not hand out working tokens. Expired access tokens are remembered for a
/// day so that a call with one is told it expired rather than that it is unknown.
/// </summary>
internal sealed class SandboxAccessTokens(TimeProvider timeProvider)
{
    /// <summary>RFC 6749 advises a short code lifetime; ten minutes covers a slow consent click.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan RememberExpired = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, SandboxGrant> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxCodeGrant> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxRefreshGrant> refreshTokens = new(StringComparer.Ordinal);
    private int issued;

    public string Issue(SandboxGrant grant)
    {
        var token = NewSecret();
        accessTokens[Hash(token)] = grant;
        if (Interlocked.Increment(ref issued) % 256 == 0)
        {
            var cutoff = timeProvider.GetUtcNow() - RememberExpired;
            foreach (var (key, old) in accessTokens.Where(kv => kv.Value.ExpiresAt < cutoff).ToList())
            {
                accessTokens.TryRemove(new KeyValuePair<string, SandboxGrant>(key, old));
            }
        }

        return token;
    }

    public (SandboxTokenState State, SandboxGrant? Grant) Find(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (SandboxTokenState.Missing, null);
        }

        if (!accessTokens.TryGetValue(Hash(token), out var grant))
        {
            return (SandboxTokenState.Unknown, null);
        }

        return timeProvider.GetUtcNow() >= grant.ExpiresAt ? (SandboxTokenState.Expired, grant) : (SandboxTokenState.Valid, grant);
    }

    public string IssueCode(string personId, string clientId, string redirectUri)
    {
        var code = NewSecret();
        codes[Hash(code)] = new SandboxCodeGrant(personId, clientId, redirectUri, timeProvider.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Takes a code out for good: a code works once, even when the exchange then fails.</summary>
    public SandboxCodeGrant? RedeemCode(string code) =>
        codes.TryRemove(Hash(code), out var grant) && timeProvider.GetUtcNow() < grant.ExpiresAt ? grant : null;

    public string IssueRefreshToken(string personId, string clientId)
    {
        var token = NewSecret();
        refreshTokens[Hash(token)] = new SandboxRefreshGrant(personId, clientId);
        return token;
    }

    public SandboxRefreshGrant? FindRefreshToken(string token) => refreshTokens.GetValueOrDefault(Hash(token));

    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

/// <summary>
/// Remembers single-use values (client assertion jti, deep linking nonce) until they could no longer be accepted
/// anyway, so a replayed JWT is refused while memory stays bounded.
/// </summary>
internal sealed class SandboxReplayCache(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private int added;

    /// <returns>True the first time <paramref name="key"/> is used before <paramref name="until"/>; false for a replay.</returns>
    public bool TryUse(string key, DateTimeOffset until)
    {
        var now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref added) % 256 == 0)
        {
            foreach (var (old, expiry) in seen.Where(kv => kv.Value < now).ToList())
            {
                seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(old, expiry));
            }
        }

        while (true)
        {
            if (seen.TryAdd(key, until))
            {
                return true;
            }

            if (!seen.TryGetValue(key, out var existing))
            {
                continue;
            }

            // A value whose JWT could no longer validate anyway may be reused; anything else is a replay.
            if (existing >= now || !seen.TryUpdate(key, until, existing))
            {
                return false;
            }

            return true;
        }
    }
}
