using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.Keys;

/// <summary>
/// Platforms' public keys, fetched from their JWKS URLs and kept per process (they are public, so no node needs to
/// share them). An unknown kid refreshes the set once, but not more often than the configured minimum interval, so a
/// stream of forged kids cannot turn the tool into a load generator against the platform.
/// </summary>
public sealed partial class PlatformKeyCache(
    IHttpClientFactory httpClientFactory,
    IOptions<LtiOptions> options,
    TimeProvider timeProvider,
    ILogger<PlatformKeyCache> logger)
{
    public const string HttpClientName = "lti-platform-keys";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The key with this kid, or null when the platform does not publish it even after a refresh.</summary>
    /// <exception cref="PlatformKeysUnavailableException">The JWKS could not be fetched or parsed.</exception>
    public async Task<SecurityKey?> FindKeyAsync(string jwksUrl, string kid, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(jwksUrl, _ => new Entry());
        var settings = options.Value;

        var keys = entry.Keys;
        var now = timeProvider.GetUtcNow();
        var fresh = keys is not null && now - entry.FetchedAt < settings.PlatformKeysCacheDuration;
        if (fresh && Find(keys!, kid) is { } cached)
        {
            return cached;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited.
            now = timeProvider.GetUtcNow();
            var stale = entry.Keys is null || now - entry.FetchedAt >= settings.PlatformKeysCacheDuration;
            var mayRefresh = stale || now - entry.FetchedAt >= settings.PlatformKeysMinimumRefreshInterval;
            if (entry.Keys is not null && Find(entry.Keys, kid) is { } found && !stale)
            {
                return found;
            }

            if (mayRefresh)
            {
                entry.Keys = await FetchAsync(jwksUrl, cancellationToken);
                entry.FetchedAt = timeProvider.GetUtcNow();
                LogFetched(logger, jwksUrl, entry.Keys.Count);
            }

            return entry.Keys is null ? null : Find(entry.Keys, kid);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private static JsonWebKey? Find(IReadOnlyList<JsonWebKey> keys, string kid) =>
        keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    private async Task<IReadOnlyList<JsonWebKey>> FetchAsync(string jwksUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(new Uri(jwksUrl), cancellationToken);
            var set = new JsonWebKeySet(json);
            return set.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA && (string.IsNullOrEmpty(k.Use) || k.Use == "sig")).ToList();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(logger, jwksUrl, ex.GetType().Name);
            throw new PlatformKeysUnavailableException(jwksUrl, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched platform keys from {JwksUrl}: {Count} signing keys")]
    private static partial void LogFetched(ILogger logger, string jwksUrl, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch platform keys from {JwksUrl}: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string jwksUrl, string error);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<JsonWebKey>? Keys { get; set; }

        public DateTimeOffset FetchedAt { get; set; }
    }
}

public sealed class PlatformKeysUnavailableException(string jwksUrl, Exception inner)
    : Exception($"The platform keys at {jwksUrl} could not be fetched.", inner);
