namespace LtiMicroCred.Lti.Services;

/// <summary>OAuth2 scopes of the LTI Advantage services, as the specifications spell them.</summary>
public static class LtiScopes
{
    public const string LineItem = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public const string LineItemReadOnly = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public const string ResultReadOnly = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public const string Score = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public const string ContextMembershipReadOnly = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    /// <summary>Every scope the tool asks for when it registers with a platform.</summary>
    public static IReadOnlyList<string> All { get; } = [LineItem, LineItemReadOnly, ResultReadOnly, Score, ContextMembershipReadOnly];
}

/// <summary>Media types of the service payloads. Platforms may add parameters (Rails adds a charset); compare the type only.</summary>
public static class LtiMediaTypes
{
    public const string LineItem = "application/vnd.ims.lis.v2.lineitem+json";
    public const string LineItemContainer = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    public const string Score = "application/vnd.ims.lis.v1.score+json";
    public const string ResultContainer = "application/vnd.ims.lis.v2.resultcontainer+json";
    public const string MembershipContainer = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
}
