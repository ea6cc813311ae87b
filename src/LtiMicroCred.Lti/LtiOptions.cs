namespace LtiMicroCred.Lti;

/// <summary>Settings of the LTI tool side, bound from the "Lti" configuration section.</summary>
public sealed class LtiOptions
{
    public const string SectionName = "Lti";

    /// <summary>Tolerance for clock differences between platform and tool when checking exp, iat and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a login initiation stays valid before the platform must post the id_token.</summary>
    public TimeSpan LaunchStateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An id_token larger than this is refused before it is parsed.</summary>
    public int MaxIdTokenLength { get; set; } = 64 * 1024;

    /// <summary>How long a platform's JWKS is trusted before it is fetched again.</summary>
    public TimeSpan PlatformKeysCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An unknown kid refreshes the platform's JWKS at most this often, so forged kids cannot flood the platform.</summary>
    public TimeSpan PlatformKeysMinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a retired tool key stays published so tokens it signed can still be checked.</summary>
    public TimeSpan RetiredToolKeyGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Allows http:// platform URLs (development and tests only); production platforms use https.</summary>
    public bool AllowInsecurePlatformUrls { get; set; }

    /// <summary>
    /// Dynamic registration without an invitation from the tool (a district's registration link) adds a new platform
    /// of its own. Off (the default): allowed only for the install's very first platform, so nobody on the internet can
    /// register an LMS of their own with an installed tool. On: a host that takes in new organisations by themselves.
    /// </summary>
    public bool AllowOpenRegistration { get; set; }

    /// <summary>
    /// The tool's public address (e.g. https://mc.district.org) when it runs behind a proxy that rewrites the host;
    /// when empty, the address of each request is used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Name the tool gives itself in dynamic registration.</summary>
    public string ToolName { get; set; } = "LtiMicroCred";

    /// <summary>At most this many service calls to one platform are in flight from this node.</summary>
    public int ServiceConcurrencyPerPlatform { get; set; } = 4;

    /// <summary>When a platform says fewer rate-limit units than this remain (Canvas's X-Rate-Limit-Remaining), the next calls wait a little.</summary>
    public double ServiceRateLimitLowWater { get; set; } = 100;

    /// <summary>The longest such pause.</summary>
    public TimeSpan ServiceMaxRatePause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a throttled, failed (5xx) or unreachable service call is tried again.</summary>
    public int ServiceRetryCount { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter.</summary>
    public TimeSpan ServiceRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one service call may take before it counts as unreachable (shorter than the outbox lease).</summary>
    public TimeSpan ServiceAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
