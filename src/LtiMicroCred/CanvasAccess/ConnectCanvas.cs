using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.CanvasAccess;

/// <summary>Why a person cannot be sent to Canvas's authorization page.</summary>
public enum CanvasConnectProblem
{
    /// <summary>The district has not set its Canvas developer key.</summary>
    NotConfigured,

    /// <summary>The person's launches never named their Canvas user (not a Canvas, or $Canvas.user.id not configured).</summary>
    UnknownCanvasUser,
}

/// <summary>Where to send the browser, or why not.</summary>
public sealed record CanvasConnectStart(Uri? AuthorizeUrl, CanvasConnectProblem? Problem);

/// <summary>
/// Starts Canvas's authorization-code flow for the launching person: a state sealed for this tenant, person, Canvas
/// user and browser (the caller keeps <c>browserBinding</c> in a cookie), and the URL of Canvas's consent page.
/// </summary>
public sealed class BeginCanvasConnection(
    AppDbContext db,
    TenantCanvasKeys keys,
    CanvasAuthorizationStates states,
    ICanvasClientRegistry canvas,
    ILogger<BeginCanvasConnection> logger)
{
    public async Task<CanvasConnectStart> HandleAsync(Guid tenantId, Guid personId, Uri redirectUri, string browserBinding, CancellationToken cancellationToken)
    {
        if (await keys.GetAsync(tenantId, cancellationToken) is not { } key)
        {
            return new CanvasConnectStart(null, CanvasConnectProblem.NotConfigured);
        }

        var canvasUserId = await db.People.Where(p => p.Id == personId && p.TenantId == tenantId).Select(p => p.CanvasUserId).SingleOrDefaultAsync(cancellationToken);
        if (canvasUserId is not { } userId)
        {
            return new CanvasConnectStart(null, CanvasConnectProblem.UnknownCanvasUser);
        }

        var state = states.Seal(tenantId, personId, userId, browserBinding);
        var url = canvas.Get(key.CanvasBaseUrl).OAuth.BuildAuthorizeUrl(key.Key.ClientId, redirectUri, state);
        CanvasAccessLog.ConnectStarted(logger, personId, tenantId);
        return new CanvasConnectStart(url, null);
    }
}

/// <summary>What came back on the redirect from Canvas's consent page.</summary>
public sealed record CanvasAuthorizationResponse(string? Code, string? State, string? Error, string? ErrorDescription)
{
    public override string ToString() => $"CanvasAuthorizationResponse {{ Error = {Error}, HasCode = {Code is not null} }}";
}

public enum CanvasConnectOutcome
{
    Connected,

    /// <summary>The person chose not to authorize the tool (<c>error=access_denied</c>).</summary>
    Declined,

    /// <summary>The state is missing, altered, from another tool or expired.</summary>
    InvalidState,

    /// <summary>The state was made for another browser (its binding cookie is not this one's).</summary>
    NotYourState,

    /// <summary>Someone other than the launching person's Canvas user authorized; nothing is stored.</summary>
    WrongCanvasUser,

    NotConfigured,

    /// <summary>Canvas refused the authorization or the code (expired, used, bad developer key).</summary>
    CanvasRefused,

    /// <summary>Canvas could not be reached or failed.</summary>
    CanvasUnavailable,
}

public sealed record CanvasConnectResult(CanvasConnectOutcome Outcome, string? CanvasUserName = null, CanvasOAuthError? CanvasError = null);

