namespace LtiMicroCred.Sandbox;

/// <summary>Settings of the development LMS, bound from the configuration section "Sandbox".</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Off unless asked for: the sandbox signs launches for anyone who asks, so it must never run in production.</summary>
    public bool Enabled { get; set; }

    public string ClientId { get; set; } = "sandbox-client";

    public string DeploymentId { get; set; } = "sandbox-deployment-1";

    /// <summary>
    /// The tool's OIDC login initiation URL: an absolute URL, or a path on the tool's host (the host of an absolute
    /// <see cref="ToolLaunchPath"/>, else the sandbox's own host). The same goes for the tool's other paths.
    /// </summary>
    public string ToolLoginInitiationPath { get; set; } = "/lti/login";

    /// <summary>The tool's registered redirect_uri, and the target_link_uri of every resource link launch.</summary>
    public string ToolLaunchPath { get; set; } = "/lti/launch";

    /// <summary>
    /// Where deep linking requests go (their target_link_uri); empty means the launch URL (<see cref="ToolLaunchPath"/>).
    /// It is a registered redirect_uri too, so a tool with a separate deep linking endpoint gets its id_token there.
    /// </summary>
    public string? ToolDeepLinkingPath { get; set; }

    /// <summary>
    /// The tool's public key set, as a path on the tool's host (or an absolute URL). The sandbox reads it over HTTP to check
    /// client assertions and deep linking responses, the way a real LMS reads the JWKS URL of a developer key.
    /// </summary>
    public string ToolJwksPath { get; set; } = "/.well-known/jwks.json";

    /// <summary>How long the tool's key set is trusted before it is read again; an unknown kid re-reads it at once.</summary>
    public TimeSpan ToolJwksCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of a client_credentials token for the LTI Advantage services (Canvas: one hour).</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The client id of the Canvas REST API developer key the tool uses for the OAuth 2 code flow.</summary>
    public string RestClientId { get; set; } = "sandbox-rest-key";

    /// <summary>
    /// The developer key's secret. When empty a fresh one is made at every start (read it from
    /// <see cref="SandboxPlatformDescriptor.RestClientSecret"/>), so no secret ever sits in a committed file.
    /// </summary>
    public string? RestClientSecret { get; set; }

    /// <summary>
    /// Redirect URIs registered on the REST developer key. When empty, any http(s) URL on the tool's origin (that of
    /// <see cref="ToolLaunchPath"/>) or on the sandbox's own origin is accepted.
    /// </summary>
    public IList<string> RestRedirectUris { get; } = [];

    /// <summary>Lifetime of a REST access token; Canvas uses one hour. Refresh tokens do not expire.</summary>
    public TimeSpan RestAccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>For example "http://localhost:5000". When null the host sets it at start through <see cref="SandboxLms.SetBaseUrl"/>.</summary>
    public string? BaseUrl { get; set; }
}
