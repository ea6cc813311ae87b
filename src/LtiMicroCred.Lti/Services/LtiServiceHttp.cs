using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LtiMicroCred.Lti.Http;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Lti.Services;

/// <summary>
/// The one way the service clients talk to a platform: a bearer token for the scopes the call needs (a 401 gets one
/// fresh token and one more try), a bounded number of calls in flight per platform, a pause when the platform's rate
/// limit runs low, the platform's errors as <see cref="LtiServiceException"/>, and Link-header paging. Retries of
/// throttled, failed and unreachable calls happen in the HttpClient's single resilience handler (see AddLti).
/// </summary>
public sealed partial class LtiServiceHttp(
    IHttpClientFactory httpClients,
    ServiceTokenProvider tokens,
    IOptions<LtiOptions> options,
    TimeProvider timeProvider,
    ILogger<LtiServiceHttp> logger)
{
    public const string HttpClientName = "lti-services";

    /// <summary>Request option that marks a POST as safe to send twice (a score with its timestamp is).</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("LtiMicroCred.Idempotent");

    /// <summary>What a refused DELETE reports, since Canvas gives no reason in the body when the line item is coupled.</summary>
    public const string CoupledDeleteMessage =
        "Canvas does not let a tool delete the line item of an assignment (a coupled line item); delete the assignment in Canvas instead.";

    private readonly ConcurrentDictionary<Guid, PlatformGovernor> governors = new();

    /// <summary>Sends one request and returns the response body (empty for 204), or throws <see cref="LtiServiceException"/>.</summary>
    public async Task<ServiceResponse> SendAsync(LtiPlatform platform, IReadOnlyCollection<string> scopes, ServiceRequest request, CancellationToken cancellationToken)
    {
        var governor = governors.GetOrAdd(platform.Id, _ => new PlatformGovernor(options.Value.ServiceConcurrencyPerPlatform));
        await governor.Slots.WaitAsync(cancellationToken);
        try
        {
            await governor.WaitUntilAsync(timeProvider, cancellationToken);
            var token = await tokens.GetTokenAsync(platform, scopes, cancellationToken);
            var response = await SendOnceAsync(platform, request, token, governor, cancellationToken);
            if (response.Status == HttpStatusCode.Unauthorized)
            {
                // The token may have been revoked or expired early: one fresh token, one more try.
                await tokens.InvalidateAsync(platform, scopes, token, cancellationToken);
                token = await tokens.GetTokenAsync(platform, scopes, cancellationToken);
                response = await SendOnceAsync(platform, request, token, governor, cancellationToken);
            }

            if (IsRefusedDelete(request, response))
            {
                throw new LtiServiceException(LtiServiceErrorKind.Refused, response.Status, request.Method.Method, WithoutQuery(request.Url), CoupledDeleteMessage);
            }

            return response.Status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices ? response : throw ToException(request, response);
        }
        finally
        {
            governor.Slots.Release();
        }
    }

    /// <summary>Every item of a paged container, following the platform's Link rel="next" URLs as they are.</summary>
    public async IAsyncEnumerable<T> PagesAsync<T>(
        LtiPlatform platform,
        IReadOnlyCollection<string> scopes,
        string firstUrl,
        string accept,
        Func<string, IEnumerable<T>> readPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var url = firstUrl; url is not null;)
        {
            if (!seen.Add(url))
            {
                // A platform that links a page to itself would otherwise keep the tool busy forever.
                throw new LtiServiceException(LtiServiceErrorKind.InvalidResponse, null, "GET", WithoutQuery(url), "The next page link points back to a page already read.");
            }

            var response = await SendAsync(platform, scopes, ServiceRequest.Get(url, accept), cancellationToken);
            foreach (var item in ReadOrThrow(response, url, readPage))
            {
                yield return item;
            }

            url = response.NextPageUrl;
        }
    }

    public static T ReadJson<T>(ServiceResponse response, string url) =>
        ReadOrThrow(response, url, body => JsonSerializer.Deserialize<T>(body, LtiJson.Options) ?? throw new JsonException("null"));

    internal static string WithoutQuery(string url)
    {
        var cut = url.IndexOfAny(['?', '#']);
        return cut < 0 ? url : url[..cut];
    }

    /// <summary>
    /// A DELETE that a fresh token did not help and that came back without Canvas's error object: Canvas's bare
    /// <c>head :unauthorized</c> for a line item coupled to an assignment. A real credential problem carries
    /// <c>{"errors":{"type":"unauthorized","message":...}}</c> and stays <see cref="LtiServiceErrorKind.Unauthorized"/>.
    /// </summary>
    internal static bool IsRefusedDelete(ServiceRequest request, ServiceResponse response) =>
        response.Status == HttpStatusCode.Unauthorized && request.Method == HttpMethod.Delete && string.IsNullOrWhiteSpace(response.Body);

    internal static bool IsThrottled(HttpStatusCode status, string body) =>
        status == HttpStatusCode.TooManyRequests
        || (status == HttpStatusCode.Forbidden && body.Contains("Rate Limit Exceeded", StringComparison.OrdinalIgnoreCase));

    /// <summary>The platform's own words from an error body: Canvas's {"errors":{"message"}} and {"errors":[{"message"}]}, or plain text.</summary>
    internal static string? PlatformMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var messages = new List<string>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors))
            {
                if (errors.ValueKind == JsonValueKind.String)
                {
                    messages.Add(errors.GetString()!);
                }
                else if (errors.ValueKind == JsonValueKind.Array)
                {
                    messages.AddRange(errors.EnumerateArray().Select(Message).OfType<string>());
                }
                else if (Message(errors) is { } one)
                {
                    messages.Add(one);
                }
            }
            else if (Message(root) is { } direct)
            {
                messages.Add(direct);
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                // Canvas renders a bad request as {"error": "..."}.
                messages.Add(error.GetString()!);
            }

            return messages.Count > 0 ? string.Join("; ", messages) : null;
        }
        catch (JsonException)
        {
            // Plain text (Canvas's throttling reply): short enough to show, never a whole HTML page.
            var text = body.Trim();
            return text.StartsWith('<') ? null : text.Length > 200 ? text[..200] : text;
        }

        static string? Message(JsonElement e) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
    }

    private static T ReadOrThrow<T>(ServiceResponse response, string url, Func<string, T> read)
    {
        if (response.MediaType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new LtiServiceException(LtiServiceErrorKind.InvalidResponse, response.Status, "GET", WithoutQuery(url), $"Expected JSON, got {type}.");
        }

        try
        {
            return read(response.Body);
        }
        catch (JsonException e)
        {
            throw new LtiServiceException(LtiServiceErrorKind.InvalidResponse, response.Status, "GET", WithoutQuery(url), "The body is not the JSON the specification describes.", e);
        }
    }

    private async Task<ServiceResponse> SendOnceAsync(
        LtiPlatform platform, ServiceRequest request, ServiceAccessToken token, PlatformGovernor governor, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        message.Headers.Accept.ParseAdd(request.Accept);
        if (request.Body is { } body)
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            // The media type alone: some platforms refuse the charset parameter on vendor types.
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType!);
        }

        message.Options.Set(Idempotent, request.IsIdempotent);
        var url = WithoutQuery(request.Url);
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException
            && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, platform.Issuer, request.Method.Method, url);
            throw new LtiServiceException(LtiServiceErrorKind.Unavailable, null, request.Method.Method, url, null, e);
        }

        using (response)
        {
            governor.Observe(response, options.Value, timeProvider);
            var text = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
            LogCall(logger, platform.Issuer, request.Method.Method, url, (int)response.StatusCode);
            return new ServiceResponse(
                response.StatusCode,
                response.Content?.Headers.ContentType?.MediaType,
                text,
                LinkHeader.Parse(response.Headers.TryGetValues("Link", out var links) ? links : null).Next?.OriginalString);
        }
    }

    private static LtiServiceException ToException(ServiceRequest request, ServiceResponse response)
    {
        var status = response.Status;
        var kind = status switch
        {
            HttpStatusCode.Unauthorized => LtiServiceErrorKind.Unauthorized,
            HttpStatusCode.NotFound or HttpStatusCode.Gone => LtiServiceErrorKind.NotFound,
            _ when IsThrottled(status, response.Body) => LtiServiceErrorKind.Throttled,
            >= HttpStatusCode.InternalServerError => LtiServiceErrorKind.Unavailable,
            _ => LtiServiceErrorKind.Refused,
        };
        return new LtiServiceException(kind, status, request.Method.Method, WithoutQuery(request.Url), PlatformMessage(response.Body));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Issuer}: {Method} {Url} answered {Status}")]
    private static partial void LogCall(ILogger logger, string issuer, string method, string url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issuer}: {Method} {Url} could not be reached")]
    private static partial void LogUnreachable(ILogger logger, string issuer, string method, string url);

    /// <summary>Per platform: how many calls may be in flight, and until when to hold off because its rate limit ran low.</summary>
    private sealed class PlatformGovernor(int concurrency)
    {
        private long pauseUntilTicks;

        public SemaphoreSlim Slots { get; } = new(concurrency, concurrency);

        public async Task WaitUntilAsync(TimeProvider clock, CancellationToken cancellationToken)
        {
            var wait = new DateTimeOffset(Interlocked.Read(ref pauseUntilTicks), TimeSpan.Zero) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }
        }

        public void Observe(HttpResponseMessage response, LtiOptions options, TimeProvider clock)
        {
            // Canvas sends what is left of its leaky bucket; it drains at about 10 units a second.
            if (!response.Headers.TryGetValues("X-Rate-Limit-Remaining", out var values)
                || !double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var remaining)
                || remaining >= options.ServiceRateLimitLowWater)
            {
                return;
            }

            var pause = TimeSpan.FromSeconds(Math.Min((options.ServiceRateLimitLowWater - remaining) / 10.0, options.ServiceMaxRatePause.TotalSeconds));
            Interlocked.Exchange(ref pauseUntilTicks, (clock.GetUtcNow() + pause).UtcTicks);
        }
    }
}

/// <summary>One call to a service.</summary>
public sealed record ServiceRequest(HttpMethod Method, string Url, string Accept, string? Body = null, string? ContentType = null, bool IsIdempotent = true)
{
    public static ServiceRequest Get(string url, string accept) => new(HttpMethod.Get, url, accept);
}

/// <summary>What a service answered: status, media type, body, and the next page when the answer is one page of several.</summary>
public sealed record ServiceResponse(HttpStatusCode Status, string? MediaType, string Body, string? NextPageUrl);
