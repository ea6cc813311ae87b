using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Lti;
using LtiMicroCred.LtiStorage;
using LtiMicroCred.Persistence;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Platforms;

public sealed record DeploymentRow(Guid Id, string DeploymentId, DateTimeOffset CreatedAt);

public sealed record PlatformRow(Guid Id, string Name, string Issuer, string ClientId, string AuthorizationEndpoint, string TokenEndpoint,
    string JwksUrl, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset? LastLaunchAt, IReadOnlyList<DeploymentRow> Deployments);

/// <summary>The tenant's Canvas REST settings as the page shows them: never the secret, only whether one is stored.</summary>
public sealed record CanvasSettingsView(string? CanvasBaseUrl, string? ClientId, bool HasSecret, DateTimeOffset? UpdatedAt);

/// <param name="RegistrationInvitation">Sealed district id for the dynamic registration link, good for <see cref="RegistrationInvitations.Lifetime"/>.</param>
public sealed record PlatformsView(IReadOnlyList<PlatformRow> Platforms, CanvasSettingsView Canvas, string RegistrationInvitation);

/// <summary>What a district admin types to register a platform by hand (Canvas: from the developer key's LTI settings).</summary>
public sealed record AddPlatformInput(string? Name, string? Issuer, string? ClientId, string? AuthorizationEndpoint, string? TokenEndpoint,
    string? JwksUrl, string? DeploymentIds);

/// <summary>The district's platforms and Canvas settings. District admins only; only their own tenant's rows.</summary>
public sealed class PlatformQueries(AppDbContext db, RegistrationInvitations invitations)
{
    public async Task<PlatformsView> GetAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var platforms = await db.Platforms.AsNoTracking().Include(p => p.Deployments)
            .Where(p => p.TenantId == actor.TenantId)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        var ids = platforms.Select(p => p.Id).ToList();
        var lastLaunches = await db.People.AsNoTracking()
            .Where(p => p.TenantId == actor.TenantId && ids.Contains(p.PlatformId))
            .GroupBy(p => p.PlatformId)
            .Select(g => new { PlatformId = g.Key, Last = g.Max(p => p.LastLaunchAt) })
            .ToListAsync(cancellationToken);
        var rows = platforms.Select(p => new PlatformRow(p.Id, p.Name, p.Issuer, p.ClientId, p.AuthorizationEndpoint, p.TokenEndpoint, p.JwksUrl,
                p.Enabled, p.CreatedAt, lastLaunches.Where(l => l.PlatformId == p.Id).Select(l => (DateTimeOffset?)l.Last).SingleOrDefault(),
                p.Deployments.OrderBy(d => d.CreatedAt).ThenBy(d => d.DeploymentId, StringComparer.Ordinal)
                    .Select(d => new DeploymentRow(d.Id, d.DeploymentId, d.CreatedAt)).ToList()))
            .ToList();
        var key = await db.CanvasDeveloperKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TenantId == actor.TenantId, cancellationToken);
        var canvas = key is null
            ? new CanvasSettingsView(null, null, false, null)
            : new CanvasSettingsView(key.CanvasBaseUrl, key.ClientId, key.ProtectedClientSecret.Length > 0, key.UpdatedAt);
        return new PlatformsView(rows, canvas, invitations.Issue(actor.TenantId));
    }
}

/// <summary>
/// A district admin's changes to the tenant's platform registrations: add one by hand, disable or enable it, add or
/// remove deployments. Another tenant's platform is NotFound; each change is audited in the same SaveChanges and this
/// node's registry cache is cleared (other nodes see it within <see cref="PlatformRegistryCache.Lifetime"/>).
/// </summary>
public sealed class ManagePlatforms(AppDbContext db, AuditLog audit, PlatformRegistryCache cache, IOptions<LtiOptions> lti, TimeProvider time)
{
    public const int MaxDeployments = 50;

