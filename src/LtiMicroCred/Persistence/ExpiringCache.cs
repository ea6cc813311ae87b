using System.Collections.Concurrent;

namespace LtiMicroCred.Persistence;

/// <summary>
/// What one node keeps of rarely changed rows that the busy paths read (platforms, school aliases, district names):
/// each value for the time the caller says, which may depend on the value (a shorter time for "not found", or none).
/// Keys can come from requests, so the cache is bounded: past <see cref="MaxEntries"/> it starts over.
/// </summary>
public sealed class ExpiringCache<TKey, TValue>(TimeProvider timeProvider)
    where TKey : notnull
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<TKey, Entry> entries = new();

    /// <param name="keepFor">How long to keep the loaded value; zero or less keeps nothing.</param>
    public async Task<TValue> GetOrAddAsync(TKey key, Func<Task<TValue>> load, Func<TValue, TimeSpan> keepFor)
    {
        var now = timeProvider.GetUtcNow();
        if (entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Value;
        }

        var value = await load();
        var lifetime = keepFor(value);
        if (lifetime > TimeSpan.Zero)
        {
            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }

            entries[key] = new Entry(value, now + lifetime);
        }

        return value;
    }

    public void Remove(TKey key) => entries.TryRemove(key, out _);

    public void Clear() => entries.Clear();

    private sealed record Entry(TValue Value, DateTimeOffset ExpiresAt);
}
