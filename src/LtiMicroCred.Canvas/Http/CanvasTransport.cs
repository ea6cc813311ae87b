using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RestSharp;

namespace LtiMicroCred.Canvas.Http;

/// <summary>
/// Everything one Canvas host needs to be called politely, in one place: a long-lived RestSharp client on its own
/// connection pool, a limit on requests in flight, the rate-limit estimate, and a single Polly pipeline that retries
/// rate-limit refusals and transient failures. Delays go through the <see cref="TimeProvider"/>, so tests run on a fake
/// clock; only network timeouts use real time, since they measure the network.
/// </summary>
internal sealed class CanvasTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<CanvasCall> CallKey = new("LtiMicroCred.Canvas.Call");

    private readonly RestClient _rest;
    private readonly ResiliencePipeline<RestResponse> _pipeline;
    private readonly SemaphoreSlim _slots;
    private readonly RateLimitGate _gate;
    private readonly CanvasClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CanvasTransport(Uri baseUrl, CanvasClientOptions options, TimeProvider time, ILogger logger)
    {
        BaseUrl = baseUrl;
        _options = options;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConcurrencyPerHost, options.MaxConcurrencyPerHost);
        _gate = new RateLimitGate(options, time);

        // Redirects are followed by hand (only file downloads meet them), so each hop decides for itself whether the
        // bearer token may go along. Pooled connections are recycled so a Canvas DNS change is picked up.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _rest = new RestClient(
            http,
            new RestClientOptions(baseUrl)
            {
                FollowRedirects = false,
                Timeout = options.RequestTimeout,
                ThrowOnAnyError = false,
                SetErrorExceptionOnUnsuccessfulStatusCode = false,
                UserAgent = options.UserAgent,
            },
            disposeHttpClient: true);
        _pipeline = BuildPipeline();
    }

    /// <summary>The Canvas base URL, ending in a slash so relative API paths resolve under any path prefix.</summary>
    public Uri BaseUrl { get; }

    public string Host => BaseUrl.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    public bool IsCanvasOrigin(Uri url) => CanvasHost.IsSameOrigin(url, BaseUrl);

    /// <summary>
    /// The path to show in logs and exceptions: the path on the Canvas host, or only the host for any other (file-store
    /// paths can hold student file names).
    /// </summary>
    public string DescribePath(Uri url) => IsCanvasOrigin(url) ? url.AbsolutePath : "/...";

    public static string DescribeHost(Uri url) => url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>
    /// Runs the call through the pipeline and returns Canvas's answer, whatever its status. Throws
    /// <see cref="CanvasConnectionException"/> when no answer came back, and <see cref="OperationCanceledException"/>
    /// when the caller cancelled.
    /// </summary>
    public async Task<RestResponse> SendAsync(CanvasCall call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        RestResponse response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Transport.AttemptAsync(state.Call, ctx.CancellationToken),
                context,
                (Transport: this, Call: call));
        }
        catch (Exception ex) when (ResponseKinds.IsTransient(ex))
        {
            throw new CanvasConnectionException(call.MethodName, DescribePath(call.Target),
                $"No complete answer from {DescribeHost(call.Target)} for {call.MethodName} {DescribePath(call.Target)} ({ex.GetType().Name}).", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (response.StatusCode != 0)
        {
            return response;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failure = response.ResponseStatus == ResponseStatus.TimedOut ? "timed out" : "failed without an answer";
        throw new CanvasConnectionException(call.MethodName, DescribePath(call.Target),
            $"{call.MethodName} {DescribePath(call.Target)} on {DescribeHost(call.Target)} {failure}.", response.ErrorException);
    }

    public CanvasApiException Failure(CanvasCall call, RestResponse response) =>
        new(call.MethodName, DescribePath(call.Target), response.StatusCode,
            CanvasErrorMessage.Read(response.Content, response.ContentType), ResponseKinds.IsRateLimited(response));

    /// <summary>Reads a successful JSON answer; anything else becomes the matching exception.</summary>
    public T Read<T>(CanvasCall call, RestResponse response, JsonTypeInfo<T> typeInfo)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(call, response);
        }

        try
        {
            return JsonSerializer.Deserialize(response.RawBytes ?? [], typeInfo)
                ?? throw new JsonException("The body was JSON null.");
        }
        catch (JsonException ex)
        {
            // The JsonException names the position, never the values, so it can travel as the inner exception.
            throw new CanvasException(call.MethodName, DescribePath(call.Target),
                $"Canvas answered {call.MethodName} {DescribePath(call.Target)} with a body this client cannot read.", ex);
        }
    }

    public void Dispose()
    {
        _rest.Dispose();
        _slots.Dispose();
    }

    private async ValueTask<RestResponse> AttemptAsync(CanvasCall call, CancellationToken cancellationToken)
    {
        var host = DescribeHost(call.Target);
        var path = DescribePath(call.Target);
        var wait = _gate.DelayBeforeNextRequest(out var remaining);
        if (wait > TimeSpan.Zero)
        {
            var rounded = Math.Round(remaining, 2);
            var delayMs = (long)wait.TotalMilliseconds;
            CanvasLog.SlowingDown(_logger, host, rounded, delayMs, call.MethodName, path);

            await Task.Delay(wait, _time, cancellationToken);
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            var request = call.CreateRequest();
            if (call.AccessToken is { } token && IsCanvasOrigin(call.Target))
            {
                request.AddOrUpdateHeader(KnownHeaders.Authorization, "Bearer " + token);
            }

            var started = _time.GetTimestamp();
            var response = await _rest.ExecuteAsync(request, cancellationToken);
            var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode == 0)
            {
                var failure = response.ResponseStatus.ToString();
                CanvasLog.NoAnswer(_logger, call.MethodName, host, path, failure, elapsed);

                return response;
            }

            var cost = ResponseKinds.Number(response, "X-Request-Cost");
            var left = ResponseKinds.Number(response, "X-Rate-Limit-Remaining");
            if (IsCanvasOrigin(call.Target))
            {
                _gate.Observe(left, cost);
            }

            CanvasLog.Answered(_logger, call.MethodName, host, path, (int)response.StatusCode, elapsed, cost, left);

            return response;
        }
        finally
        {
            _slots.Release();
        }
    }

    private ResiliencePipeline<RestResponse> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<RestResponse> { TimeProvider = _time };
        var retries = Math.Max(_options.ThrottleRetries, _options.TransientRetries);
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RestResponse>
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context)),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var host = DescribeHost(call.Target);
                    var path = DescribePath(call.Target);
                    var reason = Reason(args.Outcome);
                    var delayMs = (long)args.RetryDelay.TotalMilliseconds;
                    CanvasLog.Retrying(_logger, call.MethodName, host, path, reason, args.AttemptNumber + 1, delayMs);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    // Rate-limit refusals and transient failures have separate budgets inside the one retry strategy;
    // AttemptNumber counts from 0 for the first attempt's outcome.
    private bool ShouldRetry(Outcome<RestResponse> outcome, int attemptNumber, ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallKey, null!);
        if (outcome.Exception is { } exception)
        {
            return call.Idempotent && ResponseKinds.IsTransient(exception) && attemptNumber < _options.TransientRetries;
        }

        var response = outcome.Result!;
        if (ResponseKinds.IsRateLimited(response))
        {
            return attemptNumber < _options.ThrottleRetries;
        }

        return call.Idempotent && ResponseKinds.IsTransient(response) && attemptNumber < _options.TransientRetries;
    }

    private static string Reason(Outcome<RestResponse> outcome) =>
        outcome.Exception is { } exception ? exception.GetType().Name
        : outcome.Result!.StatusCode == 0 ? outcome.Result.ResponseStatus.ToString()
        : ResponseKinds.IsRateLimited(outcome.Result) ? $"{(int)outcome.Result.StatusCode} rate limited"
        : ((int)outcome.Result.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
