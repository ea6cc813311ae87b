using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// How many requests one node works on at once, and what happens to the rest: they wait their turn, first come
/// first served, and only a node that is far behind turns new ones away (503 with Retry-After, the error page).
/// <para>
/// Without it every request in flight shares the cores at once: each time a request's database answer comes back,
/// the rest of its work waits behind everything the other requests have queued meanwhile, so under load a request
/// that goes to the database twice waits twice as often, and the slowest launches wait longest. Working on a few at
/// a time and queueing the rest in arrival order shortens that tail (README, "Performance").
/// </para>
/// <para>
/// On by default with a server database (two requests per core). Off by default with SQLite: its answers come back
/// in-process, without a wait, so there is nothing to gain and a hand-off to pay (measured: 10 % fewer launches a
/// second, the same p99).
/// </para>
/// Exempt (<see cref="RateLimiterEndpointConventionBuilderExtensions.DisableRateLimiting{TBuilder}"/>): /health, so a
/// load balancer sees a busy node as alive; the error page, so a refusal can be explained; and the sandbox LMS, which
/// stands in for another system that the tool itself calls while it holds its place (JWKS, AGS, the REST API).
/// </summary>
public static partial class RequestAdmission
{
    public const string SectionName = "Web";

    /// <summary>What a refused request is told to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static void AddRequestAdmission(this WebApplicationBuilder builder, DatabaseOptions database)
    {
        var options = RequestAdmissionOptions.Read(builder.Configuration.GetSection(SectionName), database.Provider);
        if (options.MaxConcurrentRequests == 0)
        {
            return;
        }

        // One partition for the whole node, made once: the limiter asks for it at every request.
        var node = RateLimitPartition.GetConcurrencyLimiter(0, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentRequests,
            QueueLimit = options.RequestQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, int>(_ => node);
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
                var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestAdmission));
                LogRefused(logger, options.MaxConcurrentRequests, options.RequestQueueLimit);
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>After routing, so an endpoint's exemption is known.</summary>
    public static void UseRequestAdmission(this WebApplication app)
    {
        if (app.Services.GetService<Microsoft.Extensions.Options.IOptions<RateLimiterOptions>>()?.Value.GlobalLimiter is not null)
        {
            app.UseRateLimiter();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request was turned away with 503: {Running} requests were running and {Waiting} more waiting (Web:MaxConcurrentRequests, Web:RequestQueueLimit).")]
    private static partial void LogRefused(ILogger logger, int running, int waiting);
}

/// <param name="MaxConcurrentRequests">Requests worked on at once; 0 turns the queue off.</param>
/// <param name="RequestQueueLimit">Requests that may wait for a place; the next one is refused.</param>
public sealed record RequestAdmissionOptions(int MaxConcurrentRequests, int RequestQueueLimit)
{
    public const int DefaultRequestQueueLimit = 1_000;

    /// <summary>
    /// With a server database, two per core: enough to keep the cores busy while some requests wait on the
    /// database. With SQLite, none (no queue).
    /// </summary>
    public static int DefaultMaxConcurrentRequests(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? 0 : 2 * Environment.ProcessorCount;

    public static RequestAdmissionOptions Read(IConfigurationSection section, DatabaseProvider provider)
    {
        var running = Whole(section, nameof(MaxConcurrentRequests), DefaultMaxConcurrentRequests(provider));
        var waiting = Whole(section, nameof(RequestQueueLimit), DefaultRequestQueueLimit);
        return new RequestAdmissionOptions(running, waiting);
    }

    private static int Whole(IConfigurationSection section, string name, int fallback)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new StartupConfigurationException($"The setting {section.Path}:{name} must be a whole number of requests, 0 or more; it is '{text}'.");
    }
}
