using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Compendium.Index;

/// <summary>
/// A composite index that is an affine function of the min–max normalised indicators,
/// index_i = a + Σ_j b_j z_ij with z_ij as in <see cref="EntropyIndex"/> (pooled bounds, direction applied):
/// the alternative constructions a referee asks for — equal weights, and the first principal component.
/// The bounds and coefficients are fitted once and can be applied to other rows (e.g. the untreated
/// potential outcomes), so that the effect on the index is an exact difference of the same map.
/// </summary>
/// <param name="Name">Short name (column suffix).</param>
/// <param name="Description">How it was built, for notes.</param>
/// <param name="Indicators">The indicators.</param>
/// <param name="Min">Normalisation lower bound of each indicator (over the fitted rows).</param>
/// <param name="Max">Upper bound.</param>
/// <param name="Coefficients">b_j.</param>
/// <param name="Intercept">a.</param>
public sealed record LinearIndex(string Name, string Description, ImmutableArray<IndicatorDefinition> Indicators,
    ImmutableArray<double> Min, ImmutableArray<double> Max, ImmutableArray<double> Coefficients, double Intercept)
{
    /// <summary>The index of every row of <paramref name="data"/> (which must hold the indicator columns; not clipped to [0, 1]).</summary>
    public double[] Compute(ColumnTable data)
    {
        var cols = EntropyIndex.ReadColumns(data, Indicators);
        var z = new double[data.RowCount];
        for (int i = 0; i < z.Length; i++)
        {
            double s = Intercept;
            for (int j = 0; j < cols.Length; j++) s += Coefficients[j] * Normalise(j, cols[j][i]);
            z[i] = s;
        }
        return z;
    }

    private double Normalise(int j, double x) => Indicators[j].Direction == Direction.Positive
        ? (x - Min[j]) / (Max[j] - Min[j]) : (Max[j] - x) / (Max[j] - Min[j]);

    /// <summary>Equal weights: the mean of the normalised indicators (b_j = 1/m, a = 0).</summary>
    public static LinearIndex EqualWeights(ColumnTable data, IReadOnlyList<IndicatorDefinition>? indicators = null)
    {
        var inds = (indicators ?? ResilienceIndicators.All).ToImmutableArray();
        var (min, max) = Bounds(data, inds);
        return new LinearIndex("eq", $"equal weights (1/{inds.Length}) on the {inds.Length} min–max normalised indicators",
            inds, min, max, [.. Enumerable.Repeat(1.0 / inds.Length, inds.Length)], 0);
    }

    /// <summary>
    /// The first principal component of the normalised indicators (standardised, i.e. of their correlation matrix),
    /// signed so that its loadings sum to a positive number (higher = more resilient), and rescaled to [0, 1] over the
    /// fitted rows by min–max: score_i = Σ_j a_j (z_ij − z̄_j)/s_j with a the leading eigenvector, index = (score − min)/(max − min).
    /// </summary>
    public static LinearIndex FirstPrincipalComponent(ColumnTable data, IReadOnlyList<IndicatorDefinition>? indicators = null)
    {
        var inds = (indicators ?? ResilienceIndicators.All).ToImmutableArray();
        var (min, max) = Bounds(data, inds);
        var unit = new LinearIndex("z", "", inds, min, max, [.. Enumerable.Repeat(0.0, inds.Length)], 0);
        var cols = EntropyIndex.ReadColumns(data, inds);
        int n = data.RowCount, m = inds.Length;
        var z = Matrix<double>.Build.Dense(n, m, (i, j) => unit.Normalise(j, cols[j][i]));
        var mean = Enumerable.Range(0, m).Select(j => z.Column(j).Average()).ToArray();
        var sd = Enumerable.Range(0, m).Select(j => Math.Sqrt(z.Column(j).Sum(v => (v - mean[j]) * (v - mean[j])) / (n - 1))).ToArray();
        var s = Matrix<double>.Build.Dense(n, m, (i, j) => (z[i, j] - mean[j]) / sd[j]);
        var corr = s.TransposeThisAndMultiply(s) / (n - 1);
        var evd = corr.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int top = Enumerable.Range(0, m).MaxBy(k => evd.EigenValues[k].Real);
        var a = evd.EigenVectors.Column(top);
        if (a.Sum() < 0) a = -a;
        double share = evd.EigenValues[top].Real / m;
        var score = s * a;
        double lo = score.Min(), hi = score.Max();
        var b = Enumerable.Range(0, m).Select(j => a[j] / sd[j] / (hi - lo)).ToImmutableArray();
        double intercept = (-Enumerable.Range(0, m).Sum(j => a[j] * mean[j] / sd[j]) - lo) / (hi - lo);
        return new LinearIndex("pc1", $"first principal component of the {m} standardised normalised indicators ({(100 * share).ToString("F1", CultureInfo.InvariantCulture)}% of their variance), rescaled to [0, 1]",
            inds, min, max, b, intercept);
    }

    private static (ImmutableArray<double> Min, ImmutableArray<double> Max) Bounds(ColumnTable data, ImmutableArray<IndicatorDefinition> inds)
    {
        var cols = EntropyIndex.ReadColumns(data, inds);
        var min = cols.Select(c => c.Min()).ToImmutableArray();
        var max = cols.Select(c => c.Max()).ToImmutableArray();
        for (int j = 0; j < inds.Length; j++)
            if (!(max[j] > min[j])) throw new InputException($"{data.Source}: indicator '{inds[j].Name}' is constant; it cannot be normalised.");
        return (min, max);
    }
}
