using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.Endpoints;
using LtiMicroCred.Lti.Platforms;

namespace LtiMicroCred.Web.Launching;

/// <summary>What the deep linking page needs from the request that opened it.</summary>
public sealed record DeepLinkingContext(Guid PlatformId, string DeploymentId, Lti.Claims.DeepLinkingSettingsClaim Settings);

/// <summary>The seam from a validated LTI launch to the product: record who launched, then open their home page.</summary>
public sealed class ProductLaunchHandler(RecordLaunch recordLaunch, LaunchTokenIssuer tokens) : ILtiLaunchHandler
{
    public const string HomePath = "/app";
    public const string DeepLinkPath = "/app/deep-link";

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
                Custom = message.Custom,
            },
            cancellationToken);
        var deepLinking = message.DeepLinkingSettings is { } settings
            ? new DeepLinkingContext(platform.Id, message.DeploymentId, settings)
            : null;
        var token = await tokens.IssueAsync(session, cancellationToken, deepLinking);
        var path = deepLinking is null ? HomePath : DeepLinkPath;
        // A redirect the browser follows with a GET, so a reload of the page never re-posts the id_token.
        return Results.Redirect($"{path}?{LaunchTokenDefaults.QueryName}={Uri.EscapeDataString(token)}", permanent: false, preserveMethod: false);
    }
}
