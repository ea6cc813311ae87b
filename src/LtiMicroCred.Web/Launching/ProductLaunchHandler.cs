using System.Globalization;
using LtiMicroCred.Evidence;
using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.Endpoints;
using LtiMicroCred.Lti.Platforms;

namespace LtiMicroCred.Web.Launching;

/// <summary>What the deep linking page needs from the request that opened it.</summary>
public sealed record DeepLinkingContext(Guid PlatformId, string DeploymentId, Lti.Claims.DeepLinkingSettingsClaim Settings);

/// <summary>The seam from a validated LTI launch to the product: record who launched, then open their home page.</summary>
public sealed class ProductLaunchHandler(RecordLaunch recordLaunch, LaunchTokenIssuer tokens, LinkAssignmentFromLaunch evidenceLinks) : ILtiLaunchHandler
{
    public const string HomePath = "/app";
    public const string DeepLinkPath = "/app/deep-link";

    /// <summary>The custom parameter the Canvas developer key fills with $Canvas.user.id (see lti-config).</summary>
    public const string CanvasUserIdParameter = "canvas_user_id";

    public async Task<IResult> HandleAsync(HttpContext httpContext, LtiPlatform platform, LtiLaunchMessage message, CancellationToken cancellationToken)
    {
        var session = await recordLaunch.HandleAsync(
            new RecordLaunchCommand(
                platform.Id,
                message.Subject,
                message.DisplayName,
                message.GivenName,
                message.FamilyName,
                message.Email,
                message.Context?.Id,
                message.Context?.Title,
                message.Context?.Label,
                message.Roles)
            {
                LineItemsUrl = message.Ags?.LineItems,
                MembershipsUrl = message.Nrps?.ContextMembershipsUrl,
                CanvasUserId = CanvasUserId(message),
                CanvasCourseId = CanvasId(message.Custom.GetValueOrDefault(EvidencePlacements.CanvasCourseParameter)),
                Custom = message.Custom,
            },
            cancellationToken);
        var deepLinking = message.DeepLinkingSettings is { } settings
            ? new DeepLinkingContext(platform.Id, message.DeploymentId, settings)
            : null;
        var token = await tokens.IssueAsync(session, cancellationToken, deepLinking);
        var path = deepLinking is not null ? DeepLinkPath : await EvidenceLinkPathAsync(session, message, cancellationToken) ?? HomePath;
        // A redirect the browser follows with a GET, so a reload of the page never re-posts the id_token.
        return Results.Redirect($"{path}?{LaunchTokenDefaults.QueryName}={Uri.EscapeDataString(token)}", permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// A launch of an evidence assignment placed by deep linking records which assignment serves which criterion and
    /// opens the credential's page; anything else opens the home page.
    /// </summary>
    private async Task<string?> EvidenceLinkPathAsync(LaunchSession session, LtiLaunchMessage message, CancellationToken cancellationToken)
    {
        var custom = message.Custom;
        if (custom.GetValueOrDefault(EvidencePlacements.ViewParameter) != EvidencePlacements.EvidenceView
            || custom.GetValueOrDefault(EvidencePlacements.CredentialParameter) is not { Length: > 0 } credentialKey
            || custom.GetValueOrDefault(EvidencePlacements.CriterionParameter) is not { Length: > 0 } criterionKey
            || message.ResourceLink is null)
        {
            return null;
        }

        // Canvas fills in its numeric ids (what the REST API needs); another LMS leaves the variables as sent, and then
        // the LTI context and resource link identify the course and the "assignment".
        var courseId = CanvasId(custom.GetValueOrDefault(EvidencePlacements.CanvasCourseParameter))?.ToString(CultureInfo.InvariantCulture) ?? message.Context?.Id ?? string.Empty;
        var assignmentId = CanvasId(custom.GetValueOrDefault(EvidencePlacements.CanvasAssignmentParameter))?.ToString(CultureInfo.InvariantCulture) ?? message.ResourceLink.Id;
        var credential = await evidenceLinks.HandleAsync(
            new PlacedLinkLaunch(session.TenantId, credentialKey, criterionKey, courseId, assignmentId, message.ResourceLink.Title, message.Ags?.LineItem),
            cancellationToken);
        return credential is null ? null : "/app/catalog/" + Uri.EscapeDataString(credentialKey);
    }

    private static long? CanvasUserId(LtiLaunchMessage message) => CanvasId(message.Custom.GetValueOrDefault(CanvasUserIdParameter));

    /// <summary>
    /// A Canvas id from a substitution variable. A platform that does not substitute sends the literal
    /// ("$Canvas.user.id"), which is not a number and so no id.
    /// </summary>
    private static long? CanvasId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
