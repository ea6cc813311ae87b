using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Canvas.Http;

/// <summary>
/// Every log line of the client. Paths never carry their query, off-Canvas hosts show no path at all (file-store paths
/// can hold file names), and no line carries a token or a body: bodies hold student and teacher records (FERPA).
/// </summary>
internal static partial class CanvasLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Canvas {Method} {Host}{Path} answered {Status} in {ElapsedMs} ms (cost {Cost}, remaining {Remaining})")]
    public static partial void Answered(ILogger logger, string method, string host, string path, int status, long elapsedMs, double? cost, double? remaining);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Canvas {Method} {Host}{Path} got no answer ({Failure}) after {ElapsedMs} ms")]
    public static partial void NoAnswer(ILogger logger, string method, string host, string path, string failure, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Canvas {Host} has about {Remaining} rate-limit units left; waiting {DelayMs} ms before {Method} {Path}")]
    public static partial void SlowingDown(ILogger logger, string host, double remaining, long delayMs, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Canvas {Method} {Host}{Path} failed ({Reason}); retry {Retry} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string method, string host, string path, string reason, int retry, long delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Canvas rejected the access token on {Method} {Host}{Path}; refreshing it once")]
    public static partial void TokenRejected(ILogger logger, string method, string host, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Refused a file from {Host}: larger than the {LimitBytes}-byte limit")]
    public static partial void FileTooLarge(ILogger logger, string host, long limitBytes);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug,
        Message = "File download from {Host} redirected to {TargetHost}")]
    public static partial void Redirected(ILogger logger, string host, string targetHost);
}
