using System.Text.Json.Nodes;
using LtiMicroCred.Badges;
using LtiMicroCred.Lti;
using LtiMicroCred.Lti.Endpoints;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Web.Hosting;

/// <summary>The public badge files and documents: no launch, no login, cacheable briefly, framed or not.</summary>
public static class BadgeHosting
{
    public const string JwtMediaType = "application/vc+jwt";

    public static void AddBadgeHosting(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<IPublicAddress, HostPublicAddress>();
    }

    public static void MapBadgeEndpoints(this WebApplication app)
    {
        app.MapGet("/badges/{id:guid}/credential.jwt", async (Guid id, BadgeQueries queries, CancellationToken cancellationToken) =>
            await queries.JwtAsync(id, cancellationToken) is { } jwt
                ? Results.File(System.Text.Encoding.ASCII.GetBytes(jwt), JwtMediaType, $"badge-{id}.jwt")
                : Results.NotFound());
        app.MapGet("/badges/{id:guid}/credential.json", async (Guid id, BadgeQueries queries, CancellationToken cancellationToken) =>
            await queries.JwtAsync(id, cancellationToken) is { } jwt
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(BadgeQueries.Payload(jwt).ToJsonString(Indented)), "application/json", $"badge-{id}.json")
                : Results.NotFound());
        app.MapGet("/badges/{id:guid}/verification.json", async (Guid id, BadgeQueries queries, BadgeVerifier verifier, CancellationToken cancellationToken) =>
        {
            if (await queries.PublicAsync(id, cancellationToken) is not { } view)
            {
                return Results.NotFound();
            }

            var check = await verifier.VerifyAsync(view.Jwt, cancellationToken);
            return Results.Json(new
            {
                id = view.Id,
                kind = view.Kind.ToString(),
                title = view.Title,
                description = view.Description,
                criteria = view.Criteria,
                skills = view.Skills,
                credits = view.Credits,
                earner = view.EarnerName,
                issuer = view.IssuerName,
                issuedAt = view.IssuedAt,
                evidenceSummary = view.EvidenceSummary,
                status = view.Revoked ? "revoked" : check.Outcome == VerificationOutcome.Valid ? "valid" : "invalid",
                revokedAt = view.RevokedAt,
                revocationReason = view.RevocationReason,
                signature = check.Outcome == VerificationOutcome.Invalid ? "invalid" : "valid",
            });
        });
        app.MapGet("/badges/issuers/{tenantId:guid}", async (Guid tenantId, BadgeQueries queries, CancellationToken cancellationToken) =>
            Json(await queries.IssuerProfileAsync(tenantId, cancellationToken)));
        app.MapGet("/badges/issuers/{tenantId:guid}/revocations", async (HttpContext context, Guid tenantId, BadgeQueries queries, CancellationToken cancellationToken) =>
        {
            // A revocation must reach verifiers soon: short cache.
            context.Response.Headers.CacheControl = "public, max-age=60";
            return Json(await queries.RevocationListAsync(tenantId, cancellationToken));
        });
        app.MapGet("/badges/issuers/{tenantId:guid}/skills/{skillId:guid}", async (Guid tenantId, Guid skillId, BadgeQueries queries, CancellationToken cancellationToken) =>
            Json(await queries.SkillAsync(tenantId, skillId, cancellationToken)));
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IResult Json(JsonObject? body) =>
        body is null ? Results.NotFound() : Results.Text(body.ToJsonString(Indented), "application/json");

    /// <summary>
    /// The configured public address (Lti:PublicBaseUrl); else the current request's; else (a background job) the
    /// first address the server listens on.
    /// </summary>
    private sealed class HostPublicAddress(IOptions<LtiOptions> options, IHttpContextAccessor accessor, IServer server) : IPublicAddress
    {
        public Uri BaseUrl
        {
            get
            {
                if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
                {
                    return new Uri(options.Value.PublicBaseUrl.TrimEnd('/'));
                }

                if (accessor.HttpContext is { } context)
                {
                    return new Uri(LtiEndpoints.BaseUrl(context));
                }

                var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("Set Lti:PublicBaseUrl: the tool's public address is needed to issue badges outside a request.");
                return new Uri(listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal));
            }
        }
    }
}
