using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Persistence;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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
    private static readonly PerModelQuery<Func<AppDbContext, string, CancellationToken, Task<LaunchStateRecord?>>> FindRecord = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, string state, CancellationToken _) =>
            db.LaunchStates.AsNoTracking().SingleOrDefault(s => s.State == state)));

    // The UPDATE ... RETURNING of the databases that have it (PostgreSQL; SQLite since 3.35), with the model's own
    // table and column names; null for the others (SQL Server), which take and then read.
    private static readonly ConditionalWeakTable<IModel, StrongBox<TakeStatement?>> TakeAndReturn = [];

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

    public async Task<LaunchState?> FindAsync(string state, CancellationToken cancellationToken) =>
        await FindRecord.For(db)(db, state, cancellationToken) is { } row ? AsLaunchState(row) : null;

    public async Task<LaunchStateTake> TakeAsync(string state, string browserBindingHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One conditional UPDATE: of two nodes racing with the same state, exactly one changes the row. Where the
        // database can return the changed row, the taken case (every good launch) is that one round trip. The
        // binding hash is compared in SQL, not in fixed time: it is the SHA-256 of a 256-bit random secret, and
        // learning how much of a hash matches does not help anyone find a secret with that hash.
        var taken = TakeAndReturnStatement(db) is { } statement
            ? (await db.LaunchStates.FromSqlRaw(statement.Sql, state, browserBindingHash, statement.Time(now)).AsNoTracking().ToListAsync(cancellationToken))
                .Select(AsLaunchState).SingleOrDefault()
            : await TakeThenReadAsync(state, browserBindingHash, now, cancellationToken);
        if (taken is not null)
        {
            return new LaunchStateTake(LaunchStateTakeOutcome.Taken, taken);
        }

        var row = await FindRecord.For(db)(db, state, cancellationToken);
        return row switch
        {
            null => new LaunchStateTake(LaunchStateTakeOutcome.NotFound, null),
            _ when !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.BrowserBindingHash), Encoding.ASCII.GetBytes(browserBindingHash)) =>
                new LaunchStateTake(LaunchStateTakeOutcome.NotBoundToBrowser, AsLaunchState(row)),
            { UsedAt: not null } => new LaunchStateTake(LaunchStateTakeOutcome.AlreadyUsed, AsLaunchState(row)),
            _ when row.ExpiresAt <= now => new LaunchStateTake(LaunchStateTakeOutcome.Expired, AsLaunchState(row)),
            // Unused, unexpired and bound to this browser, yet not taken: another request took it between the two reads.
            _ => new LaunchStateTake(LaunchStateTakeOutcome.AlreadyUsed, AsLaunchState(row)),
        };
    }

    public Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.LaunchStates.Where(s => s.ExpiresAt < before).ExecuteDeleteAsync(cancellationToken);

    private async Task<LaunchState?> TakeThenReadAsync(string state, string browserBindingHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await db.LaunchStates
            .Where(s => s.State == state && s.BrowserBindingHash == browserBindingHash && s.UsedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken);
        return changed == 1 ? await FindAsync(state, cancellationToken) : null;
    }

    private static TakeStatement? TakeAndReturnStatement(AppDbContext db) =>
        TakeAndReturn.GetValue(db.Model, _ => new StrongBox<TakeStatement?>(BuildTakeStatement(db))).Value;

    private static TakeStatement? BuildTakeStatement(AppDbContext db)
    {
        if (db.Database.ProviderName is not (AppDbContext.PostgreSqlProviderName or AppDbContext.SqliteProviderName))
        {
            return null;
        }

        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(LaunchStateRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        return new TakeStatement(
            $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {Column(nameof(LaunchStateRecord.UsedAt))} = {{2}} " +
            $"WHERE {Column(nameof(LaunchStateRecord.State))} = {{0}} AND {Column(nameof(LaunchStateRecord.BrowserBindingHash))} = {{1}} " +
            $"AND {Column(nameof(LaunchStateRecord.UsedAt))} IS NULL AND {Column(nameof(LaunchStateRecord.ExpiresAt))} > {{2}} RETURNING *",
            entity.FindProperty(nameof(LaunchStateRecord.UsedAt))!.GetTypeMapping().Converter);
    }

    private static LaunchState AsLaunchState(LaunchStateRecord s) =>
        new(s.State, s.Nonce, s.PlatformId, s.TargetLinkUri, s.BrowserBindingHash, s.StorageTarget, s.CreatedAt, s.ExpiresAt);

    /// <param name="TimeConverter">A raw parameter is bound by its CLR type, not by the column's mapping, so a time goes
    /// in as the column stores it (SQLite keeps times as binary numbers).</param>
    private sealed record TakeStatement(string Sql, ValueConverter? TimeConverter)
    {
        public object Time(DateTimeOffset time) => TimeConverter?.ConvertToProvider(time) ?? time;
    }
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
