using System.Net;

namespace LtiMicroCred.Lti.Services;

/// <summary>What went wrong when the tool called a platform's service, in terms a caller can act on.</summary>
public enum LtiServiceErrorKind
{
    /// <summary>The platform refused the tool's credentials (token request refused, or a 401 that survived a fresh token).</summary>
    Unauthorized,

    /// <summary>
    /// The platform understood the request and refused it (403 other than throttling, 412, 400, 409, and Canvas's bare
    /// 401 to deleting a line item coupled to an assignment).
    /// </summary>
    Refused,

    NotFound,

    /// <summary>The platform asked the tool to slow down (Canvas's 403 "Rate Limit Exceeded", or 429) and kept doing so.</summary>
    Throttled,

    /// <summary>The platform failed (5xx), or could not be reached, after the retries.</summary>
    Unavailable,

    /// <summary>The platform answered with something the specification does not allow.</summary>
    InvalidResponse,
}

/// <summary>
/// A failed call to an LTI Advantage service. <see cref="PlatformMessage"/> is the platform's own explanation when it
/// gave one; the message never contains a token, and the URL is without its query string.
/// </summary>
public sealed class LtiServiceException : Exception
{
    public LtiServiceException(LtiServiceErrorKind kind, HttpStatusCode? status, string method, string url, string? platformMessage, Exception? inner = null)
        : base(Describe(kind, status, method, url, platformMessage), inner)
    {
        Kind = kind;
        Status = status;
        Method = method;
        Url = url;
        PlatformMessage = platformMessage;
    }

    public LtiServiceErrorKind Kind { get; }

    public HttpStatusCode? Status { get; }

    public string Method { get; }

    /// <summary>The service URL without its query string.</summary>
    public string Url { get; }

    public string? PlatformMessage { get; }

    /// <summary>Whether trying again later may succeed (a job should retry; a page should say "try again later").</summary>
    public bool IsTransient => Kind is LtiServiceErrorKind.Throttled or LtiServiceErrorKind.Unavailable;

    private static string Describe(LtiServiceErrorKind kind, HttpStatusCode? status, string method, string url, string? platformMessage)
    {
        var what = kind switch
        {
            LtiServiceErrorKind.Unauthorized => "The LMS did not accept the tool's credentials",
            LtiServiceErrorKind.Refused => "The LMS refused the request",
            LtiServiceErrorKind.NotFound => "The LMS does not have what was asked for",
            LtiServiceErrorKind.Throttled => "The LMS asked the tool to slow down and kept refusing",
            LtiServiceErrorKind.Unavailable => "The LMS could not be reached or failed",
            _ => "The LMS answered in a way the LTI specification does not allow",
        };
        var code = status is { } s ? $" ({(int)s})" : string.Empty;
        var said = string.IsNullOrWhiteSpace(platformMessage) ? string.Empty : $": {platformMessage}";
        return $"{what}{code} for {method} {url}{said}";
    }
}
