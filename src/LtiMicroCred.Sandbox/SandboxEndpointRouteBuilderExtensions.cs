using LtiMicroCred.Sandbox.Ags;
using LtiMicroCred.Sandbox.DeepLinking;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.Nrps;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox;

public static partial class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the sandbox LMS under /sandbox, with Canvas's own paths below it (so a Canvas client given the base URL
    /// http://host/sandbox works unchanged). When Sandbox:Enabled is false nothing is mapped, because the sandbox
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

        // What the tool's server calls (keys, tokens, the APIs, file downloads) stays out of the tool's request queue:
        // the tool may call it while holding a place in that queue. The pages a browser opens share the queue with
        // the tool's own pages, as they share the node.
        var called = group.MapGroup("").DisableRateLimiting();

        // Pages and the LTI launch.
        group.MapGet("/", SandboxEndpoints.Home);
        group.MapGet("/course/{courseId}", SandboxEndpoints.Course);
        group.MapGet("/course/{courseId}/assignments/{assignmentId:long}", SandboxEndpoints.Assignment);
        group.MapGet("/launch", SandboxEndpoints.Launch);
        group.MapMethods("/auth", [HttpMethods.Get, HttpMethods.Post], SandboxEndpoints.AuthorizeAsync).DisableAntiforgery();
        called.MapGet("/jwks", SandboxEndpoints.Jwks);

        // Deep linking.
        group.MapGet("/deep-linking/start", SandboxDeepLinkingEndpoints.Start);
        group.MapPost(SandboxLms.DeepLinkingReturnPath, SandboxDeepLinkingEndpoints.ReturnAsync).DisableAntiforgery();

        // OAuth 2: service tokens for LTI Advantage, and the REST API's code flow.
        called.MapPost(SandboxLms.TokenPath, SandboxTokenEndpoint.HandleAsync).DisableAntiforgery();
        group.MapGet(SandboxLms.RestAuthorizePath, SandboxRestAuthorizeEndpoint.Show);
        group.MapPost(SandboxLms.RestAuthorizePath, SandboxRestAuthorizeEndpoint.DecideAsync).DisableAntiforgery();

        // The APIs, each call priced and counted like Canvas's throttle does.
        var api = SandboxRateLimiter.Apply(called.MapGroup("/api")).DisableAntiforgery();
        SandboxAgsEndpoints.Map(api);
        SandboxNrpsEndpoint.Map(api);
        SandboxRestEndpoints.Map(api);
        SandboxCustomColumnEndpoints.Map(api);
        SandboxRestEndpoints.MapDownload(called);

        group.MapGet(SandboxAssets.AutoSubmitScriptPath, () => SandboxEndpoints.Asset(SandboxAssets.AutoSubmitScript, "text/javascript; charset=utf-8"));
        group.MapGet(SandboxAssets.PlatformStorageScriptPath, () => SandboxEndpoints.Asset(SandboxAssets.PlatformStorageScript, "text/javascript; charset=utf-8"));
        group.MapGet(SandboxAssets.StyleSheetPath, () => SandboxEndpoints.Asset(SandboxAssets.StyleSheet, "text/css; charset=utf-8"));
        group.MapGet(SandboxAssets.AvatarPath, () => SandboxEndpoints.Asset(SandboxAssets.Avatar, "image/svg+xml"));
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The sandbox LMS is off (Sandbox:Enabled is false), so nothing is mapped under /sandbox.")]
    private static partial void LogDisabled(ILogger logger);
}
