namespace LtiMicroCred.SandboxTests.Infrastructure;

/// <summary>
/// A clock the tests move by hand, so expiry is tested without sleeping. It starts years away from the real date:
/// any code that reads the machine's clock instead of this one breaks a test at once.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = new(2031, 3, 3, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
