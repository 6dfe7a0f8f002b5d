using System.Collections.Immutable;
using Compendium.Econometrics;

namespace Compendium.Index;

/// <summary>The three dimensions of urban economic resilience in the study.</summary>
public enum Dimension
{
    /// <summary>Resistance (5 indicators: gdp_pc, trade_dep, ui_coverage, savings_pc, urban_rate).</summary>
    Resistance,
    /// <summary>Adaptability (5 indicators: retail_pc, gdp_growth, fiscal_self, fin_dev, hospital_beds).</summary>
    Adaptability,
    /// <summary>Innovation (4 indicators: sci_edu_share, tert_sec_ratio, students_per10k, patents_per10k).</summary>
    Innovation,
}

/// <summary>Whether a larger value of an indicator means more (positive) or less (negative) resilience.</summary>
public enum Direction
{
    /// <summary>Larger is more resilient: normalised (x − min)/(max − min).</summary>
    Positive,
    /// <summary>Larger is less resilient: normalised (max − x)/(max − min).</summary>
    Negative,
}

/// <summary>One indicator of the resilience index.</summary>
/// <param name="Name">Column name in the panel.</param>
/// <param name="Dimension">Dimension it belongs to.</param>
/// <param name="Direction">Sign of its contribution; decides the min–max normalisation.</param>
/// <param name="Unit">Unit of the column.</param>
/// <param name="Label">Human-readable name for tables.</param>
public sealed record IndicatorDefinition(string Name, Dimension Dimension, Direction Direction, string Unit, string Label);

/// <summary>
/// The study's 14 resilience indicators, in the paper's order. This list is the single definition
/// used by the simulator, the index, the panel schema, the codebook and the notebooks.
/// </summary>
public static class ResilienceIndicators
{
    /// <summary>The 14 indicators, in the paper's order (resistance, adaptability, innovation).</summary>
    public static ImmutableArray<IndicatorDefinition> All { get; } =
    [
        new("gdp_pc", Dimension.Resistance, Direction.Positive, "yuan per person", "GDP per capita"),
        new("trade_dep", Dimension.Resistance, Direction.Negative, "ratio (imports + exports) / GDP", "Trade dependence"),
        new("ui_coverage", Dimension.Resistance, Direction.Positive, "% of resident population", "Unemployment-insurance coverage"),
        new("savings_pc", Dimension.Resistance, Direction.Positive, "yuan per person", "Household savings deposits per capita"),
        new("urban_rate", Dimension.Resistance, Direction.Positive, "% of resident population", "Urbanisation rate"),
        new("retail_pc", Dimension.Adaptability, Direction.Positive, "yuan per person", "Retail sales of consumer goods per capita"),
        new("gdp_growth", Dimension.Adaptability, Direction.Positive, "% per year", "Real GDP growth"),
        new("fiscal_self", Dimension.Adaptability, Direction.Positive, "ratio budget revenue / expenditure", "Fiscal self-sufficiency"),
        new("fin_dev", Dimension.Adaptability, Direction.Positive, "ratio loans / GDP", "Financial development"),
        new("hospital_beds", Dimension.Adaptability, Direction.Positive, "beds per 10,000 people", "Hospital beds per 10k"),
        new("sci_edu_share", Dimension.Innovation, Direction.Positive, "% of budget expenditure", "Science and education share of spending"),
        new("tert_sec_ratio", Dimension.Innovation, Direction.Positive, "ratio tertiary / secondary value added", "Tertiary-to-secondary ratio"),
        new("students_per10k", Dimension.Innovation, Direction.Positive, "students per 10,000 people", "Higher-education students per 10k"),
        new("patents_per10k", Dimension.Innovation, Direction.Positive, "patents granted per 10,000 people", "Patents granted per 10k"),
    ];

    /// <summary>Column name of the overall index.</summary>
    public const string IndexColumn = "resilience";

    /// <summary>Column name of a dimension's sub-index, e.g. <c>resilience_resistance</c>.</summary>
    public static string SubIndexColumn(Dimension d) => IndexColumn + "_" + d.ToString().ToLowerInvariant();

    /// <summary>The definition of <paramref name="name"/>; an <see cref="InputException"/> listing the known names otherwise.</summary>
    public static IndicatorDefinition Get(string name) =>
        All.FirstOrDefault(i => i.Name == name)
        ?? throw new InputException($"unknown resilience indicator '{name}'. Known: {string.Join(", ", All.Select(i => i.Name))}.");
}
