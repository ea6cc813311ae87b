using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>Registers the sandbox LMS and binds <see cref="SandboxOptions"/> from the "Sandbox" section.</summary>
    public static IServiceCollection AddSandboxLms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxLms>();
        services.TryAddSingleton<SandboxMessageHints>();
        services.TryAddSingleton<SandboxIdTokenFactory>();
        return services;
    }
}
