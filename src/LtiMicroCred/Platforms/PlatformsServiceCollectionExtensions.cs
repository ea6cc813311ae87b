using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Platforms;

public static class PlatformsServiceCollectionExtensions
{
    /// <summary>The district's platform registration pages' use cases.</summary>
    public static IServiceCollection AddPlatformAdministration(this IServiceCollection services)
    {
        services.AddSingleton<RegistrationInvitations>();
        services.AddScoped<PlatformQueries>();
        services.AddScoped<ManagePlatforms>();
        services.AddScoped<SetCanvasSettings>();
        return services;
    }
}
