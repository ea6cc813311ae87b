using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>Registers the handler that sends messages of <paramref name="kind"/> (the handler's own <see cref="IOutboxHandler.Kind"/>).</summary>
    public static IServiceCollection AddOutboxHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, IOutboxHandler =>
        services.AddKeyedScoped<IOutboxHandler, THandler>(kind);

    /// <summary>The outbox, its jobs and its admin page's use cases. Handlers register with <see cref="AddOutboxHandler{THandler}"/>.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .Validate(o => o.MaxAttempts >= 1, "The setting Outbox:MaxAttempts must be 1 or more.")
            .Validate(o => o.SendTimeoutSeconds >= 1, "The setting Outbox:SendTimeoutSeconds must be 1 or more.")
            // The lease outlasts the send timeout, so the lease holder always writes its outcome before another worker
            // may claim the message. Relative rather than a fixed floor: a test can run a short lease with a short timeout.
            .Validate(o => o.LeaseSeconds >= o.SendTimeoutSeconds + OutboxOptions.LeaseMarginSeconds, $"The setting Outbox:LeaseSeconds must be at least Outbox:SendTimeoutSeconds plus {OutboxOptions.LeaseMarginSeconds}.")
            .Validate(o => o.DrainWorkers is >= 0 and <= 16 && o.DrainBatchSize is >= 1 and <= 1000 && o.DrainConcurrency is >= 1 and <= 256 && o.ConcurrencyPerDestination is >= 1 and <= 256,
                "The settings Outbox:DrainWorkers (0-16), DrainBatchSize (1-1000), DrainConcurrency (1-256) and ConcurrencyPerDestination (1-256) are out of range.")
            .ValidateOnStart();
        services.AddSingleton<OutboxEnqueueInterceptor>();
        services.AddScoped<Outbox>();
        services.AddScoped<SendOutboxMessageJob>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<OutboxBatchClaim>();
        services.AddSingleton<OutboxDestinationGate>();
        services.AddScoped<OutboxSweepJob>();
        services.AddScoped<OutboxQueries>();
        services.AddScoped<RetryOutboxMessage>();
        return services;
    }
}
