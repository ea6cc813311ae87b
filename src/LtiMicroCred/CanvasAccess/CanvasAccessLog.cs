using Microsoft.Extensions.Logging;

namespace LtiMicroCred.CanvasAccess;

/// <summary>Log lines of Canvas access. Ids and outcomes only: never a token, secret, code or state.</summary>
internal static partial class CanvasAccessLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Person {PersonId} of tenant {TenantId} was sent to Canvas to authorize the tool")]
    public static partial void ConnectStarted(ILogger logger, Guid personId, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Person {PersonId} connected Canvas user {CanvasUserId} at {CanvasBaseUrl}")]
    public static partial void Connected(ILogger logger, Guid personId, long canvasUserId, string canvasBaseUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canvas authorization refused: {Outcome}")]
    public static partial void ConnectRefused(ILogger logger, CanvasConnectOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Person {PersonId} came back from Canvas as Canvas user {AuthorizedUserId}, not {ExpectedUserId}; nothing was stored")]
    public static partial void WrongCanvasUser(ILogger logger, Guid personId, long? authorizedUserId, long expectedUserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canvas refused the authorization code exchange for person {PersonId}: {ErrorCode}")]
    public static partial void ExchangeRefused(ILogger logger, Guid personId, string errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the Canvas access token of connection {ConnectionId}")]
    public static partial void Refreshed(ILogger logger, Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canvas refused the refresh token of connection {ConnectionId}; the user must connect again")]
    public static partial void RefreshRevoked(ILogger logger, Guid connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} is being refreshed by another node; waiting for it")]
    public static partial void RefreshWaiting(ILogger logger, Guid connectionId);
}
