namespace LtiMicroCred.Lti.Claims;

/// <summary>Claim names of the LTI 1.3 core and its services, in one place so no page code spells a URI.</summary>
public static class LtiClaimNames
{
    private const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";
    private const string DeepLinking = "https://purl.imsglobal.org/spec/lti-dl/claim/";

    public const string MessageType = Lti + "message_type";
    public const string Version = Lti + "version";
    public const string DeploymentId = Lti + "deployment_id";
    public const string TargetLinkUri = Lti + "target_link_uri";
    public const string ResourceLink = Lti + "resource_link";
    public const string Roles = Lti + "roles";
    public const string Context = Lti + "context";
    public const string ToolPlatform = Lti + "tool_platform";
    public const string LaunchPresentation = Lti + "launch_presentation";
    public const string Custom = Lti + "custom";
    public const string Lis = Lti + "lis";
    public const string DeepLinkingSettings = DeepLinking + "deep_linking_settings";
    public const string AgsEndpoint = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    public const string NrpsService = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
}

/// <summary>The LTI message types this tool accepts.</summary>
public static class LtiMessageTypes
{
    public const string ResourceLinkRequest = "LtiResourceLinkRequest";
    public const string DeepLinkingRequest = "LtiDeepLinkingRequest";
}
