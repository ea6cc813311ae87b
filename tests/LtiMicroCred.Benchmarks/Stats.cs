namespace LtiMicroCred.Benchmarks;

/// <summary>Latency figures of one series, in milliseconds (nearest-rank percentiles).</summary>
internal sealed record Latency(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static Latency Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0
            ? new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
            : new Latency(sorted.Length, sorted.Average(), Rank(sorted, 50), Rank(sorted, 95), Rank(sorted, 99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double percentile)
    {
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
