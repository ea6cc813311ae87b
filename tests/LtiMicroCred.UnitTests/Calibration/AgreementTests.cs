using LtiMicroCred.Calibration;

namespace LtiMicroCred.UnitTests.Calibration;

/// <summary>The calibration statistics against values worked out by hand (the arithmetic is in each test).</summary>
public sealed class AgreementTests
{
    private const double Precision = 1e-9;

    [Fact]
    public void PerfectAgreement_IsExactEverywhere_AndKappaOne()
    {
        // k = 3. Every pair on the diagonal: observed disagreement Σ w·O = 0.
        // Margins R = C = (1/3, 1/3, 1/3); weights w(i,j) = (i-j)²/4, so Σ_i w(i,j) = 1.25, 0.5, 1.25 for j = 0, 1, 2;
        // expected Σ w·E = 1/3 · 1/3 · (1.25 + 0.5 + 1.25) = 1/3. κ = 1 - 0 / (1/3) = 1.
        var pairs = new[] { new ScorePair("a", 0, 0), new ScorePair("a", 1, 1), new ScorePair("b", 2, 2) };

        var result = Agreement.Measure(pairs, levels: 3);

        Assert.Equal(1, result.Exact, Precision);
        Assert.Equal(1, result.Adjacent, Precision);
        Assert.Equal(1, result.WeightedKappa, Precision);
        Assert.Equal(3, result.Scores);
        Assert.All(result.Criteria, c => Assert.Equal(1, c.Exact, Precision));
    }

    [Fact]
    public void TotalDisagreement_MirrorImageOfTheExtremes_IsKappaMinusOne()
    {
        // k = 3. Pairs (0,2) and (2,0): both at distance 2, weight (2²)/(2²) = 1, so Σ w·O = 1/2 + 1/2 = 1.
        // Margins R = C = (1/2, 0, 1/2); E(0,0) = E(0,2) = E(2,0) = E(2,2) = 1/4, and only E(0,2), E(2,0) weigh 1:
        // Σ w·E = 1/4 + 1/4 = 1/2. κ = 1 - 1 / (1/2) = -1. Exact 0/2 = 0; adjacent (within one level) 0/2 = 0.
        var pairs = new[] { new ScorePair("a", 0, 2), new ScorePair("a", 2, 0) };

        var result = Agreement.Measure(pairs, levels: 3);

        Assert.Equal(0, result.Exact, Precision);
        Assert.Equal(0, result.Adjacent, Precision);
        Assert.Equal(-1, result.WeightedKappa, Precision);
    }

    [Fact]
    public void MixedCase_MatchesTheHandComputation()
    {
        // k = 3, six pairs (reviewer, reference):
        //   criterion a: (0,0) (1,1) (2,1)   exact 2/3, adjacent 3/3
        //   criterion b: (1,2) (2,2) (0,2)   exact 1/3, adjacent 2/3 ((0,2) is two levels apart)
        //   overall: exact 3/6 = 0.5, adjacent 5/6.
        // Weights w = (i-j)²/(3-1)²: one level apart 1/4, two levels apart 1.
        // Observed Σ w·O = [ (2,1): 1/4 + (1,2): 1/4 + (0,2): 1 ] / 6 = 1.5 / 6 = 0.25.
        // Margins: reviewer R = (2/6, 2/6, 2/6); reference C = (1/6, 2/6, 3/6).
        // Σ_i w(i,j) = 1.25, 0.5, 1.25 for j = 0, 1, 2, so expected Σ w·E = 1/3 · (1/6·1.25 + 2/6·0.5 + 3/6·1.25)
        //   = 1/3 · (1.25 + 1 + 3.75) / 6 = 1/3 · 1 = 1/3.
        // κ = 1 - 0.25 / (1/3) = 1 - 0.75 = 0.25.
        var pairs = new[]
        {
            new ScorePair("a", 0, 0), new ScorePair("a", 1, 1), new ScorePair("a", 2, 1),
            new ScorePair("b", 1, 2), new ScorePair("b", 2, 2), new ScorePair("b", 0, 2),
        };

        var result = Agreement.Measure(pairs, levels: 3);

        Assert.Equal(0.5, result.Exact, Precision);
        Assert.Equal(5.0 / 6, result.Adjacent, Precision);
        Assert.Equal(0.25, result.WeightedKappa, Precision);
        var a = Assert.Single(result.Criteria, c => c.CriterionKey == "a");
        var b = Assert.Single(result.Criteria, c => c.CriterionKey == "b");
        Assert.Equal((2.0 / 3, 1.0), (a.Exact, a.Adjacent));
        Assert.Equal(1.0 / 3, b.Exact, Precision);
        Assert.Equal(2.0 / 3, b.Adjacent, Precision);
    }

    [Fact]
    public void FourLevels_OneLevelOffThroughout_HandComputed()
    {
        // k = 4, weights (i-j)²/9. Pairs (1,0) (2,1) (3,2) (0,0): three at distance 1 (weight 1/9), one exact.
        // Observed Σ w·O = 3 · 1/9 / 4 = 1/12.
        // R = (1/4, 1/4, 1/4, 1/4); C = (2/4, 1/4, 1/4, 0).
        // Σ_i w(i,j)·9 = j=0: 0+1+4+9 = 14; j=1: 1+0+1+4 = 6; j=2: 4+1+0+1 = 6.
        // Σ w·E = 1/4 · (2/4·14 + 1/4·6 + 1/4·6) / 9 = 1/4 · 10 / 9 = 10/36 = 5/18.
        // κ = 1 - (1/12) / (5/18) = 1 - 18/60 = 0.7. Exact 1/4, adjacent 4/4.
        var pairs = new[] { new ScorePair("a", 1, 0), new ScorePair("a", 2, 1), new ScorePair("a", 3, 2), new ScorePair("a", 0, 0) };

        var result = Agreement.Measure(pairs, levels: 4);

        Assert.Equal(0.25, result.Exact, Precision);
        Assert.Equal(1, result.Adjacent, Precision);
        Assert.Equal(0.7, result.WeightedKappa, Precision);
    }

    [Fact]
    public void DegenerateCases_AreDecidedAsDocumented()
    {
        // No pairs: nothing measured, kappa 0 (never calibrated by accident).
        Assert.Equal(0, Agreement.QuadraticWeightedKappa([], 3));
        // Both always used the same single level: expected disagreement 0, observed 0 too: kappa 1.
        Assert.Equal(1, Agreement.QuadraticWeightedKappa([new ScorePair("a", 1, 1), new ScorePair("b", 1, 1)], 3));
        // Each used one level, but different ones: Σ w·O = Σ w·E = w(0,2) = 1, kappa 1 - 1/1 = 0 (no better than chance).
        Assert.Equal(0, Agreement.QuadraticWeightedKappa([new ScorePair("a", 0, 2), new ScorePair("b", 0, 2)], 3), Precision);
        // A rubric of one level: every score agrees.
        Assert.Equal(1, Agreement.QuadraticWeightedKappa([new ScorePair("a", 0, 0)], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Agreement.QuadraticWeightedKappa([new ScorePair("a", 3, 0)], 3));
    }
}
