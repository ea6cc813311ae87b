using LtiMicroCred.Jobs;
using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Registration;
using LtiMicroCred.LtiStorage;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred;

public static class ProductServiceCollectionExtensions
{
    /// <summary>The product's use cases, jobs and the database-backed stores the LTI layer asks for.</summary>
    public static IServiceCollection AddProduct(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PlatformRegistryCache>();
        services.AddScoped<EfPlatformRegistry>();
        services.AddScoped<CachedPlatformRegistry>();
        services.AddScoped<IPlatformRegistry>(sp => sp.GetRequiredService<CachedPlatformRegistry>());
        services.AddScoped<ILaunchStateStore, EfLaunchStateStore>();
        // Singleton key set, scoped store: the key set opens a scope per read (it caches between reads).
        services.AddSingleton<IToolKeyStore, ScopedToolKeyStore>();
        services.AddScoped<EfToolKeyStore>();
        services.AddSingleton<Lti.Services.Tokens.IServiceTokenCache, EfServiceTokenCache>();
        services.AddScoped<RecordLaunch>();
        services.AddScoped<Access.ActorDirectory>();
        services.AddScoped<RegisterPlatform>();
        services.AddScoped<IDynamicRegistrationStore, EfDynamicRegistrationStore>();
        services.AddScoped<ToolKeyRotationJob>();
        services.AddScoped<LaunchStatePurgeJob>();
        services.AddSchools();
        return services;
    }
}
