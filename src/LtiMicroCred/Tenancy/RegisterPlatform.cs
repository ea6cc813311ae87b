using LtiMicroCred.LtiStorage;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Tenancy;

public sealed record RegisterPlatformCommand(
    string TenantName,
    string PlatformName,
    string Issuer,
    string ClientId,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUrl,
    string DeploymentId,
    Guid? TenantId = null);

public sealed record RegisteredPlatform(Guid TenantId, Guid PlatformId);

/// <summary>
/// Adds a platform with a deployment, or updates its endpoints when the issuer + client id is already known
/// (a re-registration). A new tenant is made unless the command names an existing one.
/// </summary>
public sealed class RegisterPlatform(AppDbContext db, TimeProvider timeProvider, PlatformRegistryCache platformCache)
{
    /// <summary>
    /// Adds a platform that registered itself. Never touches an existing registration: the client id came from the
    /// caller's platform, so accepting it for an existing pair would let anyone repoint a district's keys.
    /// </summary>
    /// <param name="intoTenant">The district it joins (a district admin's invitation); null makes a new tenant.</param>
    /// <returns>Null when the issuer and client id are already registered.</returns>
    public async Task<RegisteredPlatform?> TryAddNewAsync(RegisterPlatformCommand command, CancellationToken cancellationToken, Guid? intoTenant = null)
    {
        if (await db.Platforms.AnyAsync(p => p.Issuer == command.Issuer && p.ClientId == command.ClientId, cancellationToken))
        {
            return null;
        }

        return await HandleAsync(command with { TenantId = intoTenant }, cancellationToken);
    }

    public async Task<RegisteredPlatform> HandleAsync(RegisterPlatformCommand command, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var platform = await db.Platforms.Include(p => p.Deployments)
            .SingleOrDefaultAsync(p => p.Issuer == command.Issuer && p.ClientId == command.ClientId, cancellationToken);
        if (platform is null)
        {
            var tenantId = command.TenantId ?? CreateTenant(command.TenantName, now);
            platform = new PlatformRegistration
            {
                Id = Guid.NewGuid(),
                TenantId = tenantId,
                Name = command.PlatformName,
                Issuer = command.Issuer,
                ClientId = command.ClientId,
                AuthorizationEndpoint = command.AuthorizationEndpoint,
                TokenEndpoint = command.TokenEndpoint,
                JwksUrl = command.JwksUrl,
                CreatedAt = now,
            };
            db.Platforms.Add(platform);
        }
        else
        {
            platform.Name = command.PlatformName;
            platform.AuthorizationEndpoint = command.AuthorizationEndpoint;
            platform.TokenEndpoint = command.TokenEndpoint;
            platform.JwksUrl = command.JwksUrl;
        }

        if (!platform.Deployments.Any(d => d.DeploymentId == command.DeploymentId))
        {
            // Added to the set, not only to the navigation: a new row with its key already set that is only reachable
            // from a tracked platform would be taken for an existing one and updated.
            db.Deployments.Add(new PlatformDeployment
            {
                Id = Guid.NewGuid(),
                PlatformId = platform.Id,
                DeploymentId = command.DeploymentId,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        platformCache.Invalidate();
        return new RegisteredPlatform(platform.TenantId, platform.Id);
    }

    private Guid CreateTenant(string name, DateTimeOffset now)
    {
        var tenant = new Tenant { Id = Guid.NewGuid(), Name = name, CreatedAt = now };
        db.Tenants.Add(tenant);
        return tenant.Id;
    }
}
