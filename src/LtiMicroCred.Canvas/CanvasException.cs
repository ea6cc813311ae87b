namespace LtiMicroCred.Canvas;

/// <summary>
/// Base of every failure the Canvas client reports, so callers (background jobs, pages) can catch Canvas problems
/// apart from their own. Carries the HTTP method and the path without its query, never a token or a response body.
/// </summary>
public class CanvasException : Exception
{
    public CanvasException(string method, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        Path = path;
    }

    /// <summary>HTTP method of the request that failed.</summary>
    public string Method { get; }

    /// <summary>Path of the request that failed, without query string (queries can carry signed download verifiers).</summary>
    public string Path { get; }
}
