namespace LtiMicroCred.Sandbox;

/// <summary>What the tool must register to trust the sandbox LMS as a platform.</summary>
public sealed record SandboxPlatformDescriptor(
    string Issuer,
    string ClientId,
    string DeploymentId,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUrl,
    string Name);

/// <summary>A seeded LMS user. <paramref name="Roles"/> are LTI role URIs; <paramref name="Description"/> is for people reading the home page.</summary>
public sealed record SandboxPerson(
    string Id,
    string Name,
    string GivenName,
    string FamilyName,
    string Email,
    IReadOnlyList<string> Roles,
    string Description);

/// <summary>A seeded LMS course, sent to the tool as the launch context.</summary>
public sealed record SandboxCourse(string Id, string Title, string Label);
