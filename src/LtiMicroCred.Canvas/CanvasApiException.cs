using System.Net;

namespace LtiMicroCred.Canvas;

/// <summary>
/// Canvas answered with an error status that the client did not (or no longer) retry: a 4xx other than the rate limit,
/// a 5xx after the retries ran out, a rate-limit refusal after the throttle retries ran out, or a 401 that a token
/// refresh did not cure.
/// </summary>
public sealed class CanvasApiException : CanvasException
{
    public CanvasApiException(string method, string path, HttpStatusCode statusCode, string? canvasMessage, bool isRateLimited = false)
        : base(method, path, Describe(method, path, statusCode, canvasMessage))
    {
        StatusCode = statusCode;
        CanvasMessage = canvasMessage;
        IsRateLimited = isRateLimited;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The error text Canvas put in its body (<c>errors[].message</c>, <c>message</c> and the like), when there was one.</summary>
    public string? CanvasMessage { get; }

    /// <summary>True when Canvas refused the request for the rate limit and the throttle retries were used up.</summary>
    public bool IsRateLimited { get; }

    private static string Describe(string method, string path, HttpStatusCode statusCode, string? canvasMessage) =>
        canvasMessage is null
            ? $"Canvas answered {method} {path} with {(int)statusCode} {statusCode}."
            : $"Canvas answered {method} {path} with {(int)statusCode} {statusCode}: {canvasMessage}";
}
