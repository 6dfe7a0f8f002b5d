using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Compendium.Index;

/// <summary>
/// A composite index that is an affine function of the min–max normalised indicators,
/// index_i = a + Σ_j b_j z_ij with z_ij as in <see cref="EntropyIndex"/> (pooled bounds, direction applied):
/// the alternative constructions a referee asks for — equal weights and two readings of the first principal
/// component (its squared loadings as weights, <see cref="PrincipalComponentWeights"/>, as the specification curve
/// and its R reference use; or its score rescaled to [0, 1], <see cref="FirstPrincipalComponent"/>, as Table 6 uses).
/// The one implementation of these variants: <see cref="CompositeIndex"/> names them for the specification curve.
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
    /// Weights from the first principal component: b_j = v_j², v the unit leading eigenvector of the correlation matrix
    /// of the normalised indicators (<see cref="FirstComponent"/>), so Σ_j b_j = 1 and the index lies in [0, 1] like the
    /// others (the OECD/JRC <i>Handbook on Constructing Composite Indicators</i>, 2008, §6.1).
    /// </summary>
    public static LinearIndex PrincipalComponentWeights(ColumnTable data, IReadOnlyList<IndicatorDefinition>? indicators = null)
    {
        var inds = (indicators ?? ResilienceIndicators.All).ToImmutableArray();
        var (min, max) = Bounds(data, inds);
        return new LinearIndex("pca", $"squared loadings of the first principal component of the {inds.Length} normalised indicators",
            inds, min, max, [.. SquaredLoadings(NormalisedColumns(data, inds, min, max))], 0);
    }

    /// <summary>Squared loadings of the first principal component of the columns' correlation matrix (they sum to 1).</summary>
    internal static double[] SquaredLoadings(IReadOnlyList<double[]> columns)
    {
        var v = FirstComponent(columns).Loadings;
        double norm = v.Sum(x => x * x);
        return [.. v.Select(x => x * x / norm)];
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
        var pc = FirstComponent(NormalisedColumns(data, inds, min, max));
        int n = data.RowCount, m = inds.Length;
        var a = pc.Loadings;
        if (a.Sum() < 0) a = [.. a.Select(x => -x)];
        double share = pc.Eigenvalue / m;
        var score = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < m; j++) s += pc.Standardised[j][i] * a[j];
            score[i] = s;
        }
        double lo = score.Min(), hi = score.Max();
        var b = Enumerable.Range(0, m).Select(j => a[j] / pc.Sd[j] / (hi - lo)).ToImmutableArray();
        double intercept = (-Enumerable.Range(0, m).Sum(j => a[j] * pc.Mean[j] / pc.Sd[j]) - lo) / (hi - lo);
        return new LinearIndex("pc1", $"first principal component of the {m} standardised normalised indicators ({(100 * share).ToString("F1", CultureInfo.InvariantCulture)}% of their variance), rescaled to [0, 1]",
            inds, min, max, b, intercept);
    }

    /// <summary>The leading principal component of some columns: their means, SDs, standardised values, and the unit leading eigenvector and eigenvalue of their correlation matrix.</summary>
    internal sealed record PrincipalComponent(double[] Mean, double[] Sd, double[][] Standardised, double[] Loadings, double Eigenvalue);

    /// <summary>
    /// The first principal component of <paramref name="columns"/> (each standardised by its mean and SD with n − 1):
    /// the eigenvector of the largest eigenvalue of their correlation matrix (the first one found on ties).
    /// </summary>
    internal static PrincipalComponent FirstComponent(IReadOnlyList<double[]> columns)
    {
        int m = columns.Count, n = columns[0].Length;
        var mean = new double[m]; var sd = new double[m];
        var std = new double[m][];
        for (int j = 0; j < m; j++)
        {
            var c = columns[j];
            double mu = c.Average(), s = Math.Sqrt(c.Sum(v => (v - mu) * (v - mu)) / (n - 1));
            if (!(s > 0)) throw new InputException("principal-component weights: an indicator is constant; its correlation is undefined.");
            (mean[j], sd[j], std[j]) = (mu, s, c.Select(v => (v - mu) / s).ToArray());
        }
        var r = Matrix<double>.Build.Dense(m, m, (a, b) =>
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += std[a][i] * std[b][i];
            return s / (n - 1);
        });
        var evd = r.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int top = 0;
        for (int k = 1; k < m; k++) if (evd.EigenValues[k].Real > evd.EigenValues[top].Real) top = k;
        return new PrincipalComponent(mean, sd, std, [.. evd.EigenVectors.Column(top)], evd.EigenValues[top].Real);
    }

    private static double[][] NormalisedColumns(ColumnTable data, ImmutableArray<IndicatorDefinition> inds, ImmutableArray<double> min, ImmutableArray<double> max)
    {
        var unit = new LinearIndex("z", "", inds, min, max, [.. Enumerable.Repeat(0.0, inds.Length)], 0);
        var cols = EntropyIndex.ReadColumns(data, inds);
        return [.. Enumerable.Range(0, inds.Length).Select(j => cols[j].Select(x => unit.Normalise(j, x)).ToArray())];
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
