using LtiMicroCred.Canvas;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.CanvasAccess;

/// <summary>The district has no Canvas developer key, so nothing can be read from Canvas's REST API for it.</summary>
public sealed class CanvasNotConfiguredException(Guid tenantId)
    : Exception("The district has not set its Canvas developer key, so the tool cannot use the Canvas REST API for it.")
{
    public Guid TenantId { get; } = tenantId;
}

/// <summary>Where a person stands with Canvas access: what the Canvas page shows.</summary>
public sealed record CanvasAccessStatus(bool Configured, bool CanvasUserKnown, bool Connected, string? CanvasUserName);

/// <summary>The Canvas REST API as a person, through the connection they made; the product's way into the Canvas client.</summary>
public sealed class CanvasUserClients(AppDbContext db, TenantCanvasKeys keys, ICanvasClientRegistry canvas)
{
    /// <summary>
    /// A client that acts as the person's Canvas user. Throws <see cref="CanvasNotConfiguredException"/> when the
    /// district has no developer key and <see cref="CanvasAuthorizationRequiredException"/> when the person has not
    /// connected (the same exception the client throws later if Canvas revokes the grant).
    /// </summary>
    public async Task<CanvasUserClient> ForPersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.TenantId, p.CanvasUserId })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new ArgumentException($"There is no person {personId}.", nameof(personId));
        var key = await keys.GetAsync(person.TenantId, cancellationToken) ?? throw new CanvasNotConfiguredException(person.TenantId);
        var client = canvas.Get(key.CanvasBaseUrl);
        var connection = await FindConnectionAsync(person.TenantId, client.BaseUrl, personId, person.CanvasUserId, cancellationToken)
            ?? throw new CanvasAuthorizationRequiredException(client.BaseUrl, personId.ToString(), "This person has not connected the tool to Canvas.");
        return client.ForUser(connection.Id.ToString());
    }

    public async Task<CanvasAccessStatus> GetStatusAsync(Guid personId, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.TenantId, p.CanvasUserId })
            .SingleOrDefaultAsync(cancellationToken);
        if (person is null || await keys.GetAsync(person.TenantId, cancellationToken) is not { } key)
        {
            return new CanvasAccessStatus(false, person?.CanvasUserId is not null, false, null);
        }

        var connection = await FindConnectionAsync(person.TenantId, CanvasHost.Normalize(key.CanvasBaseUrl), personId, person.CanvasUserId, cancellationToken);
        return new CanvasAccessStatus(true, person.CanvasUserId is not null, connection is not null, connection?.CanvasUserName);
    }

    // The connection is the person's own (they approved it in Canvas) and still for the Canvas user their launches name:
    // a Canvas user id alone, which any platform's custom parameters can carry, never opens someone else's connection.
    private Task<CanvasConnection?> FindConnectionAsync(Guid tenantId, string baseUrl, Guid personId, long? canvasUserId, CancellationToken cancellationToken) =>
        db.CanvasConnections.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.CanvasBaseUrl == baseUrl)
            .Where(c => c.PersonId == personId && (canvasUserId == null || c.CanvasUserId == canvasUserId))
            .OrderByDescending(c => c.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
}
