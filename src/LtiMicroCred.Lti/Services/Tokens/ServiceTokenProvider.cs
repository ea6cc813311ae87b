using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Platforms;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.Services.Tokens;

/// <summary>An access token a platform granted the tool for its services.</summary>
public sealed record ServiceAccessToken(string AccessToken, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

/// <summary>
/// Where service tokens are kept between calls. The host keeps them where every node sees them (the database), so a
/// cluster asks the platform for one token per scope set, not one per node.
/// </summary>
public interface IServiceTokenCache
{
    Task<ServiceAccessToken?> GetAsync(Guid platformId, string scopeKey, CancellationToken cancellationToken);

    Task SetAsync(Guid platformId, string scopeKey, ServiceAccessToken token, CancellationToken cancellationToken);

    /// <summary>Forgets the token, but only if it is still <paramref name="accessToken"/> (another node may have replaced it).</summary>
    Task RemoveAsync(Guid platformId, string scopeKey, string accessToken, CancellationToken cancellationToken);
}

/// <summary>
/// OAuth2 client credentials with a signed JWT client assertion (the LTI Security Framework): the tool proves who it is
/// with its own key, and the platform answers with a bearer token for the scopes it grants. Tokens are reused until
/// shortly before they expire; on each node only one request for a given platform and scope set is in flight at a time.
/// </summary>
public sealed partial class ServiceTokenProvider(
    IHttpClientFactory httpClients,
    ToolKeySet toolKeys,
    IServiceTokenCache cache,
    TimeProvider timeProvider,
    ILogger<ServiceTokenProvider> logger)
{
    public const string HttpClientName = "lti-service-tokens";

    /// <summary>A token this close to its expiry is not handed out: the call it is for may take a while.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(5);
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> inFlight = new(StringComparer.Ordinal);

    public static string ScopeKey(IEnumerable<string> scopes) => string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public async Task<ServiceAccessToken> GetTokenAsync(LtiPlatform platform, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var key = ScopeKey(scopes);
        if (await FreshAsync(platform.Id, key, cancellationToken) is { } cached)
        {
            return cached;
        }

        var gate = inFlight.GetOrAdd(platform.Id.ToString("N") + " " + key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have fetched it while this one waited.
            if (await FreshAsync(platform.Id, key, cancellationToken) is { } fetched)
            {
                return fetched;
            }

            var token = await RequestAsync(platform, key, cancellationToken);
            await cache.SetAsync(platform.Id, key, token, cancellationToken);
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Called when a service answered 401 to <paramref name="rejected"/>: the next call asks for a new token.</summary>
    public Task InvalidateAsync(LtiPlatform platform, IReadOnlyCollection<string> scopes, ServiceAccessToken rejected, CancellationToken cancellationToken) =>
        cache.RemoveAsync(platform.Id, ScopeKey(scopes), rejected.AccessToken, cancellationToken);

    private async Task<ServiceAccessToken?> FreshAsync(Guid platformId, string key, CancellationToken cancellationToken) =>
        await cache.GetAsync(platformId, key, cancellationToken) is { } token && token.ExpiresAt - RenewBefore > timeProvider.GetUtcNow()
            ? token
            : null;

    private async Task<ServiceAccessToken> RequestAsync(LtiPlatform platform, string scopeKey, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var assertion = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = platform.ClientId,
            Audience = platform.TokenEndpoint,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + AssertionLifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = platform.ClientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = await toolKeys.GetSigningCredentialsAsync(cancellationToken),
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, platform.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
                ["scope"] = scopeKey,
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        var url = LtiServiceHttp.WithoutQuery(platform.TokenEndpoint);

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new LtiServiceException(LtiServiceErrorKind.Unavailable, null, "POST", url, null, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var message = OAuthError(body) ?? LtiServiceHttp.PlatformMessage(body);
                LogRefused(logger, platform.Issuer, (int)response.StatusCode, message);
                var kind = (int)response.StatusCode >= 500 ? LtiServiceErrorKind.Unavailable
                    : LtiServiceHttp.IsThrottled(response.StatusCode, body) ? LtiServiceErrorKind.Throttled
                    : LtiServiceErrorKind.Unauthorized;
                throw new LtiServiceException(kind, response.StatusCode, "POST", url, message);
            }

            var token = Parse(body, scopeKey, now) ?? throw new LtiServiceException(
                LtiServiceErrorKind.InvalidResponse, response.StatusCode, "POST", url, "The token response has no access_token.");
            LogGranted(logger, platform.Issuer, token.Scopes.Count, (int)(token.ExpiresAt - now).TotalSeconds);
            return token;
        }
    }

    private static ServiceAccessToken? Parse(string body, string requested, DateTimeOffset now)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } value)
            {
                return null;
            }

            // expires_in is recommended, not required: without it, assume the common hour.
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 3600;
            var scopes = root.TryGetProperty("scope", out var scope) && scope.GetString() is { Length: > 0 } granted ? granted : requested;
            return new ServiceAccessToken(value, scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), now.AddSeconds(lifetime));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return root.TryGetProperty("error_description", out var description) && description.GetString() is { Length: > 0 } text
                    ? $"{error.GetString()}: {text}"
                    : error.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service token granted by {Issuer} for {ScopeCount} scope(s), valid {Seconds} s")]
    private static partial void LogGranted(ILogger logger, string issuer, int scopeCount, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service token refused by {Issuer} ({Status}): {PlatformMessage}")]
    private static partial void LogRefused(ILogger logger, string issuer, int status, string? platformMessage);
}
