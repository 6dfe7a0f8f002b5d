using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;

namespace Compendium.Index;

/// <summary>How the 14 indicators are combined into one resilience index (a choice of the specification curve).</summary>
public enum IndexMethod
{
    /// <summary>Entropy weights pooled over all city-years (the study's method, <see cref="EntropyIndex"/>).</summary>
    PooledEntropy,
    /// <summary>Entropy weights and normalisation bounds computed separately for each year.</summary>
    PerYearEntropy,
    /// <summary>Every min–max normalised indicator weighted 1/m.</summary>
    EqualWeights,
    /// <summary>Weights from the first principal component: w_j = v_j², v the unit first eigenvector of the indicators' correlation matrix.</summary>
    FirstPrincipalComponent,
}

/// <summary>
/// The resilience index under another weighting than the study's pooled entropy weights, for robustness
/// checks. Every method combines the same min–max normalised indicators z_ij ∈ [0, 1] (direction-aligned,
/// bounds pooled over all rows, per year for <see cref="IndexMethod.PerYearEntropy"/>) as Σ_j w_j z_ij with
/// Σ_j w_j = 1, so every index lies in [0, 1] and effects on them are in comparable units.
/// </summary>
/// <remarks>
/// First principal component: weights are the squared loadings of the first principal component of the
/// standardised indicators (the OECD/JRC <i>Handbook on Constructing Composite Indicators</i>, 2008, §6.1,
/// weights from factor analysis: squared loadings scaled to unit sum; for a unit eigenvector they already
/// sum to 1). The correlation matrix of the z_ij equals that of the standardised direction-aligned
/// indicators (min–max normalisation is affine). The raw component score is not used: its unit
/// (standard deviations of a combination) would make effects incomparable with the other indices.
/// </remarks>
public static class CompositeIndex
{
    /// <summary>Machine names of the methods, as choices files spell them.</summary>
    public static readonly ImmutableArray<(IndexMethod Method, string Name)> Names =
    [
        (IndexMethod.PooledEntropy, "entropy_pooled"), (IndexMethod.PerYearEntropy, "entropy_per_year"),
        (IndexMethod.EqualWeights, "equal_weights"), (IndexMethod.FirstPrincipalComponent, "pca"),
    ];

    /// <summary>The machine name of <paramref name="method"/>.</summary>
    public static string Name(IndexMethod method) => Names.First(n => n.Method == method).Name;

    /// <summary>The method called <paramref name="name"/>; an <see cref="InputException"/> listing the names otherwise.</summary>
    public static IndexMethod Parse(string name) =>
        Names.FirstOrDefault(n => n.Name == name.Trim()) is { Name: not null } m ? m.Method
            : throw new InputException($"index method '{name}': expected one of {string.Join(", ", Names.Select(n => n.Name))}");

    /// <summary>
    /// The index of every row of <paramref name="data"/> under <paramref name="method"/>, from the study's 14
    /// indicators (<paramref name="yearColumn"/> groups the rows for per-year entropy weights).
    /// </summary>
    public static double[] Compute(ColumnTable data, IndexMethod method, string yearColumn = "year")
    {
        switch (method)
        {
            case IndexMethod.PooledEntropy: return [.. EntropyIndex.Fit(data).Index];
            case IndexMethod.PerYearEntropy: return [.. EntropyIndex.Fit(data, options: new EntropyOptions(YearColumn: yearColumn)).Index];
        }
        var inds = ResilienceIndicators.All;
        var pooled = EntropyIndex.Fit(data).Pooled.Weights; // the normalisation bounds (weights unused)
        var cols = EntropyIndex.ReadColumns(data, inds);
        int n = data.RowCount, m = inds.Length;
        var z = new double[m][];
        for (int j = 0; j < m; j++) z[j] = cols[j].Select(pooled[j].Normalise).ToArray();
        var w = method == IndexMethod.EqualWeights ? Enumerable.Repeat(1.0 / m, m).ToArray() : FirstComponentWeights(z);
        var index = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < m; j++) s += w[j] * z[j][i];
            index[i] = s;
        }
        return index;
    }

    /// <summary>Squared loadings of the first principal component of the columns' correlation matrix (they sum to 1).</summary>
    public static double[] FirstComponentWeights(IReadOnlyList<double[]> columns)
    {
        int m = columns.Count, n = columns[0].Length;
        var std = columns.Select(c =>
        {
            double mean = c.Average(), sd = Math.Sqrt(c.Sum(v => (v - mean) * (v - mean)) / (n - 1));
            if (!(sd > 0)) throw new InputException("principal-component weights: an indicator is constant; its correlation is undefined.");
            return c.Select(v => (v - mean) / sd).ToArray();
        }).ToArray();
        var r = Matrix<double>.Build.Dense(m, m, (a, b) =>
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += std[a][i] * std[b][i];
            return s / (n - 1);
        });
        var evd = r.Evd(Symmetricity.Symmetric);
        int top = 0;
        for (int k = 1; k < m; k++) if (evd.EigenValues[k].Real > evd.EigenValues[top].Real) top = k;
        var v = evd.EigenVectors.Column(top);
        double norm = v.Sum(x => x * x);
        return v.Select(x => x * x / norm).ToArray();
    }
}
