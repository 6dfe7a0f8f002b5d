using System.Collections.Immutable;
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
/// The resilience index under another weighting than the study's pooled entropy weights, by name, for the
/// specification curve. Every method combines the same min–max normalised indicators z_ij ∈ [0, 1] (direction-aligned,
/// bounds pooled over all rows, per year for <see cref="IndexMethod.PerYearEntropy"/>) as Σ_j w_j z_ij with
/// Σ_j w_j = 1, so every index lies in [0, 1] and effects on them are in comparable units. Equal weights and the
/// principal component are <see cref="LinearIndex"/> maps (one implementation with the robustness checks).
/// </summary>
/// <remarks>
/// First principal component: weights are the squared loadings of the first principal component of the
/// standardised indicators (<see cref="LinearIndex.PrincipalComponentWeights"/>; R: <c>prcomp(Z, scale. = TRUE)$rotation[, 1]^2</c>).
/// The raw component score is not used: its unit (standard deviations of a combination) would make effects
/// incomparable with the other indices.
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
    public static double[] Compute(ColumnTable data, IndexMethod method, string yearColumn = "year") => method switch
    {
        IndexMethod.PooledEntropy => [.. EntropyIndex.Fit(data).Index],
        IndexMethod.PerYearEntropy => [.. EntropyIndex.Fit(data, options: new EntropyOptions(YearColumn: yearColumn)).Index],
        IndexMethod.EqualWeights => LinearIndex.EqualWeights(data).Compute(data),
        _ => LinearIndex.PrincipalComponentWeights(data).Compute(data),
    };

    /// <summary>Squared loadings of the first principal component of the columns' correlation matrix (they sum to 1).</summary>
    public static double[] FirstComponentWeights(IReadOnlyList<double[]> columns) => LinearIndex.SquaredLoadings(columns);
}
