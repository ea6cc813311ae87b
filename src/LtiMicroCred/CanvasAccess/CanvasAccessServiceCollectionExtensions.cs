using LtiMicroCred.Canvas.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred.CanvasAccess;

public static class CanvasAccessServiceCollectionExtensions
{
    /// <summary>
    /// The product side of the Canvas REST API: per-tenant developer keys, the database-backed token source the
    /// Canvas client uses, and the connect flow's use cases. The Canvas client itself is registered by the host.
    /// </summary>
    public static IServiceCollection AddCanvasAccess(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CanvasSecrets>();
        services.AddSingleton<CanvasAuthorizationStates>();
        services.AddSingleton<EfCanvasUserTokenSource>();
        services.AddSingleton<ICanvasUserTokenSource>(sp => sp.GetRequiredService<EfCanvasUserTokenSource>());
        services.AddScoped<TenantCanvasKeys>();
        services.AddScoped<SetCanvasDeveloperKey>();
        services.AddScoped<BeginCanvasConnection>();
        services.AddScoped<CompleteCanvasConnection>();
        services.AddScoped<CanvasUserClients>();
        return services;
    }
}
