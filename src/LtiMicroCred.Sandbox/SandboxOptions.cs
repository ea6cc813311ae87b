namespace LtiMicroCred.Sandbox;

/// <summary>Settings of the development LMS, bound from the configuration section "Sandbox".</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Off unless asked for: the sandbox signs launches for anyone who asks, so it must never run in production.</summary>
    public bool Enabled { get; set; }

    public string ClientId { get; set; } = "sandbox-client";

    public string DeploymentId { get; set; } = "sandbox-deployment-1";

    /// <summary>The tool's OIDC login initiation URL, as a path on the same host.</summary>
    public string ToolLoginInitiationPath { get; set; } = "/lti/login";

    /// <summary>The tool's only registered redirect_uri, and the target_link_uri of every launch.</summary>
    public string ToolLaunchPath { get; set; } = "/lti/launch";

    /// <summary>For example "http://localhost:5000". When null the host sets it at start through <see cref="SandboxLms.SetBaseUrl"/>.</summary>
    public string? BaseUrl { get; set; }
}
