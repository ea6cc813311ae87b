using LtiMicroCred.Canvas.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Canvas.Hosting;

public static class CanvasServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Canvas REST client: <see cref="ICanvasClientRegistry"/> as a singleton (one client per Canvas host)
    /// and <see cref="CanvasClientOptions"/>, validated at start so a bad setting stops the app with a sentence naming
    /// it. The host must also register an <see cref="ICanvasUserTokenSource"/>; to read settings from configuration,
    /// bind the <see cref="CanvasClientOptions.SectionName"/> section before or inside <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddCanvasClient(this IServiceCollection services, Action<CanvasClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CanvasClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanvasClientOptions>, CanvasClientOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICanvasClientRegistry, CanvasClientRegistry>();
        return services;
    }

    private sealed class CanvasClientOptionsValidator : IValidateOptions<CanvasClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, CanvasClientOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
