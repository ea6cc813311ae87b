using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RestSharp;

namespace LtiMicroCred.Canvas.Http;

/// <summary>How the client reads a Canvas answer: rate limited, worth retrying, or a token Canvas no longer accepts.</summary>
internal static class ResponseKinds
{
    /// <summary>
    /// Canvas's throttle answers 403 with the plain-text body "403 Forbidden (Rate Limit Exceeded)"; a newer page of its
    /// docs says 429. A 403 with any other body is a real permission refusal and must not be retried.
    /// </summary>
    public static bool IsRateLimited(RestResponse response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || (response.StatusCode == HttpStatusCode.Forbidden
            && response.Content?.Contains("Rate Limit Exceeded", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>No answer at all (connection failure, timeout), or a 5xx that says the server may do better next time.</summary>
    public static bool IsTransient(RestResponse response) =>
        response.StatusCode == 0
            ? response.ResponseStatus is ResponseStatus.Error or ResponseStatus.TimedOut
            : (int)response.StatusCode >= 500
              && response.StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported);

    public static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or IOException or SocketException or TimeoutException;

    /// <summary>
    /// An expired or revoked token gets 401 with a WWW-Authenticate header. Canvas also answers 401 when a valid user
    /// lacks permission, without that header: refreshing would not help then.
    /// </summary>
    public static bool IsTokenRejected(RestResponse response) =>
        response.StatusCode == HttpStatusCode.Unauthorized && Header(response, "WWW-Authenticate") is not null;

    public static string? Header(RestResponse response, string name) =>
        response.Headers?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static IEnumerable<string> Headers(RestResponse response, string name) =>
        response.Headers?.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value) ?? [];

    public static double? Number(RestResponse response, string name) =>
        double.TryParse(Header(response, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
