using LtiMicroCred.Lti.Roles;

namespace LtiMicroCred.Lti.Claims;

/// <summary>A validated LTI 1.3 launch: the id_token's claims as typed values.</summary>
public sealed record LtiLaunchMessage
{
    public required string Issuer { get; init; }
    public required string ClientId { get; init; }
    public required string DeploymentId { get; init; }
    public required string MessageType { get; init; }
    public required string Version { get; init; }
    public required string Subject { get; init; }
    public string? TargetLinkUri { get; init; }
    public string? Name { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? Email { get; init; }
    public IReadOnlyList<LtiRole> Roles { get; init; } = [];
    public ResourceLinkClaim? ResourceLink { get; init; }
    public ContextClaim? Context { get; init; }
    public ToolPlatformClaim? ToolPlatform { get; init; }
    public LaunchPresentationClaim? LaunchPresentation { get; init; }
    public DeepLinkingSettingsClaim? DeepLinkingSettings { get; init; }
    public AgsEndpointClaim? Ags { get; init; }
    public NrpsClaim? Nrps { get; init; }
    public IReadOnlyDictionary<string, string> Custom { get; init; } = new Dictionary<string, string>();

    /// <summary>The best display name the platform gave: name, else given + family, else the subject.</summary>
    public string DisplayName =>
        !string.IsNullOrWhiteSpace(Name) ? Name!
        : string.Join(' ', new[] { GivenName, FamilyName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } joined ? joined
        : Subject;
}

public sealed record ResourceLinkClaim(string Id, string? Title, string? Description);

public sealed record ContextClaim(string Id, string? Label, string? Title, IReadOnlyList<string> Types);

public sealed record ToolPlatformClaim(string? PlatformGuid, string? Name, string? ProductFamilyCode, string? Version);

public sealed record LaunchPresentationClaim(string? DocumentTarget, string? ReturnUrl, string? Locale);

public sealed record DeepLinkingSettingsClaim(
    string DeepLinkReturnUrl,
    IReadOnlyList<string> AcceptTypes,
    IReadOnlyList<string> AcceptPresentationDocumentTargets,
    bool AcceptMultiple,
    bool AutoCreate,
    string? Title,
    string? Text,
    string? Data)
{
    /// <summary>Whether the platform takes a line item with a resource link (absent means it does, per the spec).</summary>
    public bool AcceptLineItem { get; init; } = true;
}

/// <summary>
/// Where the Assignment and Grade Services are for this launch: the context's line items container, and the line item
/// of the resource link when the platform made one for it. The scopes are what the tool may ask a token for.
/// </summary>
public sealed record AgsEndpointClaim(IReadOnlyList<string> Scopes, string? LineItems, string? LineItem);

/// <summary>Where the Names and Role Provisioning Service answers for this launch's context.</summary>
public sealed record NrpsClaim(string ContextMembershipsUrl, IReadOnlyList<string> ServiceVersions);
