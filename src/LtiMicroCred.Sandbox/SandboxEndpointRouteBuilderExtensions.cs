using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox;

public static partial class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the sandbox LMS under /sandbox. When Sandbox:Enabled is false nothing is mapped, because the sandbox
    /// signs a launch for anyone who asks and must not be reachable in production by accident.
    /// </summary>
    public static IEndpointRouteBuilder MapSandboxLms(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var lms = endpoints.ServiceProvider.GetService<SandboxLms>()
            ?? throw new InvalidOperationException("Call services.AddSandboxLms(configuration) before endpoints.MapSandboxLms().");
        if (!lms.Options.Enabled)
        {
            var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(SandboxEndpoints.LogCategory);
            LogDisabled(logger);
            return endpoints;
        }

        // Like any LMS, the sandbox has its own notion of who is signed in; the tool's sign-in must not guard it.
        var group = endpoints.MapGroup(SandboxLms.PathPrefix).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/", SandboxEndpoints.Home);
        group.MapGet("/course/{courseId}", SandboxEndpoints.Course);
        group.MapGet("/launch", SandboxEndpoints.Launch);
        group.MapMethods("/auth", [HttpMethods.Get, HttpMethods.Post], SandboxEndpoints.AuthorizeAsync).DisableAntiforgery();
        group.MapPost("/token", SandboxEndpoints.Token).DisableAntiforgery();
        group.MapGet("/jwks", SandboxEndpoints.Jwks);
        group.MapGet(SandboxAssets.AutoSubmitScriptPath, () => SandboxEndpoints.Asset(SandboxAssets.AutoSubmitScript, "text/javascript; charset=utf-8"));
        group.MapGet(SandboxAssets.PlatformStorageScriptPath, () => SandboxEndpoints.Asset(SandboxAssets.PlatformStorageScript, "text/javascript; charset=utf-8"));
        group.MapGet(SandboxAssets.StyleSheetPath, () => SandboxEndpoints.Asset(SandboxAssets.StyleSheet, "text/css; charset=utf-8"));
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The sandbox LMS is off (Sandbox:Enabled is false), so nothing is mapped under /sandbox.")]
    private static partial void LogDisabled(ILogger logger);
}