    public async Task<Guid> AddAsync(Actor actor, AddPlatformInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        actor.RequireDistrictAdmin();
        var errors = new Dictionary<string, string>();
        var issuer = input.Issuer?.Trim() ?? string.Empty;
        var clientId = input.ClientId?.Trim() ?? string.Empty;
        var name = string.IsNullOrWhiteSpace(input.Name) ? null : input.Name.Trim();
        if (name is { Length: > 200 })
        {
            errors["name"] = "Keep the name under 200 characters.";
        }

        CheckUrl(errors, "issuer", issuer, 400, "Enter the platform's issuer exactly as the LMS names it, such as https://canvas.instructure.com.");
        if (clientId.Length is 0 or > 200)
        {
            errors["clientId"] = "Enter the client id the LMS gave the tool (Canvas: the developer key's number).";
        }

        var auth = input.AuthorizationEndpoint?.Trim() ?? string.Empty;
        var token = input.TokenEndpoint?.Trim() ?? string.Empty;
        var jwks = input.JwksUrl?.Trim() ?? string.Empty;
        CheckUrl(errors, "authorizationEndpoint", auth, 1000, "Enter the platform's authentication (OIDC login) address.");
        CheckUrl(errors, "tokenEndpoint", token, 1000, "Enter the platform's access token address.");
        CheckUrl(errors, "jwksUrl", jwks, 1000, "Enter the address of the platform's public keys (JWKS).");
        var deployments = ParseDeployments(input.DeploymentIds, errors);
        if (errors.Count == 0 && await db.Platforms.AnyAsync(p => p.Issuer == issuer && p.ClientId == clientId, cancellationToken))
        {
            // Not which district holds it: that would tell one tenant about another.
            errors["clientId"] = "This issuer and client id are already registered with the tool.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var now = time.GetUtcNow();
        var platform = new PlatformRegistration
        {
            Id = Guid.NewGuid(),
            TenantId = actor.TenantId,
            Name = name ?? new Uri(issuer).Host,
            Issuer = issuer,
            ClientId = clientId,
            AuthorizationEndpoint = auth,
            TokenEndpoint = token,
            JwksUrl = jwks,
            CreatedAt = now,
        };
        db.Platforms.Add(platform);
        foreach (var deploymentId in deployments)
        {
            db.Deployments.Add(new PlatformDeployment { Id = Guid.NewGuid(), PlatformId = platform.Id, DeploymentId = deploymentId, CreatedAt = now });
        }

        audit.Record(actor, "platform.added", "platform", platform.Id,
            $"{issuer} (client id {clientId}), {deployments.Count} deployment(s), added by hand");
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return platform.Id;
    }

    public async Task SetEnabledAsync(Actor actor, Guid platformId, bool enabled, CancellationToken cancellationToken)
    {
        var platform = await OwnAsync(actor, platformId, cancellationToken);
        if (platform.Enabled == enabled)
        {
            return;
        }

        platform.Enabled = enabled;
        audit.Record(actor, enabled ? "platform.enabled" : "platform.disabled", "platform", platform.Id, $"{platform.Issuer} (client id {platform.ClientId})");
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
    }

    public async Task AddDeploymentAsync(Actor actor, Guid platformId, string? deploymentId, CancellationToken cancellationToken)
    {
        var platform = await OwnAsync(actor, platformId, cancellationToken);
        var id = deploymentId?.Trim() ?? string.Empty;
        if (id.Length is 0 or > 255)
        {
            throw InvalidInputException.For("deploymentId", "Enter the deployment id the LMS shows for this installation (up to 255 characters).");
        }

        var existing = await db.Deployments.Where(d => d.PlatformId == platform.Id).Select(d => d.DeploymentId).ToListAsync(cancellationToken);
        if (existing.Contains(id, StringComparer.Ordinal))
        {
            throw InvalidInputException.For("deploymentId", "This deployment id is already registered for the platform.");
        }

        if (existing.Count >= MaxDeployments)
        {
            throw new RuleViolationException($"A platform has at most {MaxDeployments} deployments; remove one first.");
        }

        var deployment = new PlatformDeployment { Id = Guid.NewGuid(), PlatformId = platform.Id, DeploymentId = id, CreatedAt = time.GetUtcNow() };
        db.Deployments.Add(deployment);
        audit.Record(actor, "platform.deployment-added", "platform", platform.Id, $"Deployment {id} of {platform.Issuer}");
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
    }

    public async Task RemoveDeploymentAsync(Actor actor, Guid platformId, Guid deploymentRowId, CancellationToken cancellationToken)
    {
        var platform = await OwnAsync(actor, platformId, cancellationToken);
        var deployment = await db.Deployments.SingleOrDefaultAsync(d => d.Id == deploymentRowId && d.PlatformId == platform.Id, cancellationToken)
            ?? throw new NotFoundException("That deployment is not registered for this platform.");
        db.Deployments.Remove(deployment);
        audit.Record(actor, "platform.deployment-removed", "platform", platform.Id, $"Deployment {deployment.DeploymentId} of {platform.Issuer}");
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
    }

    /// <summary>https, or plain http to a loopback host where the LTI layer allows insecure platform URLs (development).</summary>
    public bool IsAcceptableUrl(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback && lti.Value.AllowInsecurePlatformUrls);

    private void CheckUrl(Dictionary<string, string> errors, string field, string value, int maxLength, string missing)
    {
        if (value.Length == 0)
        {
            errors[field] = missing;
        }
        else if (value.Length > maxLength)
        {
            errors[field] = $"Keep the address under {maxLength} characters.";
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo))
        {
            errors[field] = "Enter a full address starting with https://.";
        }
        else if (!IsAcceptableUrl(url))
        {
            errors[field] = "The address must start with https:// (plain http is only accepted for this computer in development).";
        }
    }

