using System.Collections.Concurrent;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Services.Tokens;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

internal sealed class InMemoryToolKeyStore : IToolKeyStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredToolKey> _keys = [];

    public Task<IReadOnlyList<StoredToolKey>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredToolKey>>([.. _keys]);
        }
    }

    public Task AddAsync(StoredToolKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _keys.Add(key);
        }

        return Task.CompletedTask;
    }

    public Task SetStatusAsync(string kid, ToolKeyStatus status, DateTimeOffset? retiredAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _keys.FindIndex(k => k.Kid == kid);
            _keys[i] = _keys[i] with { Status = status, RetiredAt = retiredAt };
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string kid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _keys.RemoveAll(k => k.Kid == kid);
        }

        return Task.CompletedTask;
    }

    public Task KeepPublishedAsync(string kid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _keys.FindIndex(k => k.Kid == kid);
            _keys[i] = _keys[i] with { KeepPublished = true };
        }

        return Task.CompletedTask;
    }
}

/// <summary>The service token cache, counting lookups so a test can tell when every caller has looked.</summary>
internal sealed class InMemoryServiceTokenCache : IServiceTokenCache
{
    private readonly ConcurrentDictionary<(Guid, string), ServiceAccessToken> _tokens = new();
    private int _gets;

    /// <summary>Completes once <see cref="GetAsync"/> was called this many times (set before the calls).</summary>
    public int SignalAfterGets { get; set; } = int.MaxValue;

    public TaskCompletionSource GetsReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Gets => Volatile.Read(ref _gets);

    public IReadOnlyCollection<ServiceAccessToken> Tokens => [.. _tokens.Values];

    public Task<ServiceAccessToken?> GetAsync(Guid platformId, string scopeKey, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _gets) >= SignalAfterGets)
        {
            GetsReached.TrySetResult();
        }

        return Task.FromResult(_tokens.TryGetValue((platformId, scopeKey), out var token) ? token : null);
    }

    public Task SetAsync(Guid platformId, string scopeKey, ServiceAccessToken token, CancellationToken cancellationToken)
    {
        _tokens[(platformId, scopeKey)] = token;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(Guid platformId, string scopeKey, string accessToken, CancellationToken cancellationToken)
    {
        if (_tokens.TryGetValue((platformId, scopeKey), out var token) && token.AccessToken == accessToken)
        {
            _tokens.TryRemove(KeyValuePair.Create((platformId, scopeKey), token));
        }

        return Task.CompletedTask;
    }
}
