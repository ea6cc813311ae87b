namespace LtiMicroCred.Sandbox;

/// <summary>
/// LTI 1.3 claim names and vocabulary URIs, spelled here from the specification rather than taken from the tool's
/// LTI library, so that a mistake in that library cannot be mirrored (and hidden) by the sandbox.
/// </summary>
internal static class SandboxLtiClaims
{
    private const string Prefix = "https://purl.imsglobal.org/spec/lti/claim/";

    public const string MessageType = Prefix + "message_type";
    public const string Version = Prefix + "version";
    public const string DeploymentId = Prefix + "deployment_id";
    public const string TargetLinkUri = Prefix + "target_link_uri";
    public const string ResourceLink = Prefix + "resource_link";
    public const string Roles = Prefix + "roles";
    public const string Context = Prefix + "context";
    public const string ToolPlatform = Prefix + "tool_platform";
    public const string LaunchPresentation = Prefix + "launch_presentation";
    public const string Custom = Prefix + "custom";

    public const string ResourceLinkRequest = "LtiResourceLinkRequest";
    public const string LtiVersion = "1.3.0";
}

internal static class SandboxLtiRoles
{
    private const string Membership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private const string Institution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

    public const string Learner = Membership + "Learner";
    public const string Instructor = Membership + "Instructor";
    public const string TeachingAssistant = Membership + "TeachingAssistant";
    public const string CourseAdministrator = Membership + "Administrator";
    public const string Faculty = Institution + "Faculty";
    public const string Staff = Institution + "Staff";
    public const string Administrator = Institution + "Administrator";

    public const string CourseOffering = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering";
}
