using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.CanvasAccess;

public sealed record SetCanvasDeveloperKeyCommand(Guid TenantId, Uri CanvasBaseUrl, string ClientId, string ClientSecret)
{
    public override string ToString() => $"SetCanvasDeveloperKeyCommand {{ TenantId = {TenantId}, CanvasBaseUrl = {CanvasBaseUrl}, ClientId = {ClientId} }}";
}

/// <summary>
/// Sets a tenant's Canvas developer key (base URL, client id, secret), replacing any earlier one. The secret is
/// stored encrypted. Connections made with another Canvas host stay in the database but are no longer used.
/// </summary>
public sealed class SetCanvasDeveloperKey(AppDbContext db, CanvasSecrets secrets, TimeProvider timeProvider)
{
    public async Task HandleAsync(SetCanvasDeveloperKeyCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.ClientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.ClientSecret);
        var baseUrl = CanvasHost.Normalize(command.CanvasBaseUrl);
        var row = await db.CanvasDeveloperKeys.SingleOrDefaultAsync(k => k.TenantId == command.TenantId, cancellationToken);
        var secret = secrets.ProtectClientSecret(command.ClientSecret);
        if (row is null)
        {
            db.CanvasDeveloperKeys.Add(new CanvasDeveloperKeyRecord
            {
                TenantId = command.TenantId,
                CanvasBaseUrl = baseUrl,
                ClientId = command.ClientId,
                ProtectedClientSecret = secret,
                UpdatedAt = timeProvider.GetUtcNow(),
            });
        }
        else
        {
            row.CanvasBaseUrl = baseUrl;
            row.ClientId = command.ClientId;
            row.ProtectedClientSecret = secret;
            row.UpdatedAt = timeProvider.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>A tenant's Canvas host and developer key, secret decrypted; <see cref="ToString"/> leaves the secret out.</summary>
public sealed record TenantCanvasKey(Uri CanvasBaseUrl, CanvasDeveloperKey Key)
{
    public override string ToString() => $"TenantCanvasKey {{ CanvasBaseUrl = {CanvasBaseUrl}, ClientId = {Key.ClientId} }}";
}

/// <summary>Reads a tenant's developer key back.</summary>
public sealed class TenantCanvasKeys(AppDbContext db, CanvasSecrets secrets)
{
    /// <returns>Null when the tenant has none, or its secret can no longer be decrypted (it must be set again).</returns>
    public async Task<TenantCanvasKey?> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var row = await db.CanvasDeveloperKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TenantId == tenantId, cancellationToken);
        return row is not null && secrets.UnprotectClientSecret(row.ProtectedClientSecret) is { } secret
            ? new TenantCanvasKey(new Uri(row.CanvasBaseUrl), new CanvasDeveloperKey(row.ClientId, secret))
            : null;
    }
}
