using LtiMicroCred.Lti.Endpoints;
using LtiMicroCred.Platforms;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>
/// The district's LMS registrations (district admins only): the list with deployments and status, a manual
/// registration, the dynamic registration link, disable / enable, deployments, and the Canvas API settings
/// (client secret write-only).
/// </summary>
public sealed class PlatformsModel(PlatformQueries queries, ManagePlatforms platforms, SetCanvasSettings canvas) : AppPageModel
{
    private const string Path = "/app/district/platforms";

    public PlatformsView View { get; private set; } = null!;

    /// <summary>The address an LMS administrator pastes into the LMS's dynamic registration form.</summary>
    public string RegistrationUrl =>
        $"{LtiEndpoints.BaseUrl(HttpContext)}{LtiEndpoints.RegistrationPath}?invitation={Uri.EscapeDataString(View.RegistrationInvitation)}";

    public string ToolBaseUrl => LtiEndpoints.BaseUrl(HttpContext);

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await queries.GetAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostAddAsync(AddPlatformInput input, CancellationToken cancellationToken) =>
        SubmitAsync(() => platforms.AddAsync(Actor, input, cancellationToken), Path, Reload, "The platform is registered.");

    public Task<IActionResult> OnPostEnabledAsync(Guid platformId, bool enabled, CancellationToken cancellationToken) =>
        SubmitAsync(() => platforms.SetEnabledAsync(Actor, platformId, enabled, cancellationToken), Path, Reload,
            enabled ? "The platform is enabled: its launches are accepted again." : "The platform is disabled: its launches are refused.");

    public Task<IActionResult> OnPostAddDeploymentAsync(Guid platformId, string? deploymentId, CancellationToken cancellationToken) =>
        SubmitAsync(() => platforms.AddDeploymentAsync(Actor, platformId, deploymentId, cancellationToken), Path, Reload, "The deployment is added.");

    public Task<IActionResult> OnPostRemoveDeploymentAsync(Guid platformId, Guid deploymentRowId, CancellationToken cancellationToken) =>
        SubmitAsync(() => platforms.RemoveDeploymentAsync(Actor, platformId, deploymentRowId, cancellationToken), Path, Reload, "The deployment is removed.");

    public Task<IActionResult> OnPostCanvasAsync(string? canvasBaseUrl, string? canvasClientId, string? canvasClientSecret, CancellationToken cancellationToken) =>
        SubmitAsync(() => canvas.HandleAsync(Actor, canvasBaseUrl, canvasClientId, canvasClientSecret, cancellationToken), Path, Reload, "The Canvas API settings are saved.");

    private Task Reload() => OnGetAsync(HttpContext.RequestAborted);
}
