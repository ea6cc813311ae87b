using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>The tool's key set could not be read, so nothing it signed can be checked.</summary>
internal sealed class SandboxToolKeysUnavailableException(string url, Exception inner)
    : Exception($"The tool's key set at {url} could not be read.", inner);

/// <summary>
/// The tool's public keys, read over HTTP from its JWKS URL like a real LMS reads a developer key's public_jwk_url.
/// Kept for a short while (<see cref="SandboxOptions.ToolJwksCacheLifetime"/>) and read again at once when a JWT names
/// a kid the cache lacks, so a tool that rotates its key is never refused for long. Concurrent misses share one read.
/// </summary>
internal sealed partial class SandboxToolKeySet(
    SandboxLms lms,
    IHttpClientFactory httpClients,
    TimeProvider timeProvider,
    ILogger<SandboxToolKeySet> logger) : IDisposable
{
    public const string HttpClientName = "LtiMicroCred.Sandbox.ToolKeys";

    private readonly SemaphoreSlim reading = new(1, 1);
    private Snapshot? snapshot;

    /// <returns>The RSA key with this kid (or the only key, when the JWT names none), or null when the tool has none.</returns>
    /// <exception cref="SandboxToolKeysUnavailableException">The key set could not be read.</exception>
    public async Task<SecurityKey?> FindAsync(string? kid, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref snapshot);
        if (current is not null && timeProvider.GetUtcNow() < current.ReadAt + lms.Options.ToolJwksCacheLifetime && Find(current, kid) is { } cached)
        {
            return cached;
        }

        await reading.WaitAsync(cancellationToken);
        try
        {
            // Another request may have read the set while this one waited; its answer is as fresh as ours would be.
            var latest = Volatile.Read(ref snapshot);
            if (latest is not null && !ReferenceEquals(latest, current) && Find(latest, kid) is { } fresh)
            {
                return fresh;
            }

            latest = await ReadAsync(cancellationToken);
            Volatile.Write(ref snapshot, latest);
            return Find(latest, kid);
        }
        finally
        {
            reading.Release();
        }
    }

    public void Dispose() => reading.Dispose();

    private static JsonWebKey? Find(Snapshot snapshot, string? kid) =>
        string.IsNullOrEmpty(kid)
            ? (snapshot.Keys.Count == 1 ? snapshot.Keys[0] : null)
            : snapshot.Keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var url = lms.ToolJwksUrl;
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(new Uri(url), cancellationToken);
            // Only RSA signing keys can verify RS256; anything else in the set is left out rather than tried.
            var keys = new JsonWebKeySet(json).Keys
                .Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA && (string.IsNullOrEmpty(k.Use) || k.Use == JsonWebKeyUseNames.Sig))
                .ToList();
            LogRead(logger, url, keys.Count);
            return new Snapshot(keys, timeProvider.GetUtcNow());
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or ArgumentException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            LogReadFailed(logger, url, ex.GetType().Name);
            throw new SandboxToolKeysUnavailableException(url, ex);
        }
    }

    private sealed record Snapshot(IReadOnlyList<JsonWebKey> Keys, DateTimeOffset ReadAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS read the tool's key set at {Url}: {Count} RSA signing keys")]
    private static partial void LogRead(ILogger logger, string url, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox LMS could not read the tool's key set at {Url} ({Error})")]
    private static partial void LogReadFailed(ILogger logger, string url, string error);
}