/// <summary>
/// Finishes the flow on Canvas's redirect: checks the state (sealed, unexpired, this browser's), trades the code for
/// tokens, checks that the Canvas user who authorized is the launching person's, and stores the tokens encrypted.
/// </summary>
public sealed class CompleteCanvasConnection(
    AppDbContext db,
    TenantCanvasKeys keys,
    CanvasAuthorizationStates states,
    CanvasSecrets secrets,
    ICanvasClientRegistry canvas,
    TimeProvider timeProvider,
    ILogger<CompleteCanvasConnection> logger)
{
    public async Task<CanvasConnectResult> HandleAsync(CanvasAuthorizationResponse response, string? browserBinding, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var result = await ConnectAsync(response, browserBinding, redirectUri, cancellationToken);
        if (result.Outcome is not (CanvasConnectOutcome.Connected or CanvasConnectOutcome.Declined))
        {
            CanvasAccessLog.ConnectRefused(logger, result.Outcome);
        }

        return result;
    }

    private async Task<CanvasConnectResult> ConnectAsync(CanvasAuthorizationResponse response, string? browserBinding, Uri redirectUri, CancellationToken cancellationToken)
    {
        if (states.Open(response.State) is not { } state
            || !await db.People.AnyAsync(p => p.Id == state.PersonId && p.TenantId == state.TenantId, cancellationToken))
        {
            return new CanvasConnectResult(CanvasConnectOutcome.InvalidState);
        }

        if (!CanvasAuthorizationStates.IsBoundTo(state, browserBinding))
        {
            return new CanvasConnectResult(CanvasConnectOutcome.NotYourState);
        }

        if (!string.IsNullOrEmpty(response.Error) || string.IsNullOrEmpty(response.Code))
        {
            return response.Error == "access_denied"
                ? new CanvasConnectResult(CanvasConnectOutcome.Declined)
                : new CanvasConnectResult(CanvasConnectOutcome.CanvasRefused, CanvasError: CanvasOAuthError.Other);
        }

        if (await keys.GetAsync(state.TenantId, cancellationToken) is not { } key)
        {
            return new CanvasConnectResult(CanvasConnectOutcome.NotConfigured);
        }

        CanvasUserToken token;
        try
        {
            token = await canvas.Get(key.CanvasBaseUrl).OAuth.ExchangeCodeAsync(key.Key, response.Code, redirectUri, cancellationToken);
        }
        catch (CanvasOAuthException e)
        {
            CanvasAccessLog.ExchangeRefused(logger, state.PersonId, e.ErrorCode);
            return new CanvasConnectResult(CanvasConnectOutcome.CanvasRefused, CanvasError: e.Error);
        }
        catch (CanvasException)
        {
            return new CanvasConnectResult(CanvasConnectOutcome.CanvasUnavailable);
        }

        if (token.CanvasUserId != state.CanvasUserId)
        {
            CanvasAccessLog.WrongCanvasUser(logger, state.PersonId, token.CanvasUserId, state.CanvasUserId);
            return new CanvasConnectResult(CanvasConnectOutcome.WrongCanvasUser);
        }

        if (string.IsNullOrEmpty(token.RefreshToken))
        {
            // Without a refresh token the connection would die within the hour and look like a bug later.
            return new CanvasConnectResult(CanvasConnectOutcome.CanvasRefused, CanvasError: CanvasOAuthError.Other);
        }

        var baseUrl = CanvasHost.Normalize(key.CanvasBaseUrl);
        await StoreAsync(state, baseUrl, token, cancellationToken);
        CanvasAccessLog.Connected(logger, state.PersonId, state.CanvasUserId, baseUrl);
        return new CanvasConnectResult(CanvasConnectOutcome.Connected, token.CanvasUserName);
    }

    private async Task StoreAsync(CanvasAuthorizationState state, string baseUrl, CanvasUserToken token, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var access = secrets.ProtectToken(token.AccessToken);
        var refresh = secrets.ProtectToken(token.RefreshToken!);
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.CanvasConnections.SingleOrDefaultAsync(
                c => c.TenantId == state.TenantId && c.CanvasBaseUrl == baseUrl && c.CanvasUserId == state.CanvasUserId, cancellationToken);
            if (row is null)
            {
                row = new CanvasConnection
                {
                    Id = Guid.NewGuid(),
                    TenantId = state.TenantId,
                    CanvasBaseUrl = baseUrl,
                    CanvasUserId = state.CanvasUserId,
                    ProtectedAccessToken = access,
                    ProtectedRefreshToken = refresh,
                    ConnectedAt = now,
                };
                db.CanvasConnections.Add(row);
            }

            row.PersonId = state.PersonId;
            row.CanvasUserName = token.CanvasUserName;
            row.ProtectedAccessToken = access;
            row.ProtectedRefreshToken = refresh;
            row.AccessTokenExpiresAt = token.ExpiresAt;
            row.RefreshLeaseId = null;
            row.RefreshLeaseUntil = null;
            row.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // The same Canvas user connected from two windows at once and the other insert won: update that row.
                db.ChangeTracker.Clear();
            }
        }
    }
}
