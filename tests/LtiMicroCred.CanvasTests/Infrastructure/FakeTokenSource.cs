using LtiMicroCred.Canvas.Auth;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// Hands out "token-1" until asked to refresh, then "token-2", "token-3"...; records every call so tests can check the
/// client refreshed exactly once and with the token Canvas rejected.
/// </summary>
internal sealed class FakeTokenSource : ICanvasUserTokenSource
{
    private readonly Lock _lock = new();
    private int _generation = 1;

    public string Current
    {
        get
        {
            lock (_lock)
            {
                return $"token-{_generation}";
            }
        }
    }

    public List<(CanvasUserKey User, string Rejected)> Refreshes { get; } = [];

    public List<CanvasUserKey> Requests { get; } = [];

    /// <summary>When set, refreshing throws this instead (a revoked grant).</summary>
    public Exception? RefreshFailure { get; set; }

    public ValueTask<string> GetAccessTokenAsync(CanvasUserKey user, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Requests.Add(user);
            return ValueTask.FromResult($"token-{_generation}");
        }
    }

    public ValueTask<string> RefreshAccessTokenAsync(CanvasUserKey user, string rejectedAccessToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Refreshes.Add((user, rejectedAccessToken));
            if (RefreshFailure is { } failure)
            {
                throw failure;
            }

            if (rejectedAccessToken == $"token-{_generation}")
            {
                _generation++;
            }

            return ValueTask.FromResult($"token-{_generation}");
        }
    }
}
