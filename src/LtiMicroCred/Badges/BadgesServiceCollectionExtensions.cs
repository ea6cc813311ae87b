using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Badges;

public static class BadgesServiceCollectionExtensions
{
    /// <summary>Open Badges 3.0: issuing on award, verification, revocation. The host provides <see cref="IPublicAddress"/>.</summary>
    public static IServiceCollection AddBadges(this IServiceCollection services)
    {
        services.AddScoped<BadgeIssuance>();
        services.AddScoped<BadgeVerifier>();
        services.AddScoped<BadgeQueries>();
        services.AddScoped<RevokeBadge>();
        services.AddScoped<SetBadgeVisibility>();
        services.AddScoped<SetBadgeIssuer>();
        return services;
    }
}
