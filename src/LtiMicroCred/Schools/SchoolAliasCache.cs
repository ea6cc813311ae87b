using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Schools;

/// <summary>
/// Every launch asks which school its custom parameters name, and a district's aliases change a few times a year, so
/// each node keeps a tenant's aliases for <see cref="Lifetime"/>: the busy launch path reads none of them from the
/// database. A change made on this node is seen at once (<see cref="Invalidate"/>); one made on another node within
/// <see cref="Lifetime"/>.
/// </summary>
public sealed class SchoolAliasCache(TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Keys are tenant ids of launches that passed validation, so growth is bounded by the districts served.
    private readonly ExpiringCache<Guid, IReadOnlyDictionary<string, Guid>> _entries = new(timeProvider);

    /// <summary>The schools the launch's custom parameters point to, without duplicates; empty when none match.</summary>
    public async Task<IReadOnlyList<Guid>> MatchAsync(AppDbContext db, Guid tenantId, IReadOnlyDictionary<string, string> custom, CancellationToken cancellationToken)
    {
        if (custom.Count == 0)
        {
            return [];
        }

        var aliases = await AliasesAsync(db, tenantId, cancellationToken);
        if (aliases.Count == 0)
        {
            return [];
        }

        var schools = new List<Guid>(1);
        foreach (var (parameter, value) in custom)
        {
            if (aliases.TryGetValue(AliasKey(parameter, value), out var schoolId) && !schools.Contains(schoolId))
            {
                schools.Add(schoolId);
            }
        }

        return schools;
    }

    public void Invalidate(Guid tenantId) => _entries.Remove(tenantId);

    /// <summary>Parameter names match exactly (they are configured by the LMS admin); values ignore case and outer spaces,
    /// because account names are typed by people on both sides.</summary>
    public static string AliasKey(string parameter, string value) => parameter + "\n" + value.Trim().ToUpperInvariant();

    private Task<IReadOnlyDictionary<string, Guid>> AliasesAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        _entries.GetOrAddAsync(tenantId, async () =>
        {
            var rows = await db.SchoolAliases.AsNoTracking().Where(a => a.TenantId == tenantId)
                .Select(a => new { a.Parameter, a.Value, a.SchoolId }).ToListAsync(cancellationToken);
            var aliases = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                aliases.TryAdd(AliasKey(row.Parameter, row.Value), row.SchoolId);
            }

            return (IReadOnlyDictionary<string, Guid>)aliases;
        }, _ => Lifetime);
}
