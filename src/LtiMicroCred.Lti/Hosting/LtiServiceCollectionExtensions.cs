using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Launch;
using LtiMicroCred.Lti.Login;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

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
            .Validate(o => o.ServiceConcurrencyPerPlatform is > 0 and <= 64, "Lti:ServiceConcurrencyPerPlatform must be between 1 and 64.")
            .Validate(o => o.ServiceRetryCount is >= 0 and <= 10, "Lti:ServiceRetryCount must be between 0 and 10.")
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || Uri.IsWellFormedUriString(o.PublicBaseUrl, UriKind.Absolute), "Lti:PublicBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(PlatformKeyCache.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<PlatformKeyCache>();
        services.AddSingleton<ToolKeySet>();
        services.AddScoped<OidcLoginService>();
        services.AddScoped<LaunchValidator>();
        services.AddHttpClient<Registration.DynamicRegistrationClient>(c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddLtiServices();
        return services;
    }

    /// <summary>
    /// The LTI Advantage service clients (AGS, NRPS, their tokens) and deep linking. The host must register
    /// <see cref="Services.Tokens.IServiceTokenCache"/>. One resilience policy per HTTP client: retries with exponential
    /// backoff and jitter for throttling (Canvas's 403 "Rate Limit Exceeded", 429), 5xx, timeouts and lost connections;
    /// a request that is not safe to repeat (a line item create) is retried only when it was throttled, as a throttled
    /// request was never processed.
    /// </summary>
    private static void AddLtiServices(this IServiceCollection services)
    {
        services.AddSingleton<Services.Tokens.ServiceTokenProvider>();
        services.AddSingleton<Services.LtiServiceHttp>();
        services.AddSingleton<Services.Ags.AgsClient>();
        services.AddSingleton<Services.Nrps.NrpsClient>();
        services.AddSingleton<DeepLinking.DeepLinkingResponseBuilder>();
        services.AddHttpClient(Services.Tokens.ServiceTokenProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddHttpClient(Services.LtiServiceHttp.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("lti-services", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LtiOptions>>().Value;
                pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.ServiceRetryCount, 1),
                    Delay = options.ServiceRetryBaseDelay,
                    BackoffType = Polly.DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context, options.ServiceRetryCount),
                });
                pipeline.AddTimeout(options.ServiceAttemptTimeout);
            });
    }

    private static async ValueTask<bool> ShouldRetryAsync(Polly.Outcome<HttpResponseMessage> outcome, Polly.ResilienceContext context, int retries)
    {
        if (retries == 0)
        {
            return false;
        }

        var request = context.GetRequestMessage();
        var repeatable = request is null || request.Method != HttpMethod.Post
            || (request.Options.TryGetValue(Services.LtiServiceHttp.Idempotent, out var idempotent) && idempotent);
        if (outcome.Exception is not null)
        {
            return repeatable && outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429 || (status == 403 && await IsThrottledAsync(response)))
        {
            return true;
        }

        return repeatable && status >= 500;
    }

    private static async Task<bool> IsThrottledAsync(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("X-Rate-Limit-Remaining", out var remaining)
            && double.TryParse(remaining.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var left)
            && left <= 0)
        {
            return true;
        }

        var body = await response.Content.ReadAsStringAsync();
        return Services.LtiServiceHttp.IsThrottled(response.StatusCode, body);
    }
}
