namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// Merges concurrent refreshes: when several requests of one user hit a 401 with the same expired token at once, the
/// token source is asked once and all of them wait for that answer. The shared refresh does not follow any one
/// caller's cancellation, so a caller giving up does not fail the others.
/// </summary>
internal sealed class TokenRefreshes(ICanvasUserTokenSource source)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(CanvasUserKey User, string Rejected), Task<string>> _inFlight = [];

    public Task<string> RefreshAsync(CanvasUserKey user, string rejectedAccessToken, CancellationToken cancellationToken)
    {
        Task<string> refresh;
        lock (_lock)
        {
            var key = (user, rejectedAccessToken);
            if (!_inFlight.TryGetValue(key, out refresh!))
            {
                refresh = RunAsync(key);
                _inFlight[key] = refresh;
            }
        }

        return refresh.WaitAsync(cancellationToken);
    }

    private async Task<string> RunAsync((CanvasUserKey User, string Rejected) key)
    {
        try
        {
            await Task.Yield();
            return await source.RefreshAccessTokenAsync(key.User, key.Rejected, CancellationToken.None);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight.Remove(key);
            }
        }
    }
}
