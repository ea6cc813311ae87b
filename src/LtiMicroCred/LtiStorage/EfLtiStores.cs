using System.Linq.Expressions;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Persistence;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.LtiStorage;

/// <summary>The LTI layer's platform registry, read from the tenants' platform registrations.</summary>
public sealed class EfPlatformRegistry(AppDbContext db) : IPlatformRegistry
{
    private static readonly Expression<Func<PlatformRegistration, LtiPlatform>> AsLtiPlatform =
        p => new LtiPlatform(p.Id, p.Issuer, p.ClientId, p.AuthorizationEndpoint, p.TokenEndpoint, p.JwksUrl);

    public async Task<IReadOnlyList<LtiPlatform>> FindAsync(string issuer, string? clientId, CancellationToken cancellationToken)
    {
        var query = db.Platforms.AsNoTracking().Where(p => p.Enabled && p.Issuer == issuer);
        if (clientId is not null)
        {
            query = query.Where(p => p.ClientId == clientId);
        }

        return await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(AsLtiPlatform).Take(2)
            .ToListAsync(cancellationToken);
    }

    public Task<LtiPlatform?> GetAsync(Guid platformId, CancellationToken cancellationToken) =>
        db.Platforms.AsNoTracking()
            .Where(p => p.Id == platformId && p.Enabled)
            .Select(AsLtiPlatform)
            .SingleOrDefaultAsync(cancellationToken);

    public Task<bool> IsDisabledAsync(string issuer, string? clientId, CancellationToken cancellationToken) =>
        db.Platforms.AsNoTracking().AnyAsync(p => !p.Enabled && p.Issuer == issuer && (clientId == null || p.ClientId == clientId), cancellationToken);

    public Task<bool> IsDeploymentRegisteredAsync(Guid platformId, string deploymentId, CancellationToken cancellationToken) =>
        db.Deployments.AnyAsync(d => d.PlatformId == platformId && d.DeploymentId == deploymentId, cancellationToken);
}

/// <summary>Launch states in the database, so any node can finish a login another began.</summary>
public sealed class EfLaunchStateStore(AppDbContext db) : ILaunchStateStore
{
    private static readonly PerModelQuery<Func<AppDbContext, string, CancellationToken, Task<LaunchState?>>> FindState = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, string state, CancellationToken _) =>
            db.LaunchStates.AsNoTracking()
                .Where(s => s.State == state)
                .Select(s => new LaunchState(s.State, s.Nonce, s.PlatformId, s.TargetLinkUri, s.BrowserBindingHash, s.StorageTarget, s.CreatedAt, s.ExpiresAt))
                .SingleOrDefault()));

    public async Task SaveAsync(LaunchState state, CancellationToken cancellationToken)
    {
        db.LaunchStates.Add(new LaunchStateRecord
        {
            State = state.State,
            Nonce = state.Nonce,
            PlatformId = state.PlatformId,
            TargetLinkUri = state.TargetLinkUri,
            BrowserBindingHash = state.BrowserBindingHash,
            StorageTarget = state.StorageTarget,
            CreatedAt = state.CreatedAt,
            ExpiresAt = state.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<LaunchState?> FindAsync(string state, CancellationToken cancellationToken) => FindState.For(db)(db, state, cancellationToken);

    public async Task<LaunchStateTakeOutcome> TakeAsync(string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One conditional UPDATE: of two nodes racing with the same state, exactly one changes the row.
        var changed = await db.LaunchStates
            .Where(s => s.State == state && s.UsedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken);
        if (changed == 1)
        {
            return LaunchStateTakeOutcome.Taken;
        }

        var row = await db.LaunchStates.AsNoTracking().Where(s => s.State == state)
            .Select(s => new { s.UsedAt, s.ExpiresAt }).SingleOrDefaultAsync(cancellationToken);
        return row switch
        {
            null => LaunchStateTakeOutcome.NotFound,
            { UsedAt: not null } => LaunchStateTakeOutcome.AlreadyUsed,
            _ => LaunchStateTakeOutcome.Expired,
        };
    }

    public Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.LaunchStates.Where(s => s.ExpiresAt < before).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>The tool's keys in the database, shared by every node.</summary>
public sealed class EfToolKeyStore(AppDbContext db) : IToolKeyStore
{
    public async Task<IReadOnlyList<StoredToolKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.ToolKeys.AsNoTracking()
            .Select(k => new StoredToolKey(k.Kid, k.Status, k.PublicJwk, k.ProtectedPrivateKey, k.CreatedAt, k.RetiredAt, k.KeepPublished))
            .ToListAsync(cancellationToken);

    public async Task AddAsync(StoredToolKey key, CancellationToken cancellationToken)
    {
        db.ToolKeys.Add(new ToolKeyRecord
        {
            Kid = key.Kid,
            Status = key.Status,
            PublicJwk = key.PublicJwk,
            ProtectedPrivateKey = key.ProtectedPrivateKey,
            CreatedAt = key.CreatedAt,
            RetiredAt = key.RetiredAt,
            KeepPublished = key.KeepPublished,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task SetStatusAsync(string kid, ToolKeyStatus status, DateTimeOffset? retiredAt, CancellationToken cancellationToken) =>
        db.ToolKeys.Where(k => k.Kid == kid)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, status).SetProperty(k => k.RetiredAt, retiredAt), cancellationToken);

    public Task DeleteAsync(string kid, CancellationToken cancellationToken) =>
        db.ToolKeys.Where(k => k.Kid == kid).ExecuteDeleteAsync(cancellationToken);

    public Task KeepPublishedAsync(string kid, CancellationToken cancellationToken) =>
        db.ToolKeys.Where(k => k.Kid == kid && !k.KeepPublished).ExecuteUpdateAsync(s => s.SetProperty(k => k.KeepPublished, true), cancellationToken);
}
