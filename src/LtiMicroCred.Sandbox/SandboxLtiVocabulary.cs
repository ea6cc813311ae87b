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

    /// <summary>LTI Assignment and Grade Services 2.0: where the tool finds the line items of this context.</summary>
    public const string AgsEndpoint = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

    /// <summary>LTI Names and Role Provisioning Services 2.0: where the tool finds the members of this context.</summary>
    public const string NrpsService = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

    /// <summary>LTI Deep Linking 2.0: what the platform will accept back and where to send it.</summary>
    public const string DeepLinkingSettings = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";

    /// <summary>The items a tool sends back in an LtiDeepLinkingResponse.</summary>
    public const string ContentItems = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";

    /// <summary>The deep linking response's optional echo of the request's data, plus its user-facing messages.</summary>
    public const string DeepLinkingData = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    public const string DeepLinkingMessage = "https://purl.imsglobal.org/spec/lti-dl/claim/msg";
    public const string DeepLinkingLog = "https://purl.imsglobal.org/spec/lti-dl/claim/log";
    public const string DeepLinkingErrorMessage = "https://purl.imsglobal.org/spec/lti-dl/claim/errormsg";
    public const string DeepLinkingErrorLog = "https://purl.imsglobal.org/spec/lti-dl/claim/errorlog";

    public const string ResourceLinkRequest = "LtiResourceLinkRequest";
    public const string DeepLinkingRequest = "LtiDeepLinkingRequest";
    public const string DeepLinkingResponse = "LtiDeepLinkingResponse";
    public const string LtiVersion = "1.3.0";
}

internal static class SandboxLtiRoles
{
    private const string Membership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private const string Institution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

    /// <summary>Context roles start with this; NRPS reports only these, as Canvas does.</summary>
    public const string MembershipPrefix = "http://purl.imsglobal.org/vocab/lis/v2/membership";

    public const string Learner = Membership + "Learner";
    public const string Instructor = Membership + "Instructor";
    public const string TeachingAssistant = Membership + "TeachingAssistant";
    public const string CourseAdministrator = Membership + "Administrator";
    public const string Faculty = Institution + "Faculty";
    public const string Staff = Institution + "Staff";
    public const string Administrator = Institution + "Administrator";

    public const string CourseOffering = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering";

    /// <summary>Expands the short form of a context role ("Learner") that NRPS allows in its role filter.</summary>
    public static string Expand(string role) =>
        role.Contains(':', StringComparison.Ordinal) ? role : Membership + role;
}

/// <summary>OAuth 2 scopes of the LTI Advantage services the sandbox serves, spelled as Canvas's token_scopes.rb does.</summary>
internal static class SandboxScopes
{
    public const string LineItem = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public const string LineItemReadOnly = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public const string ResultReadOnly = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public const string Score = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public const string ContextMembershipReadOnly = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    public static IReadOnlyList<string> Ags { get; } = [LineItem, LineItemReadOnly, ResultReadOnly, Score];

    public static IReadOnlySet<string> Supported { get; } =
        new HashSet<string>([LineItem, LineItemReadOnly, ResultReadOnly, Score, ContextMembershipReadOnly], StringComparer.Ordinal);
}

/// <summary>The IMS media types of the services; Canvas's controllers answer with exactly these (plus a charset).</summary>
internal static class SandboxMediaTypes
{
    public const string LineItem = "application/vnd.ims.lis.v2.lineitem+json";
    public const string LineItemContainer = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    public const string Score = "application/vnd.ims.lis.v1.score+json";
    public const string ResultContainer = "application/vnd.ims.lis.v2.resultcontainer+json";
    public const string MembershipContainer = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    public const string Json = "application/json";

    /// <summary>Rails appends the charset to every JSON answer, so the sandbox does too.</summary>
    public static string WithCharset(string mediaType) => mediaType + "; charset=utf-8";
}
