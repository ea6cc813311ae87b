using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.Keys;

public enum ToolKeyStatus
{
    /// <summary>Published in the JWKS ahead of use, so platforms have it cached before it signs anything.</summary>
    Next = 0,

    /// <summary>Signs everything the tool sends.</summary>
    Current = 1,

    /// <summary>No longer signs; still published for a grace period so tokens it signed can be checked.</summary>
    Retired = 2,
}

/// <summary>
/// A stored tool key. The private part is encrypted with ASP.NET Data Protection. <see cref="KeepPublished"/>: the key
/// signed something meant to be checked for years (not only short-lived tokens), so once retired it stops signing but
/// stays in the JWKS instead of being deleted after the grace period.
/// </summary>
public sealed record StoredToolKey(
    string Kid,
    ToolKeyStatus Status,
    string PublicJwk,
    string ProtectedPrivateKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt,
    bool KeepPublished = false);

/// <summary>Shared storage of the tool's keys (a database table in the host), so every node signs with the same key.</summary>
public interface IToolKeyStore
{
    Task<IReadOnlyList<StoredToolKey>> ListAsync(CancellationToken cancellationToken);

    Task AddAsync(StoredToolKey key, CancellationToken cancellationToken);

    Task SetStatusAsync(string kid, ToolKeyStatus status, DateTimeOffset? retiredAt, CancellationToken cancellationToken);

    Task DeleteAsync(string kid, CancellationToken cancellationToken);

    /// <summary>Marks the key to stay published after it retires (see <see cref="StoredToolKey.KeepPublished"/>).</summary>
    Task KeepPublishedAsync(string kid, CancellationToken cancellationToken);
}

/// <summary>
/// The tool's RSA key set: the current signing key, the next key (published before use) and recently retired keys.
/// Keys are read through a short in-process cache, so a rotation on one node reaches the others within a minute.
/// </summary>
public sealed partial class ToolKeySet(
    IToolKeyStore store,
    IDataProtectionProvider dataProtection,
    IOptions<LtiOptions> options,
    TimeProvider timeProvider,
    ILogger<ToolKeySet> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LtiMicroCred.Lti.ToolKeys.v1");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _snapshot;

    /// <summary>Creates the current and next keys when none exist (first start).</summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(cancellationToken);
        if (!keys.Any(k => k.Status == ToolKeyStatus.Current))
        {
            await store.AddAsync(CreateKey(ToolKeyStatus.Current), cancellationToken);
            LogKeyCreated(logger, "current");
        }

        if (!keys.Any(k => k.Status == ToolKeyStatus.Next))
        {
            await store.AddAsync(CreateKey(ToolKeyStatus.Next), cancellationToken);
            LogKeyCreated(logger, "next");
        }

        Invalidate();
    }

    /// <summary>
    /// Rotation: the next key becomes current, the current key retires, a new next key is made, and keys retired
    /// longer than the grace period are deleted. Safe to run twice: each run is one full step.
    /// </summary>
    public async Task RotateAsync(CancellationToken cancellationToken)
    {
        await EnsureKeysAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var keys = await store.ListAsync(cancellationToken);
        var next = keys.Where(k => k.Status == ToolKeyStatus.Next).OrderBy(k => k.CreatedAt).First();
        foreach (var current in keys.Where(k => k.Status == ToolKeyStatus.Current))
        {
            await store.SetStatusAsync(current.Kid, ToolKeyStatus.Retired, now, cancellationToken);
        }

        await store.SetStatusAsync(next.Kid, ToolKeyStatus.Current, null, cancellationToken);
        await store.AddAsync(CreateKey(ToolKeyStatus.Next), cancellationToken);

        foreach (var old in keys.Where(k => k.Status == ToolKeyStatus.Retired && !k.KeepPublished && k.RetiredAt < now - options.Value.RetiredToolKeyGracePeriod))
        {
            await store.DeleteAsync(old.Kid, cancellationToken);
        }

        Invalidate();
        LogRotated(logger, next.Kid);
    }

    /// <summary>Credentials of the current key, for signing client assertions, deep linking responses and launch tokens.</summary>
    public async Task<SigningCredentials> GetSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.Signing;
    }

    /// <summary>
    /// Credentials of the current key for a long-lived signature (a document checked for years, not a token checked
    /// within minutes): the key is first marked to stay published after it retires, then returned.
    /// </summary>
    public async Task<SigningCredentials> GetLongLivedSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        await store.KeepPublishedAsync(snapshot.Signing.Key.KeyId, cancellationToken);
        return snapshot.Signing;
    }

    /// <summary>Public keys of the current, next, recently retired and kept retired keys: the tool's JWKS.</summary>
    public async Task<JsonWebKeySet> GetPublicKeySetAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var set = new JsonWebKeySet();
        foreach (var key in snapshot.Published)
        {
            set.Keys.Add(key);
        }

        return set;
    }

    /// <summary>Keys that may have signed a token still in its lifetime (current, next, recently retired).</summary>
    public async Task<IReadOnlyList<SecurityKey>> GetValidationKeysAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.Published;
    }

    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && timeProvider.GetUtcNow() < snapshot.ExpiresAt)
        {
            return snapshot;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && timeProvider.GetUtcNow() < snapshot.ExpiresAt)
            {
                return snapshot;
            }

            var keys = await store.ListAsync(cancellationToken);
            if (!keys.Any(k => k.Status == ToolKeyStatus.Current))
            {
                await EnsureKeysAsync(cancellationToken);
                keys = await store.ListAsync(cancellationToken);
            }

            var now = timeProvider.GetUtcNow();
            var current = keys.Where(k => k.Status == ToolKeyStatus.Current).OrderByDescending(k => k.CreatedAt).First();
            var published = keys
                .Where(k => k.Status != ToolKeyStatus.Retired || k.KeepPublished || k.RetiredAt >= now - options.Value.RetiredToolKeyGracePeriod)
                .OrderBy(k => k.Status == ToolKeyStatus.Current ? 0 : k.Status == ToolKeyStatus.Next ? 1 : 2)
                .Select(k => new JsonWebKey(k.PublicJwk))
                .ToList();
            var signing = new SigningCredentials(LoadPrivateKey(current), SecurityAlgorithms.RsaSha256);
            snapshot = new Snapshot(signing, published, now + CacheLifetime);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private StoredToolKey CreateKey(ToolKeyStatus status)
    {
        using var rsa = RSA.Create(2048);
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var parameters = rsa.ExportParameters(false);
        var publicJwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = JsonWebAlgorithmsKeyTypes.RSA,
            ["kid"] = kid,
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["use"] = "sig",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        });
        var privateKey = _protector.Protect(rsa.ExportPkcs8PrivateKey());
        return new StoredToolKey(kid, status, publicJwk, Convert.ToBase64String(privateKey),
            timeProvider.GetUtcNow(), null);
    }

    private RsaSecurityKey LoadPrivateKey(StoredToolKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey)), out _);
        return new RsaSecurityKey(rsa) { KeyId = key.Kid };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the {Which} tool key")]
    private static partial void LogKeyCreated(ILogger logger, string which);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated tool keys; key {Kid} now signs")]
    private static partial void LogRotated(ILogger logger, string kid);

    private sealed record Snapshot(SigningCredentials Signing, IReadOnlyList<JsonWebKey> Published, DateTimeOffset ExpiresAt);
}
