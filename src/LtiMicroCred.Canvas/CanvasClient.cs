using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Canvas.Files;
using LtiMicroCred.Canvas.Http;
using LtiMicroCred.Lti.Http;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace LtiMicroCred.Canvas;

/// <summary>
/// The client for one Canvas host, long-lived and shared by every user and job that talks to that host (get it from
/// <see cref="ICanvasClientRegistry"/>). It owns the host's connection pool, concurrency limit, rate-limit estimate and
/// resilience pipeline; <see cref="ForUser"/> gives the REST API as one user, <see cref="OAuth"/> the token flow.
/// </summary>
public sealed class CanvasClient : IDisposable
{
    private readonly CanvasTransport _transport;
    private readonly ICanvasUserTokenSource _tokens;
    private readonly TokenRefreshes _refreshes;
    private readonly CanvasClientOptions _options;
    private readonly ILogger _logger;

    internal CanvasClient(Uri baseUrl, CanvasClientOptions options, ICanvasUserTokenSource tokens, TimeProvider time, ILogger logger)
    {
        BaseUrl = CheckBaseUrl(baseUrl, options);
        _options = options;
        _tokens = tokens;
        _logger = logger;
        _refreshes = new TokenRefreshes(tokens);
        _transport = new CanvasTransport(new Uri(BaseUrl + "/"), options, time, logger);
        OAuth = new CanvasOAuthClient(this, time);
    }

    /// <summary>The normalized base URL (see <see cref="CanvasHost.Normalize(Uri)"/>), e.g. <c>http://localhost:5000/sandbox</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The developer-key OAuth2 flow against this host: authorize URL, code exchange, refresh.</summary>
    public CanvasOAuthClient OAuth { get; }

    internal CanvasTransport Transport => _transport;

    internal CanvasClientOptions Options => _options;

    /// <summary>The REST API as one user, whose tokens come from the <see cref="ICanvasUserTokenSource"/>. Cheap: make one per use.</summary>
    public CanvasUserClient ForUser(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new CanvasUserClient(this, new CanvasUserKey(BaseUrl, userId));
    }

    public void Dispose() => _transport.Dispose();

    /// <summary>
    /// The normalized base URL, or an exception when tokens could not be sent there safely: plain http is accepted only
    /// for loopback (the development sandbox) unless <see cref="CanvasClientOptions.AllowInsecureHttp"/> says otherwise.
    /// </summary>
    internal static string CheckBaseUrl(Uri baseUrl, CanvasClientOptions options)
    {
        var normalized = CanvasHost.Normalize(baseUrl);
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !baseUrl.IsLoopback && !options.AllowInsecureHttp)
        {
            throw new ArgumentException(
                $"Canvas at '{normalized}' is plain http: bearer tokens would cross the network unencrypted. Use https, or set {CanvasClientOptions.SectionName}:AllowInsecureHttp for a test host.",
                nameof(baseUrl));
        }

