using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Tenancy;

/// <summary>
/// The district's name, shown on the page every launch lands on. A district is named once, when its first platform
/// is registered, and the tool has no way to rename it, so each node keeps the names it has read for
/// <see cref="Lifetime"/> (a rename made in the database directly shows within that time): one database round trip
/// fewer per launch.
/// </summary>
public sealed class TenantNames(TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private static readonly PerModelQuery<Func<AppDbContext, Guid, CancellationToken, Task<string?>>> FindName = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid tenantId, CancellationToken _) =>
            db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleOrDefault()));

    // Keys are tenant ids of signed-in people, so growth is bounded by the districts served.
    private readonly ExpiringCache<Guid, string?> _names = new(timeProvider);

    /// <summary>The tenant's name; empty when there is no such tenant (nothing is kept then).</summary>
    public async Task<string> NameAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        await _names.GetOrAddAsync(tenantId, () => FindName.For(db)(db, tenantId, cancellationToken), name => name is null ? TimeSpan.Zero : Lifetime)
        ?? string.Empty;
}
