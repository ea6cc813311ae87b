namespace LtiMicroCred.Reviews;

/// <summary>
/// Breaks ties between reviewers with the same open load, so the same colleague is not always first. Injected, so a
/// test pins the seed and an allocation is reproducible.
/// </summary>
public interface IReviewRandomness
{
    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);
}

/// <summary>The default: seeded when a seed is given (tests), otherwise from the system's randomness.</summary>
public sealed class ReviewRandomness(int? seed = null) : IReviewRandomness
{
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();
    private readonly Lock _gate = new();

    public int Next(int maxExclusive)
    {
        lock (_gate)
        {
            return _random.Next(maxExclusive);
        }
    }
}
