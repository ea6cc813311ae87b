using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

public sealed record CredentialRow(Guid Id, string Key, string Title, bool Retired, int? CurrentVersion, int VersionCount, int ActiveOfferings, int Offerings);

/// <summary>Every credential of the district with its version and offerings, for the district administrator's catalog page.</summary>
public sealed class CatalogOverview(AppDbContext db)
{
    public async Task<IReadOnlyList<CredentialRow>> HandleAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var rows = await db.Credentials.AsNoTracking()
            .Where(c => c.TenantId == actor.TenantId)
            .Select(c => new
            {
                c.Id,
                c.Key,
                c.Title,
                c.Retired,
                Current = db.CredentialVersions.Where(v => v.Id == c.CurrentVersionId).Select(v => (int?)v.Number).FirstOrDefault(),
                Versions = db.CredentialVersions.Count(v => v.CredentialId == c.Id),
                Active = db.Offerings.Count(o => o.CredentialId == c.Id && o.Active),
                Offerings = db.Offerings.Count(o => o.CredentialId == c.Id),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Title, StringComparer.Ordinal)
            .Select(r => new CredentialRow(r.Id, r.Key, r.Title, r.Retired, r.Current, r.Versions, r.Active, r.Offerings))];
    }
}
