using LtiMicroCred.Sandbox.DeepLinking;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Rest;
using LtiMicroCred.Sandbox.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sandbox LMS and binds <see cref="SandboxOptions"/> from the "Sandbox" section. A
    /// <see cref="TimeProvider"/> registered before this call is used for every expiry, so tests can move time.
    /// </summary>
    public static IServiceCollection AddSandboxLms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxLms>();
        services.TryAddSingleton<SandboxMessageHints>();
        services.TryAddSingleton<SandboxIdTokenFactory>();
        services.TryAddSingleton<SandboxStore>();
        services.TryAddSingleton<SandboxAccessTokens>();
        services.TryAddSingleton<SandboxReplayCache>();
        services.TryAddSingleton<SandboxToolKeySet>();
        services.TryAddSingleton<SandboxToolJwtValidator>();
        services.TryAddSingleton<SandboxDeepLinkingData>();
        services.TryAddSingleton<SandboxDeepLinkingResponseReader>();
        services.TryAddSingleton<SandboxRateLimiter>();
        services.TryAddSingleton<SandboxSeal>();
        services.TryAddSingleton<SandboxCanvasJson>();
        // The key set is read from the tool over HTTP, like a real LMS would; a short timeout keeps a dead tool from
        // holding a token request open.
        services.AddHttpClient(SandboxToolKeySet.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }
}
