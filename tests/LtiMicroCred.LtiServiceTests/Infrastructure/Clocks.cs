using System.Collections.Concurrent;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>
/// The real clock plus an offset the test moves forward. Timers are real, except that with
/// <see cref="ShortenLongTimers"/> a timer of <see cref="LongTimer"/> or more (the resilience handler's 30 s attempt
/// timeout) fires after a few milliseconds instead.
/// </summary>
internal sealed class SettableClock : TimeProvider
{
    public static readonly TimeSpan LongTimer = TimeSpan.FromSeconds(30);
    private long _offsetTicks;

    public bool ShortenLongTimers { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ShortenedTimer(this, System.CreateTimer(callback, state, Shorten(dueTime), period));

    private TimeSpan Shorten(TimeSpan dueTime) => ShortenLongTimers && dueTime >= LongTimer ? TimeSpan.FromMilliseconds(5) : dueTime;

    private sealed class ShortenedTimer(SettableClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Shorten(dueTime), period);

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>
/// A stopped clock whose timers fire at once, moving the clock by their due time: a Task.Delay on it returns
/// immediately and leaves the delay it was asked for in <see cref="Delays"/>.
/// </summary>
internal sealed class RecordingDelayClock(DateTimeOffset start) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private long _nowTicks = start.UtcTicks;

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _nowTicks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _delays.Enqueue(dueTime);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _nowTicks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
