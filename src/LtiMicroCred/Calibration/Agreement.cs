namespace LtiMicroCred.Calibration;

/// <summary>One criterion of one reference: the level the reviewer gave and the agreed level (0-based indexes).</summary>
public readonly record struct ScorePair(string CriterionKey, int Reviewer, int Reference);

/// <summary>How often a reviewer matched the agreed level on one criterion, and within one level of it (0..1).</summary>
public sealed record CriterionAgreement(string CriterionKey, int Scores, double Exact, double Adjacent);

public sealed record AgreementResult(IReadOnlyList<CriterionAgreement> Criteria, int Scores, double Exact, double Adjacent, double WeightedKappa);

/// <summary>
/// Inter-rater agreement of a reviewer with the agreed (reference) scores, as the Arkansas calibration measures it.
/// <para>
/// Exact agreement is the share of scores equal to the agreed level; adjacent agreement the share within one level
/// (|reviewer - reference| &lt;= 1, so it includes the exact ones).
/// </para>
/// <para>
/// Quadratic weighted Cohen's kappa over all (reviewer level, reference level) pairs of the exercise, with k levels
/// numbered 0..k-1: the weight of a disagreement is w(i, j) = (i - j)² / (k - 1)²; O(i, j) is the share of pairs
/// scored i by the reviewer and j by the reference, and E(i, j) = R(i) · C(j) the share expected by chance from the
/// reviewer's and the reference's own level frequencies (R and C, the margins). Then
/// κ = 1 - Σ w·O / Σ w·E: 1 is perfect agreement, 0 no better than chance, negative worse than chance (-1 at most
/// for two levels used in mirror image).
/// </para>
/// <para>
/// Degenerate cases, decided so that a reviewer is never marked calibrated by accident: no pairs gives κ = 0; fewer
/// than two levels gives κ = 1 when there are pairs (every score is the only level, so they all agree); an expected
/// disagreement Σ w·E of 0 (the reviewer and the reference each used one and the same level for everything) can only
/// come with an observed disagreement of 0 too, and gives κ = 1.
/// </para>
/// </summary>
public static class Agreement
{
    public static AgreementResult Measure(IReadOnlyCollection<ScorePair> pairs, int levels)
    {
        var criteria = pairs.GroupBy(p => p.CriterionKey, StringComparer.Ordinal)
            .Select(g => new CriterionAgreement(g.Key, g.Count(), Exact(g.ToList()), Adjacent(g.ToList())))
            .ToList();
        return new AgreementResult(criteria, pairs.Count, Exact(pairs), Adjacent(pairs), QuadraticWeightedKappa(pairs, levels));
    }

    public static double Exact(IReadOnlyCollection<ScorePair> pairs) =>
        pairs.Count == 0 ? 0 : (double)pairs.Count(p => p.Reviewer == p.Reference) / pairs.Count;

    public static double Adjacent(IReadOnlyCollection<ScorePair> pairs) =>
        pairs.Count == 0 ? 0 : (double)pairs.Count(p => Math.Abs(p.Reviewer - p.Reference) <= 1) / pairs.Count;

    public static double QuadraticWeightedKappa(IReadOnlyCollection<ScorePair> pairs, int levels)
    {
        if (pairs.Count == 0)
        {
            return 0;
        }

        if (levels < 2)
        {
            return 1;
        }

        foreach (var pair in pairs)
        {
            if (pair.Reviewer < 0 || pair.Reviewer >= levels || pair.Reference < 0 || pair.Reference >= levels)
            {
                throw new ArgumentOutOfRangeException(nameof(pairs), "Every level must be between 0 and the number of levels - 1.");
            }
        }

        var n = (double)pairs.Count;
        var observed = new double[levels, levels];
        var reviewerMargin = new double[levels];
        var referenceMargin = new double[levels];
        foreach (var pair in pairs)
        {
            observed[pair.Reviewer, pair.Reference] += 1 / n;
            reviewerMargin[pair.Reviewer] += 1 / n;
            referenceMargin[pair.Reference] += 1 / n;
        }

        double observedDisagreement = 0, expectedDisagreement = 0;
        var scale = (double)(levels - 1) * (levels - 1);
        for (var i = 0; i < levels; i++)
        {
            for (var j = 0; j < levels; j++)
            {
                var weight = (i - j) * (i - j) / scale;
                observedDisagreement += weight * observed[i, j];
                expectedDisagreement += weight * reviewerMargin[i] * referenceMargin[j];
            }
        }

        // Both used one and the same level throughout: nothing to tell apart from chance, and no disagreement at all.
        return expectedDisagreement < 1e-12 ? 1 : 1 - (observedDisagreement / expectedDisagreement);
    }
}
