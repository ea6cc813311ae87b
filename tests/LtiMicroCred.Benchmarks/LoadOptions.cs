using System.Net;

namespace LtiMicroCred.Benchmarks;

internal sealed record LoadOptions(
    Uri BaseUrl,
    int Concurrency,
    int Warmup,
    int Launches,
    string Label,
    IReadOnlyList<string> People,
    string Course,
    int? HostPid,
    int? DatabasePid,
    TimeSpan RequestTimeout,
    TimeSpan MaxDuration,
    double TargetP99Ms,
    TimeSpan ThinkTime,
    TimeSpan WaitQuiet,
    bool Notes)
{
    /// <summary>The people seeded in the sandbox LMS (src/LtiMicroCred.Sandbox/SandboxSeed.cs).</summary>
    public static readonly string[] SandboxPeople = ["teacher-ada", "teacher-ben", "principal-carla", "admin-dev"];
}

/// <summary>The driver only ever talks to this machine: every URL it is sent to is checked first.</summary>
internal static class Loopback
{
    public static bool IsLoopback(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    public static Uri Require(Uri url) =>
        IsLoopback(url)
            ? url
            : throw new LaunchFailedException($"refused to follow {url.GetLeftPart(UriPartial.Authority)}: not a loopback address");
}
