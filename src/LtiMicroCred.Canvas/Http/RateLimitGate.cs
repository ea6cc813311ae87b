namespace LtiMicroCred.Canvas.Http;

/// <summary>
/// The client's estimate of one Canvas host's rate-limit bucket. Canvas reports what is left after each request
/// (<c>X-Rate-Limit-Remaining</c>) and what the request cost (<c>X-Request-Cost</c>); the bucket refills at a steady
/// rate. Waiting before the bucket is empty is cheaper than being refused: a refused request still costs, and the
/// refusal carries no Retry-After to go by.
/// </summary>
internal sealed class RateLimitGate(CanvasClientOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double? _remaining;
    private long _observedAt;
    private double _lastCost;

    public void Observe(double? remaining, double? cost)
    {
        lock (_lock)
        {
            if (remaining is { } value)
            {
                _remaining = value;
                _observedAt = time.GetTimestamp();
            }

            if (cost is { } spent)
            {
                _lastCost = spent;
            }
        }
    }

    /// <summary>
    /// How long to wait before the next request so that, after paying about what the last request cost, the bucket
    /// stays at or above the threshold; zero while it has room (or before Canvas has said anything).
    /// </summary>
    public TimeSpan DelayBeforeNextRequest(out double estimatedRemaining)
    {
        lock (_lock)
        {
            if (_remaining is not { } remaining)
            {
                estimatedRemaining = double.NaN;
                return TimeSpan.Zero;
            }

            var drained = time.GetElapsedTime(_observedAt).TotalSeconds * options.ThrottleRecoveryPerSecond;
            estimatedRemaining = remaining + drained;
            var deficit = options.ThrottleThreshold - (estimatedRemaining - _lastCost);
            if (deficit <= 0)
            {
                return TimeSpan.Zero;
            }

            var wait = TimeSpan.FromSeconds(deficit / options.ThrottleRecoveryPerSecond);
            return wait < options.MaxThrottleDelay ? wait : options.MaxThrottleDelay;
        }
    }
}