        return normalized;
    }

    internal Uri Api(string relativePath) => new(_transport.BaseUrl, relativePath);

    /// <summary>
    /// Sends a call with the user's token; when Canvas says the token is no longer good, refreshes it once and sends the
    /// call once more. Returns the answer whatever its status.
    /// </summary>
    internal async Task<(CanvasCall Call, RestResponse Response)> SendAsUserAsync(CanvasUserKey user, CanvasCall call, CancellationToken cancellationToken)
    {
        if (!_transport.IsCanvasOrigin(call.Target))
        {
            return (call, await _transport.SendAsync(call, cancellationToken));
        }

        var token = await _tokens.GetAccessTokenAsync(user, cancellationToken);
        call = call with { AccessToken = token };
        var response = await _transport.SendAsync(call, cancellationToken);
        if (!ResponseKinds.IsTokenRejected(response))
        {
            return (call, response);
        }

        var path = _transport.DescribePath(call.Target);
        CanvasLog.TokenRejected(_logger, call.MethodName, _transport.Host, path);
        var fresh = await _refreshes.RefreshAsync(user, token, cancellationToken);
        call = call with { AccessToken = fresh };
        return (call, await _transport.SendAsync(call, cancellationToken));
    }

    internal async Task<T> SendForJsonAsync<T>(CanvasUserKey user, CanvasCall call, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var (sent, response) = await SendAsUserAsync(user, call, cancellationToken);
        return _transport.Read(sent, response, typeInfo);
    }

    /// <summary>
    /// Streams a list page by page: <c>per_page</c> on the first request, then the <c>rel="next"</c> link exactly as
    /// Canvas sent it, until there is none. Only one page is held at a time. A next link to another host is refused
    /// rather than followed with the user's token.
    /// </summary>
    internal async IAsyncEnumerable<T> PageAsync<T>(
        CanvasUserKey user,
        Uri firstPage,
        Action<RestRequest>? firstPageQuery,
        JsonTypeInfo<List<T>> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pageSize = _options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var call = new CanvasCall(Method.Get, firstPage, r =>
        {
            firstPageQuery?.Invoke(r);
            r.AddQueryParameter("per_page", pageSize);
            r.AddHeader(KnownHeaders.Accept, "application/json");
        }, Idempotent: true, AccessToken: null);

        while (true)
        {
            var (items, next) = await FetchPageAsync(user, call, typeInfo, cancellationToken);
            foreach (var item in items)
            {
                yield return item;
            }

            if (next is null)
            {
                yield break;
            }

            if (!_transport.IsCanvasOrigin(next))
            {
                throw new CanvasException(call.MethodName, _transport.DescribePath(call.Target),
                    $"Canvas sent a next-page link to another host ({CanvasTransport.DescribeHost(next)}); it was not followed, so the user's token stays with Canvas.");
            }

            call = new CanvasCall(Method.Get, next, r => r.AddHeader(KnownHeaders.Accept, "application/json"), Idempotent: true, AccessToken: null);
        }
    }

    private async Task<(List<T> Items, Uri? Next)> FetchPageAsync<T>(CanvasUserKey user, CanvasCall call, JsonTypeInfo<List<T>> typeInfo, CancellationToken cancellationToken)
    {
        var (sent, response) = await SendAsUserAsync(user, call, cancellationToken);
        var items = _transport.Read(sent, response, typeInfo);
        var next = LinkHeader.Parse(ResponseKinds.Headers(response, "Link")).Next;
        if (next is not null && response.ResponseUri is { } current && next == current)
        {
            throw new CanvasException(sent.MethodName, _transport.DescribePath(sent.Target), "Canvas sent a next-page link to the page it had just sent.");
        }

        return (items, next);
    }

    /// <summary>
    /// Downloads a file, following redirects by hand: the bearer token goes only to the Canvas host itself, never to the
    /// file store the download is redirected to, and an https page is never followed to http.
    /// </summary>
    internal async Task<CanvasDownload> DownloadAsync(CanvasUserKey user, Uri url, DownloadSink sink, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("A file URL must be an absolute http(s) URL.", nameof(url));
        }

        try
        {
            return await FollowDownloadAsync(user, url, sink, cancellationToken);
        }
        catch
        {
            // Whatever went wrong, a seekable destination gets back exactly what it held before.
            sink.Discard();
            throw;
        }
    }

    private async Task<CanvasDownload> FollowDownloadAsync(CanvasUserKey user, Uri url, DownloadSink sink, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DownloadTimeout);
        var current = url;
        for (var hop = 0; ; hop++)
        {
            var call = new CanvasCall(Method.Get, current, r => DownloadAttempt.Attach(r, sink), Idempotent: true, AccessToken: null);
            RestResponse response;
            try
            {
                (call, response) = await SendAsUserAsync(user, call, timeout.Token);
            }
            catch (DownloadRefusedException refused)
            {
                var refusedHost = CanvasTransport.DescribeHost(current);
                CanvasLog.FileTooLarge(_logger, refusedHost, sink.LimitBytes);
                throw new CanvasFileTooLargeException(call.MethodName, _transport.DescribePath(current), sink.LimitBytes, refused.DeclaredLength);
            }
            catch (DownloadNotRestartableException ex)
            {
                throw new CanvasConnectionException(call.MethodName, _transport.DescribePath(current),
                    $"The download from {CanvasTransport.DescribeHost(current)} broke off, and the destination stream cannot seek back to retry it.", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CanvasConnectionException(call.MethodName, _transport.DescribePath(current),
                    $"The download from {CanvasTransport.DescribeHost(current)} took longer than {_options.DownloadTimeout}.");
            }

            if (response.IsSuccessStatusCode)
            {
                return new CanvasDownload(sink.Written, sink.Sha256Hex(), response.ContentType);
            }

            if (!Redirects.IsRedirect(response.StatusCode))
            {
                throw _transport.Failure(call, response);
            }

            if (hop >= _options.MaxDownloadRedirects || ResponseKinds.Header(response, "Location") is not { } location)
            {
                throw new CanvasException(call.MethodName, _transport.DescribePath(current),
                    $"The download from {CanvasTransport.DescribeHost(current)} redirected more than {_options.MaxDownloadRedirects} times or without a Location.");
            }

            var target = new Uri(current, location);
            if (current.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
            {
                throw new CanvasException(call.MethodName, _transport.DescribePath(current), "The download was redirected from https to an insecure address; it was not followed.");
            }

            var fromHost = CanvasTransport.DescribeHost(current);
            var toHost = CanvasTransport.DescribeHost(target);
            CanvasLog.Redirected(_logger, fromHost, toHost);
            current = target;
        }
    }
}
