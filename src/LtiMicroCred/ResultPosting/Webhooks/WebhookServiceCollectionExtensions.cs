using LtiMicroCred.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.ResultPosting.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The PD-system webhook: its settings, the outbox rows for ledger entries and their handler.</summary>
    public static IServiceCollection AddLedgerWebhook(this IServiceCollection services)
    {
        // Shorter than the outbox send timeout (Outbox:SendTimeoutSeconds); the outbox's retries are the resilience.
        services.AddHttpClient(LedgerWebhookHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookQueries>();
        services.AddScoped<SetWebhookSettings>();
        services.AddScoped<LedgerWebhook>();
        services.AddOutboxHandler<LedgerWebhookHandler>(LedgerWebhook.Kind);
        return services;
    }
}
