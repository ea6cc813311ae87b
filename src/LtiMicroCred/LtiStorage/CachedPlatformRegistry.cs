using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.LtiStorage;

/// <summary>
/// Platform registrations change a few times a year but are read several times on every launch, so each node keeps
/// what it read for a short while. A change made on this node is seen at once (<see cref="Invalidate"/>); a change made
/// on another node is seen within <see cref="Lifetime"/>. Unknown issuers and deployments are remembered for a shorter
/// time, so a flood of forged launches does not become a flood of queries, yet a new deployment is soon accepted.
/// </summary>
public sealed class PlatformRegistryCache(TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan NegativeLifetime = TimeSpan.FromSeconds(5);

    // Keys come from requests (issuers, client and deployment ids); the cache bounds itself.
    private readonly ExpiringCache<string, object?> entries = new(timeProvider);

    public async Task<T> GetOrAddAsync<T>(string key, Func<Task<T>> load, Func<T, bool> isKnown) =>
        (T)(await entries.GetOrAddAsync(key, async () => await load(), value => isKnown((T)value!) ? Lifetime : NegativeLifetime))!;

    /// <summary>Forgets everything; called after this node registers or changes a platform.</summary>
    public void Invalidate() => entries.Clear();
}

/// <summary>The platform registry the LTI layer uses: the database, read through <see cref="PlatformRegistryCache"/>.</summary>
public sealed class CachedPlatformRegistry(EfPlatformRegistry inner, PlatformRegistryCache cache, AppDbContext db) : IPlatformRegistry
{
    public Task<IReadOnlyList<LtiPlatform>> FindAsync(string issuer, string? clientId, CancellationToken cancellationToken) =>
        cache.GetOrAddAsync($"find\n{issuer}\n{clientId}", () => inner.FindAsync(issuer, clientId, cancellationToken), found => found.Count > 0);

    public Task<LtiPlatform?> GetAsync(Guid platformId, CancellationToken cancellationToken) =>
        cache.GetOrAddAsync($"get\n{platformId:N}", () => inner.GetAsync(platformId, cancellationToken), found => found is not null);

    public Task<bool> IsDeploymentRegisteredAsync(Guid platformId, string deploymentId, CancellationToken cancellationToken) =>
        cache.GetOrAddAsync(
            $"deployment\n{platformId:N}\n{deploymentId}",
            () => inner.IsDeploymentRegisteredAsync(platformId, deploymentId, cancellationToken),
            registered => registered);

    public Task<bool> IsDisabledAsync(string issuer, string? clientId, CancellationToken cancellationToken) =>
        cache.GetOrAddAsync($"disabled\n{issuer}\n{clientId}", () => inner.IsDisabledAsync(issuer, clientId, cancellationToken), disabled => disabled);

    /// <summary>The district a platform belongs to; what the product needs from every launch.</summary>
    public Task<Guid?> GetTenantIdAsync(Guid platformId, CancellationToken cancellationToken) =>
        cache.GetOrAddAsync(
            $"tenant\n{platformId:N}",
            async () => await db.Platforms.AsNoTracking().Where(p => p.Id == platformId).Select(p => (Guid?)p.TenantId)
                .SingleOrDefaultAsync(cancellationToken),
            found => found is not null);
}