    private static List<string> ParseDeployments(string? text, Dictionary<string, string> errors)
    {
        var ids = (text ?? string.Empty).Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            errors["deploymentIds"] = "Enter at least one deployment id (Canvas shows it in the tool's settings after installing it).";
        }
        else if (ids.Count > MaxDeployments || ids.Any(i => i.Length > 255))
        {
            errors["deploymentIds"] = $"Enter at most {MaxDeployments} deployment ids, one a line, each up to 255 characters.";
        }

        return ids;
    }

    private async Task<PlatformRegistration> OwnAsync(Actor actor, Guid platformId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        return await db.Platforms.SingleOrDefaultAsync(p => p.Id == platformId && p.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That platform is not registered for your district.");
    }
}

/// <summary>
/// The tenant's Canvas REST API settings: Canvas address, developer key client id, and its secret (write-only: an
/// empty secret keeps the stored one; stored as Data Protection ciphertext). Audited without the secret.
/// </summary>
public sealed class SetCanvasSettings(AppDbContext db, AuditLog audit, CanvasSecrets secrets, ManagePlatforms platforms, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, string? canvasBaseUrl, string? clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var errors = new Dictionary<string, string>();
        var row = await db.CanvasDeveloperKeys.SingleOrDefaultAsync(k => k.TenantId == actor.TenantId, cancellationToken);
        string? baseUrl = null;
        if (!Uri.TryCreate(canvasBaseUrl?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            errors["canvasBaseUrl"] = "Enter your Canvas address, such as https://district.instructure.com.";
        }
        else if (!platforms.IsAcceptableUrl(url))
        {
            errors["canvasBaseUrl"] = "The Canvas address must start with https://.";
        }
        else
        {
            baseUrl = CanvasHost.Normalize(url);
            if (baseUrl.Length > 400)
            {
                errors["canvasBaseUrl"] = "Keep the address under 400 characters.";
            }
        }

        var id = clientId?.Trim() ?? string.Empty;
        if (id.Length is 0 or > 200)
        {
            errors["canvasClientId"] = "Enter the client id of the Canvas API developer key (its number).";
        }

        var secret = string.IsNullOrWhiteSpace(clientSecret) ? null : clientSecret.Trim();
        if (secret is { Length: > 500 })
        {
            errors["canvasClientSecret"] = "The client secret is longer than Canvas gives (500 characters at most).";
        }
        else if (secret is null && row is null)
        {
            errors["canvasClientSecret"] = "Enter the developer key's client secret (Canvas shows it under Key in the developer keys list).";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var now = time.GetUtcNow();
        if (row is null)
        {
            row = new CanvasDeveloperKeyRecord { TenantId = actor.TenantId, CanvasBaseUrl = baseUrl!, ClientId = id, ProtectedClientSecret = secrets.ProtectClientSecret(secret!) };
            db.CanvasDeveloperKeys.Add(row);
        }

        row.CanvasBaseUrl = baseUrl!;
        row.ClientId = id;
        if (secret is not null)
        {
            row.ProtectedClientSecret = secrets.ProtectClientSecret(secret);
        }

        row.UpdatedAt = now;
        audit.Record(actor, "policy.changed", "district", actor.TenantId,
            $"Canvas API settings: {baseUrl}, client id {id}{(secret is null ? string.Empty : "; new client secret")}");
        await db.SaveChangesAsync(cancellationToken);
    }
}
