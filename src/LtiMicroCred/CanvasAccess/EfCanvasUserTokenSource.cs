using System.Collections.Concurrent;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.CanvasAccess;

/// <summary>
/// The Canvas client's user tokens, from <see cref="CanvasConnection"/> rows (the key's user id is the row's id).
/// An access token is refreshed <see cref="RefreshMargin"/> before it expires, and when Canvas rejects it. One refresh
/// per connection runs in this process at a time, and a lease in the row keeps other nodes from refreshing at the same
/// moment: they wait for the new token instead. A refresh never clears the stored refresh token (Canvas keeps it and
/// answers without one).
/// </summary>
public sealed class EfCanvasUserTokenSource(
    IServiceScopeFactory scopes,
    CanvasSecrets secrets,
    TimeProvider timeProvider,
    ILogger<EfCanvasUserTokenSource> logger) : ICanvasUserTokenSource
{
    /// <summary>How long before expiry a token is renewed, so a request never leaves with one that dies on the way.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(2);

    /// <summary>How long a node may hold the refresh lease; a node that dies mid-refresh blocks the others no longer.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan LeasePollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<Guid, Lazy<Task<string>>> _inFlight = new();

    public async ValueTask<string> GetAccessTokenAsync(CanvasUserKey user, CancellationToken cancellationToken)
    {
        var id = ConnectionId(user);
        var row = await ReadAsync(id, cancellationToken) ?? throw NotConnected(user);
        var token = secrets.UnprotectToken(row.ProtectedAccessToken);
        if (token is not null && !IsDue(row))
        {
            return token;
        }

        return await RefreshMergedAsync(user, id, token ?? string.Empty, cancellationToken);
    }

    public async ValueTask<string> RefreshAccessTokenAsync(CanvasUserKey user, string rejectedAccessToken, CancellationToken cancellationToken) =>
        await RefreshMergedAsync(user, ConnectionId(user), rejectedAccessToken, cancellationToken);

    private Task<string> RefreshMergedAsync(CanvasUserKey user, Guid id, string rejected, CancellationToken cancellationToken)
    {
        var refresh = new Lazy<Task<string>>(() => RefreshAsync(user, id, rejected));
        var running = _inFlight.GetOrAdd(id, refresh);
        if (ReferenceEquals(running, refresh))
        {
            _ = refresh.Value.ContinueWith(_ => _inFlight.TryRemove(new KeyValuePair<Guid, Lazy<Task<string>>>(id, refresh)), TaskScheduler.Default);
        }

        // The shared refresh ignores any one caller's cancellation, so a caller giving up does not fail the others.
        return running.Value.WaitAsync(cancellationToken);
    }

    private async Task<string> RefreshAsync(CanvasUserKey user, Guid id, string rejected)
    {
        await Task.Yield();
        var giveUpAt = timeProvider.GetUtcNow() + 2 * LeaseDuration;
        while (true)
        {
            var row = await ReadAsync(id, CancellationToken.None) ?? throw NotConnected(user);
            if (secrets.UnprotectToken(row.ProtectedAccessToken) is { } stored && stored != rejected && !IsDue(row))
            {
                // Another node (or an earlier refresh here) has already replaced the rejected token.
                return stored;
            }

            var leaseId = Guid.NewGuid();
            if (await TryTakeLeaseAsync(id, leaseId, row.ProtectedAccessToken))
            {
                return await RefreshUnderLeaseAsync(user, id, leaseId);
            }

            if (timeProvider.GetUtcNow() >= giveUpAt)
            {
                throw new CanvasException("POST", "/login/oauth2/token", "Another node held the token refresh lease for too long; try again.");
            }

            CanvasAccessLog.RefreshWaiting(logger, id);
            await Task.Delay(LeasePollInterval, timeProvider);
        }
    }

    private async Task<string> RefreshUnderLeaseAsync(CanvasUserKey user, Guid id, Guid leaseId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var released = false;
        try
        {
            var row = await db.CanvasConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id) ?? throw NotConnected(user);
            var key = await scope.ServiceProvider.GetRequiredService<TenantCanvasKeys>().GetAsync(row.TenantId, CancellationToken.None);
            var refreshToken = secrets.UnprotectToken(row.ProtectedRefreshToken);
            if (key is null || refreshToken is null)
            {
                throw NotConnected(user);
            }

            CanvasUserToken answer;
            try
            {
                var canvas = scope.ServiceProvider.GetRequiredService<ICanvasClientRegistry>();
                answer = await canvas.Get(new Uri(row.CanvasBaseUrl)).OAuth.RefreshAsync(key.Key, refreshToken, CancellationToken.None);
            }
            catch (CanvasOAuthException e) when (e.Error == CanvasOAuthError.InvalidGrant)
            {
                CanvasAccessLog.RefreshRevoked(logger, id);
                await db.CanvasConnections.Where(c => c.Id == id && c.RefreshLeaseId == leaseId).ExecuteDeleteAsync();
                released = true;
                throw new CanvasAuthorizationRequiredException(user.CanvasBaseUrl, user.UserId,
                    "Canvas no longer accepts this user's authorization; they must connect the tool to Canvas again.", e);
            }

            var access = secrets.ProtectToken(answer.AccessToken);
            var now = timeProvider.GetUtcNow();
            // The refresh token column is written only when Canvas sent a new one, so a refresh can never lose it.
            var refresh = answer.RefreshToken is { Length: > 0 } newRefresh ? secrets.ProtectToken(newRefresh) : row.ProtectedRefreshToken;
            var stored = await db.CanvasConnections.Where(c => c.Id == id && c.RefreshLeaseId == leaseId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ProtectedAccessToken, access)
                .SetProperty(c => c.ProtectedRefreshToken, refresh)
                .SetProperty(c => c.AccessTokenExpiresAt, answer.ExpiresAt)
                .SetProperty(c => c.RefreshLeaseId, (Guid?)null)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTimeOffset?)null)
                .SetProperty(c => c.UpdatedAt, now));
            if (stored == 0 && answer.RefreshToken is { Length: > 0 })
            {
                // The lease ran out during a slow refresh and another node has refreshed since. Its access token stands
                // (Canvas honours both), but a refresh token Canvas rotated in our answer must not be lost.
                await db.CanvasConnections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.ProtectedRefreshToken, refresh)
                    .SetProperty(c => c.UpdatedAt, now));
            }

            released = true;
            CanvasAccessLog.Refreshed(logger, id);
            return answer.AccessToken;
        }
        finally
        {
            if (!released)
            {
                await db.CanvasConnections.Where(c => c.Id == id && c.RefreshLeaseId == leaseId).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.RefreshLeaseId, (Guid?)null)
                    .SetProperty(c => c.RefreshLeaseUntil, (DateTimeOffset?)null));
            }
        }
    }

    /// <summary>
    /// A conditional UPDATE: exactly one node finds the lease free (or expired) and takes it, and only while the row
    /// still holds the access token this node read: another node may have refreshed and released its lease in between,
    /// and refreshing again would replace the token it just handed out.
    /// </summary>
    private async Task<bool> TryTakeLeaseAsync(Guid id, Guid leaseId, string seenAccessToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = timeProvider.GetUtcNow();
        var until = now + LeaseDuration;
        var taken = await db.CanvasConnections
            .Where(c => c.Id == id && c.ProtectedAccessToken == seenAccessToken && (c.RefreshLeaseUntil == null || c.RefreshLeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseId, leaseId).SetProperty(c => c.RefreshLeaseUntil, until));
        return taken == 1;
    }

    private async Task<CanvasConnection?> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().CanvasConnections.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    private bool IsDue(CanvasConnection row) =>
        row.AccessTokenExpiresAt is { } expires && timeProvider.GetUtcNow() >= expires - RefreshMargin;

    private static Guid ConnectionId(CanvasUserKey user) =>
        Guid.TryParse(user.UserId, out var id) ? id : throw NotConnected(user);

    private static CanvasAuthorizationRequiredException NotConnected(CanvasUserKey user) =>
        new(user.CanvasBaseUrl, user.UserId, "This user has not connected the tool to Canvas (or their connection was removed).");
}
