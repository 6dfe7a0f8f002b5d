using System.Collections.Immutable;

namespace Compendium.Econometrics.Inference;

/// <summary>
/// p-values adjusted for testing several hypotheses at once, controlling the family-wise error rate
/// (the probability of rejecting at least one true null).
/// </summary>
public static class MultipleTesting
{
    /// <summary>
    /// Holm's (1979) step-down adjustment: with the S p-values sorted ascending, p̃_(j) =
    /// max_{i ≤ j} min(1, (S − i + 1)·p_(i)); returned in the input order. Equals R's
    /// <c>p.adjust(p, "holm")</c>. Valid under any dependence between the tests; a NaN p-value
    /// stays NaN and does not count in S.
    /// </summary>
    public static ImmutableArray<double> Holm(IReadOnlyList<double> p)
    {
        var idx = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ToArray();
        var adj = Enumerable.Repeat(double.NaN, p.Count).ToArray();
        int s = idx.Length;
        double running = 0;
        for (int j = 0; j < s; j++)
        {
            running = Math.Max(running, Math.Min(1, (s - j) * p[idx[j]]));
            adj[idx[j]] = running;
        }
        return [.. adj];
    }

    /// <summary>
    /// One-hypothesis resampling p-value: (1 + #{b : |T*_b| ≥ |T|}) / (B + 1), the draws under the null
    /// counted with the observed statistic itself (so it is never 0; Phipson and Smyth 2010).
    /// </summary>
    public static double ResamplingP(double observed, IReadOnlyList<double> nullDraws)
    {
        double a = Math.Abs(observed);
        int c = 0;
        foreach (var t in nullDraws) if (Math.Abs(t) >= a) c++;
        return (1.0 + c) / (nullDraws.Count + 1);
    }

    /// <summary>
    /// Romano and Wolf's (2005, 2016) step-down adjustment from resampled statistics that respect the
    /// dependence between the tests (drawn jointly, e.g. from the same permutations): hypotheses in
    /// decreasing order of |T|; at step j, p_(j) = (1 + #{b : max_{k ≥ j} |T*_{b,(k)}| ≥ |T_(j)|}) / (B + 1),
    /// the maximum over the hypotheses not yet passed; then p̃_(j) = max(p_(j), p̃_(j−1)). As Stata's
    /// <c>rwolf</c> (Clarke, Romano and Wolf 2020). Less conservative than <see cref="Holm"/> when the
    /// tests are correlated, with the same family-wise error control.
    /// </summary>
    /// <param name="observed">The S observed statistics.</param>
    /// <param name="nullDraws">B rows of S statistics under the null (already centred: permutation draws, or bootstrap draws minus the estimate).</param>
    public static ImmutableArray<double> RomanoWolf(IReadOnlyList<double> observed, IReadOnlyList<IReadOnlyList<double>> nullDraws)
    {
        int s = observed.Count, b = nullDraws.Count;
        foreach (var row in nullDraws)
            if (row.Count != s) throw new ArgumentException($"every null draw must hold {s} statistics, one per hypothesis");
        var order = Enumerable.Range(0, s).OrderByDescending(i => Math.Abs(observed[i])).ThenBy(i => i).ToArray();
        var adj = new double[s];
        var max = new double[b];
        Array.Fill(max, double.NegativeInfinity);
        double previous = 0;
        // Walk from the smallest statistic up, so that max over {k ≥ j} is built incrementally.
        var stepP = new double[s];
        for (int j = s - 1; j >= 0; j--)
        {
            int h = order[j];
            int c = 0;
            double t = Math.Abs(observed[h]);
            for (int r = 0; r < b; r++)
            {
                max[r] = Math.Max(max[r], Math.Abs(nullDraws[r][h]));
                if (max[r] >= t) c++;
            }
            stepP[j] = (1.0 + c) / (b + 1);
        }
        for (int j = 0; j < s; j++)
        {
            previous = Math.Max(previous, stepP[j]);
            adj[order[j]] = previous;
        }
        return [.. adj];
    }
}
