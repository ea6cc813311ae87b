namespace LtiMicroCred.Sandbox;

/// <summary>What the tool must register to trust the sandbox LMS as a platform, and what its Canvas clients need.</summary>
public sealed record SandboxPlatformDescriptor(
    string Issuer,
    string ClientId,
    string DeploymentId,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUrl,
    string Name)
{
    /// <summary>Base URL of the Canvas-shaped APIs, e.g. "http://localhost:5000/sandbox": append "/api/v1/...".</summary>
    public string CanvasBaseUrl { get; init; } = string.Empty;

    /// <summary>Canvas REST OAuth 2 authorization endpoint (the consent page).</summary>
    public string RestAuthorizationEndpoint { get; init; } = string.Empty;

    public string RestClientId { get; init; } = string.Empty;

    /// <summary>The configured or generated secret of the REST developer key.</summary>
    public string RestClientSecret { get; init; } = string.Empty;

    /// <summary>Where the tool posts its LtiDeepLinkingResponse (also sent in every deep linking request).</summary>
    public string DeepLinkingReturnUrl { get; init; } = string.Empty;
}

/// <summary>A seeded LMS user. <paramref name="Roles"/> are LTI role URIs; <paramref name="Description"/> is for people reading the home page.</summary>
public sealed record SandboxPerson(
    string Id,
    string Name,
    string GivenName,
    string FamilyName,
    string Email,
    IReadOnlyList<string> Roles,
    string Description)
{
    /// <summary>The numeric Canvas user id, what $Canvas.user.id gives and what the REST API uses.</summary>
    public long CanvasId { get; init; }

    /// <summary>Sees everyone's work and grades (Canvas's manage_grades / view_all_grades).</summary>
    internal bool CanGrade => Roles.Any(r => r is SandboxLtiRoles.Instructor or SandboxLtiRoles.TeachingAssistant
        or SandboxLtiRoles.CourseAdministrator or SandboxLtiRoles.Administrator);

    /// <summary>May add content to a course through deep linking, as Canvas lets teachers and designers.</summary>
    internal bool CanEditCourse => Roles.Any(r => r is SandboxLtiRoles.Instructor or SandboxLtiRoles.CourseAdministrator
        or SandboxLtiRoles.Administrator);

    /// <summary>Has work to submit and grades to receive.</summary>
    internal bool IsStudent => Roles.Contains(SandboxLtiRoles.Learner);
}

/// <summary>A seeded LMS course, sent to the tool as the launch context.</summary>
public sealed record SandboxCourse(string Id, string Title, string Label)
{
    /// <summary>The numeric Canvas course id, what $Canvas.course.id gives and what every API path uses.</summary>
    public long CanvasId { get; init; }
}
