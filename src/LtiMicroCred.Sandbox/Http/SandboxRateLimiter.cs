using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Sandbox.Http;

/// <summary>
/// Canvas's cost-based leaky bucket, simplified: every API call costs <see cref="RequestCost"/>, the bucket drains
/// <see cref="OutflowPerSecond"/> a second, and a caller whose bucket is full gets Canvas's plain-text 403. The headers
/// are what matters: a tool that paces itself by X-Rate-Limit-Remaining can be watched doing so.
/// </summary>
internal sealed class SandboxRateLimiter(TimeProvider timeProvider)
{
    /// <summary>Canvas's default high-water mark plus headroom; no sandbox session should come near it.</summary>
    public const double Capacity = 700;
    public const double RequestCost = 0.1;
    public const double OutflowPerSecond = 10;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    /// <returns>Whether the call may go ahead, and what is left in the caller's bucket after it.</returns>
    public (bool Allowed, double Remaining) Charge(string identity)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var bucket = buckets.GetValueOrDefault(identity) ?? new Bucket(0, now);
            var drained = Math.Max(0, bucket.Used - (now - bucket.At).TotalSeconds * OutflowPerSecond);
            if (drained + RequestCost > Capacity)
            {
                buckets[identity] = new Bucket(drained, now);
                return (false, 0);
            }

            buckets[identity] = new Bucket(drained + RequestCost, now);
            return (true, Capacity - drained - RequestCost);
        }
    }

    /// <summary>Adds the throttle headers to every call of the group, and refuses calls over the limit.</summary>
    public static TBuilder Apply<TBuilder>(TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var token = SandboxBearer.Read(context.Request, allowQuery: true);
            // Canvas buckets by token (or user / LTI client); a browser session gets no remaining figure.
            var identity = token is null
                ? "ip:" + context.Connection.RemoteIpAddress
                : "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
            var (allowed, remaining) = context.RequestServices.GetRequiredService<SandboxRateLimiter>().Charge(identity);
            if (!allowed)
            {
                context.Response.Headers["X-Rate-Limit-Remaining"] = "0.0";
                return Results.Text("403 Forbidden (Rate Limit Exceeded)\n", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
            }

            context.Response.Headers["X-Request-Cost"] = RequestCost.ToString("0.0###", CultureInfo.InvariantCulture);
            if (token is not null)
            {
                context.Response.Headers["X-Rate-Limit-Remaining"] = remaining.ToString("0.0###", CultureInfo.InvariantCulture);
            }

            return await next(invocation);
        });

    private sealed record Bucket(double Used, DateTimeOffset At);
}

/// <summary>Reads the bearer token of an API call.</summary>
internal static class SandboxBearer
{
    /// <param name="allowQuery">Canvas's REST API also takes ?access_token=; the LTI Advantage routes do not.</param>
    public static string? Read(HttpRequest request, bool allowQuery)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length == 0 ? null : token;
        }

        return allowQuery && request.Query.TryGetValue("access_token", out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0])
            ? values[0]
            : null;
    }
}
