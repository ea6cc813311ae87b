using LtiMicroCred.Audit;
using LtiMicroCred.Lti.Registration;
using LtiMicroCred.Persistence;
using LtiMicroCred.Platforms;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.LtiStorage;

/// <summary>
/// A self-registered platform becomes a new tenant of its own until a district admin says otherwise; one registered
/// through a district admin's link (an invitation, <see cref="RegistrationInvitations"/>) joins that district, audited.
/// </summary>
public sealed class EfDynamicRegistrationStore(RegisterPlatform register, RegistrationInvitations invitations, AppDbContext db, AuditLog audit)
    : IDynamicRegistrationStore
{
    public Task<bool> TryAddAsync(DynamicRegistrationResult registration, CancellationToken cancellationToken) =>
        TryAddAsync(registration, null, cancellationToken);

    public async Task<bool> AcceptsInvitationAsync(string invitation, CancellationToken cancellationToken) =>
        await TenantOfAsync(invitation, cancellationToken) is not null;

    public Task<bool> HasPlatformsAsync(CancellationToken cancellationToken) => db.Platforms.AnyAsync(cancellationToken);

    public async Task<bool> TryAddAsync(DynamicRegistrationResult registration, string? invitation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Guid? tenantId = null;
        if (invitation is not null)
        {
            tenantId = await TenantOfAsync(invitation, cancellationToken);
            if (tenantId is null)
            {
                return false;
            }
        }

        var platform = registration.Platform;
        var host = new Uri(platform.Issuer).Host;
        if (tenantId is { } district)
        {
            // Saved with the platform by RegisterPlatform's SaveChanges, or not at all.
            audit.RecordSystem(district, "platform.added", "district", district,
                $"{platform.Issuer} (client id {registration.ClientId}), deployment {registration.DeploymentId}, by dynamic registration");
        }

        var added = await register.TryAddNewAsync(
            new RegisterPlatformCommand(
                $"District at {host}",
                platform.ProductFamilyCode is { Length: > 0 } family ? $"{family} ({host})" : host,
                platform.Issuer,
                registration.ClientId,
                platform.AuthorizationEndpoint,
                platform.TokenEndpoint,
                platform.JwksUri,
                registration.DeploymentId),
            cancellationToken,
            tenantId);
        if (added is null)
        {
            db.ChangeTracker.Clear();
        }

        return added is not null;
    }

    private async Task<Guid?> TenantOfAsync(string invitation, CancellationToken cancellationToken) =>
        invitations.Read(invitation) is { } tenantId && await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken) ? tenantId : null;
}
