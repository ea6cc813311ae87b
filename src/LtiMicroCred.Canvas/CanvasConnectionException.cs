namespace LtiMicroCred.Canvas;

/// <summary>
/// No usable answer came back from Canvas or its file store (connection refused or reset, timeout, a body cut short)
/// after the retries ran out, or for a request that was not safe to repeat.
/// </summary>
public sealed class CanvasConnectionException(string method, string path, string message, Exception? innerException = null)
    : CanvasException(method, path, message, innerException);
