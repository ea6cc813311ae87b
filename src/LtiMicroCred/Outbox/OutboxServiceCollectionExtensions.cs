using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>The outbox, its jobs and its admin page's use cases. Handlers register themselves as <see cref="IOutboxHandler"/>.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .Validate(o => o.MaxAttempts >= 1, "The setting Outbox:MaxAttempts must be 1 or more.")
            .Validate(o => o.LeaseSeconds >= 60, "The setting Outbox:LeaseSeconds must be 60 or more (longer than any send may take: the LMS and webhook calls time out sooner).")
            .ValidateOnStart();
        services.AddSingleton<OutboxEnqueueInterceptor>();
        services.AddScoped<Outbox>();
        services.AddScoped<SendOutboxMessageJob>();
        services.AddScoped<OutboxSweepJob>();
        services.AddScoped<OutboxQueries>();
        services.AddScoped<RetryOutboxMessage>();
        return services;
    }
}
