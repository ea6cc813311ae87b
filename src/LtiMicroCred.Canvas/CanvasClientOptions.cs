namespace LtiMicroCred.Canvas;

/// <summary>
/// Settings shared by every Canvas host the tool talks to. One set applies to all hosts; each host still gets its own
/// connection pool, concurrency limit, rate-limit estimate and resilience pipeline.
/// </summary>
public sealed class CanvasClientOptions
{
    /// <summary>Configuration section the host binds these settings from.</summary>
    public const string SectionName = "Canvas";

    /// <summary>
    /// Requests in flight to one Canvas host at once. Canvas charges every parallel request an up-front cost, so a small
    /// number keeps a busy sync from draining the rate-limit bucket of the district's developer key.
    /// </summary>
    public int MaxConcurrencyPerHost { get; set; } = 4;

    /// <summary>
    /// When Canvas reports fewer units than this left in the bucket (<c>X-Rate-Limit-Remaining</c>), the client waits
    /// before the next request for long enough that the bucket can drain back to this level.
    /// </summary>
    public double ThrottleThreshold { get; set; } = 100;

    /// <summary>
    /// How many units per second Canvas gives back to the bucket (its default outflow is 10). Used to turn a deficit
    /// into a wait, and to estimate how much has drained since the last response.
    /// </summary>
    public double ThrottleRecoveryPerSecond { get; set; } = 10;

    /// <summary>Longest single wait the client imposes on itself before a request, whatever the bucket says.</summary>
    public TimeSpan MaxThrottleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after Canvas refuses a request for the rate limit (403 "Rate Limit Exceeded" or 429).</summary>
    public int ThrottleRetries { get; set; } = 5;

    /// <summary>
    /// Retries after a 5xx, a timeout or a broken connection. Requests that are not safe to repeat (creating a column,
    /// posting a comment) are never retried for these, because Canvas may already have acted on them.
    /// </summary>
    public int TransientRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one API request attempt, up to the end of its response body.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for a whole file download, redirects and body included.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Files larger than this are refused, before the download when the size is known, otherwise while streaming.</summary>
    public long MaxDownloadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Redirects followed by a file download (Canvas sends one to its file store, which may send another).</summary>
    public int MaxDownloadRedirects { get; set; } = 5;

    /// <summary>Items asked for on the first page of a list (<c>per_page</c>); Canvas caps it at 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Allows plain http Canvas hosts other than loopback ones. Loopback (the development sandbox) is always allowed;
    /// anywhere else a bearer token over http could be read on the wire.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>User-Agent sent to Canvas, so a district's Canvas admin can tell the tool's traffic apart.</summary>
    public string UserAgent { get; set; } = "LtiMicroCred-Canvas/1.0";

    /// <summary>Every problem with these settings, as sentences naming the setting; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(MaxConcurrencyPerHost is >= 1 and <= 64, "MaxConcurrencyPerHost must be between 1 and 64.");
        Check(ThrottleThreshold >= 0, "ThrottleThreshold must not be negative.");
        Check(ThrottleRecoveryPerSecond > 0, "ThrottleRecoveryPerSecond must be positive.");
        Check(MaxThrottleDelay >= TimeSpan.Zero && MaxThrottleDelay <= TimeSpan.FromMinutes(10), "MaxThrottleDelay must be between 0 and 10 minutes.");
        Check(ThrottleRetries is >= 0 and <= 20, "ThrottleRetries must be between 0 and 20.");
        Check(TransientRetries is >= 0 and <= 10, "TransientRetries must be between 0 and 10.");
        Check(RetryBaseDelay >= TimeSpan.Zero && RetryBaseDelay <= TimeSpan.FromMinutes(1), "RetryBaseDelay must be between 0 and 1 minute.");
        Check(MaxRetryDelay >= RetryBaseDelay && MaxRetryDelay <= TimeSpan.FromMinutes(10), "MaxRetryDelay must be at least RetryBaseDelay and at most 10 minutes.");
        Check(RequestTimeout > TimeSpan.Zero && RequestTimeout <= TimeSpan.FromMinutes(10), "RequestTimeout must be positive and at most 10 minutes.");
        Check(DownloadTimeout > TimeSpan.Zero, "DownloadTimeout must be positive.");
        Check(MaxDownloadBytes > 0, "MaxDownloadBytes must be positive.");
        Check(MaxDownloadRedirects is >= 0 and <= 20, "MaxDownloadRedirects must be between 0 and 20.");
        Check(PageSize is >= 1 and <= 100, "PageSize must be between 1 and 100.");
        Check(!string.IsNullOrWhiteSpace(UserAgent), "UserAgent must not be empty.");
        return problems;

        void Check(bool valid, string problem)
        {
            if (!valid)
            {
                problems.Add($"{SectionName}:{problem}");
            }
        }
    }
}
