using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Launch;
using LtiMicroCred.Lti.Login;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred.Lti.Hosting;

public static class LtiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the LTI tool side. The host must also register <see cref="Platforms.IPlatformRegistry"/>,
    /// <see cref="ILaunchStateStore"/>, <see cref="IToolKeyStore"/>, <see cref="Registration.IDynamicRegistrationStore"/>, <see cref="Endpoints.ILtiLaunchHandler"/> and Data Protection.
    /// </summary>
    public static IServiceCollection AddLti(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LtiOptions>()
            .Bind(configuration.GetSection(LtiOptions.SectionName))
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(5), "Lti:ClockSkew must be between 0 and 5 minutes.")
            .Validate(o => o.LaunchStateLifetime > TimeSpan.Zero, "Lti:LaunchStateLifetime must be positive.")
            .Validate(o => o.MaxIdTokenLength > 1024, "Lti:MaxIdTokenLength must be above 1024.")
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || Uri.IsWellFormedUriString(o.PublicBaseUrl, UriKind.Absolute), "Lti:PublicBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(PlatformKeyCache.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<PlatformKeyCache>();
        services.AddSingleton<ToolKeySet>();
        services.AddScoped<OidcLoginService>();
        services.AddScoped<LaunchValidator>();
        services.AddHttpClient<Registration.DynamicRegistrationClient>(c => c.Timeout = TimeSpan.FromSeconds(20));
        return services;
    }
}
