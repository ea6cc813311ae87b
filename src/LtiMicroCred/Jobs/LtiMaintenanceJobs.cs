using Hangfire;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;

namespace LtiMicroCred.Jobs;

/// <summary>Rotates the tool's signing key. One run is one rotation step; Hangfire retries on failure.</summary>
public sealed class ToolKeyRotationJob(ToolKeySet keys)
{
    public const string RecurringJobId = "lti-tool-key-rotation";

    [AutomaticRetry(Attempts = 5)]
    public Task RunAsync(CancellationToken cancellationToken) => keys.RotateAsync(cancellationToken);
}

/// <summary>Deletes login states that expired a day ago or more (kept a while so replays are named as such).</summary>
public sealed class LaunchStatePurgeJob(ILaunchStateStore states, TimeProvider timeProvider)
{
    public const string RecurringJobId = "lti-launch-state-purge";

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        states.PurgeExpiredAsync(timeProvider.GetUtcNow() - TimeSpan.FromDays(1), cancellationToken);
}
