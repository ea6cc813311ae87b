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

    /// <summary>Separates the derived key from any other use of the same key material.</summary>
    private static readonly byte[] SelfKeyInfo = "LtiMicroCred.Lti.ToolKeys.SelfIssued.v1"u8.ToArray();

    /// <summary>A self-issued token's kid names its tool key without being mistaken for the published RSA key.</summary>
    private const string SelfKeyIdSuffix = ".self";
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

    /// <summary>
    /// Credentials for a token the tool issues to itself and only it checks (a browser session token): HMAC-SHA256
    /// with a key derived by HKDF from the current key's private part. Nobody outside needs to verify such a token,
    /// so it does not need an RSA signature (about 0.2 ms of CPU each); the derived key lives and rotates with the
    /// tool key, so it is as shared between nodes and as protected at rest as the RSA key is.
    /// </summary>
    public async Task<SigningCredentials> GetSelfSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.SelfSigning;
    }

    /// <summary>The derived keys of the current, next and recently retired keys, to check self-issued tokens.</summary>
    public async Task<IReadOnlyList<SecurityKey>> GetSelfValidationKeysAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.SelfValidation;
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
            var valid = keys
                .Where(k => k.Status != ToolKeyStatus.Retired || k.KeepPublished || k.RetiredAt >= now - options.Value.RetiredToolKeyGracePeriod)
                .OrderBy(k => k.Status == ToolKeyStatus.Current ? 0 : k.Status == ToolKeyStatus.Next ? 1 : 2)
                .ToList();
            var published = valid.Select(k => new JsonWebKey(k.PublicJwk)).ToList();
            var currentPrivate = _protector.Unprotect(Convert.FromBase64String(current.ProtectedPrivateKey));
            var signing = new SigningCredentials(LoadPrivateKey(current.Kid, currentPrivate), SecurityAlgorithms.RsaSha256);
            var selfSigning = new SigningCredentials(DeriveSelfKey(current.Kid, currentPrivate), SecurityAlgorithms.HmacSha256);
            var selfValidation = valid
                .Where(k => k.Status != ToolKeyStatus.Retired || k.RetiredAt >= now - options.Value.RetiredToolKeyGracePeriod)
                .Select(k => (SecurityKey)DeriveSelfKey(k.Kid, _protector.Unprotect(Convert.FromBase64String(k.ProtectedPrivateKey))))
                .ToList();
            snapshot = new Snapshot(signing, published, selfSigning, selfValidation, now + CacheLifetime);
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

    private static RsaSecurityKey LoadPrivateKey(string kid, byte[] pkcs8)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }

    private static SymmetricSecurityKey DeriveSelfKey(string kid, byte[] pkcs8) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, pkcs8, 32, salt: [], info: SelfKeyInfo)) { KeyId = kid + SelfKeyIdSuffix };

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the {Which} tool key")]
    private static partial void LogKeyCreated(ILogger logger, string which);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated tool keys; key {Kid} now signs")]
    private static partial void LogRotated(ILogger logger, string kid);

    private sealed record Snapshot(
        SigningCredentials Signing,
        IReadOnlyList<JsonWebKey> Published,
        SigningCredentials SelfSigning,
        IReadOnlyList<SecurityKey> SelfValidation,
        DateTimeOffset ExpiresAt);
}
