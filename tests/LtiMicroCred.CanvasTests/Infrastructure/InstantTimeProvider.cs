namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// A clock on which every wait ends at once: a timer fires immediately, the clock jumps forward by its due time, and
/// the wait is recorded. Tests assert the waits the client asked for without ever sleeping.
/// </summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _delays = [];
    private DateTimeOffset _now = new(2025, 3, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Runs as each wait is recorded, before it ends (to capture what the stub had seen by then).</summary>
    public Action<TimeSpan>? OnDelay { get; set; }

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_lock)
            {
                return [.. _delays];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Elapse(TimeSpan dueTime)
    {
        lock (_lock)
        {
            _now += dueTime;
            _delays.Add(dueTime);
        }

        OnDelay?.Invoke(dueTime);
    }

    private sealed class InstantTimer(InstantTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed || dueTime == Timeout.InfiniteTimeSpan)
            {
                return !_disposed;
            }

            clock.Elapse(dueTime);

            // Fire on the pool, never inside CreateTimer: the caller may not have stored the timer yet.
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!_disposed)
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
