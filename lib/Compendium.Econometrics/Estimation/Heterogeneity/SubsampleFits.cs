using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>One group's fit of a subsample analysis.</summary>
/// <param name="Level">The group.</param>
/// <param name="Fit">The model estimated on the group's rows only.</param>
public sealed record GroupFit(string Level, FeolsResult Fit);

/// <summary>
/// The difference between one coefficient's estimates in two subsamples, d = β̂_a − β̂_b, with
/// SE = √(SE_a² + SE_b²) and a normal z test. The SE treats the two estimates as independent, which
/// holds when the groups share no cluster (groups of units, SEs clustered by unit or coarser within
/// groups); otherwise use the pooled interaction model (<see cref="InteractionModel"/>) or a
/// permutation test (<see cref="GroupPermutationTest"/>).
/// </summary>
/// <param name="Coefficient">The coefficient compared.</param>
/// <param name="Level">Group a.</param>
/// <param name="Reference">Group b.</param>
/// <param name="Estimate">β̂_a − β̂_b.</param>
/// <param name="StdError">√(SE_a² + SE_b²).</param>
/// <param name="Z">Estimate / SE.</param>
/// <param name="P">Two-sided normal p-value.</param>
public sealed record CoefficientDifference(string Coefficient, string Level, string Reference, double Estimate, double StdError, double Z, double P);

/// <summary>
/// Subsample (split-sample) estimates: the same model fitted on the rows of each group. Every
/// coefficient, the fixed effects and the variance are group-specific, so nothing is pooled across
/// groups; compare groups with <see cref="Difference"/>, a pooled interaction model or a permutation test.
/// </summary>
/// <param name="Formula">The model fitted in each group.</param>
/// <param name="Grouping">The column that defines the groups.</param>
/// <param name="Groups">One fit per group, in the grouping's level order.</param>
public sealed record SubsampleFitsResult(string Formula, string Grouping, ImmutableArray<GroupFit> Groups)
{
    /// <summary>The fit of group <paramref name="level"/>; an <see cref="InputException"/> listing the groups otherwise.</summary>
    public GroupFit this[string level] => Groups.FirstOrDefault(g => g.Level == level)
        ?? throw new InputException($"no group '{level}' in '{Grouping}'; groups: {string.Join(", ", Groups.Select(g => g.Level))}");

    /// <summary>β̂_a − β̂_b for <paramref name="coefficient"/> between groups <paramref name="level"/> (a) and <paramref name="reference"/> (b).</summary>
    public CoefficientDifference Difference(string coefficient, string level, string reference)
    {
        var a = this[level].Fit[coefficient];
        var b = this[reference].Fit[coefficient];
        double d = a.Estimate - b.Estimate, se = Math.Sqrt(a.StdError * a.StdError + b.StdError * b.StdError), z = d / se;
        return new CoefficientDifference(coefficient, level, reference, d, se, z, Distributions.TwoSidedT(z, double.PositiveInfinity));
    }

    /// <summary>One row per group: observations, estimate of <paramref name="coefficient"/>, SE, p and 95% interval (each on its own fit's t degrees of freedom).</summary>
    public Table ToTable(string coefficient, string? id = null, string? title = null)
    {
        var rows = Groups.Select(g =>
        {
            var c = g.Fit[coefficient];
            return new TableRow(g.Level, g.Fit.Nobs.ToString(CultureInfo.InvariantCulture), Format.Number(c.Estimate, 4), Format.Number(c.StdError, 4),
                Format.Number(c.P, 4), Format.Number(c.CiLow, 4), Format.Number(c.CiHigh, 4));
        });
        return new Table(id ?? "subsamples", title ?? $"{Formula}, by {Grouping}", [Grouping, "Observations", coefficient, "Std. error", "p", "95% CI low", "95% CI high"], rows,
            [$"Each row fits '{Formula}' on that group's rows only (every coefficient and fixed effect group-specific).",
             $"Variance: {Groups[0].Fit.VcovName} within each group; p-values and intervals on each fit's own degrees of freedom (t(G − 1) with G the group's clusters when clustered)."]);
    }

    /// <summary>JSON: <c>grouping</c>, <c>formula</c>, <c>groups</c> [{<c>level</c>, <c>fit</c>: the estimation JSON of every result}].</summary>
    public string ToJson() => ResultJson.Object(Write);

    /// <summary>Write the members of <see cref="ToJson"/> into an open JSON object.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteString("grouping", Grouping);
        w.WriteString("formula", Formula);
        w.WriteStartArray("groups");
        foreach (var g in Groups)
        {
            w.WriteStartObject();
            w.WriteString("level", g.Level);
            w.WriteStartObject("fit");
            ResultJson.Write(w, g.Fit);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>Fits a model separately on each group of a split (see <see cref="SubsampleFitsResult"/>).</summary>
/// <example><code>
/// var size = UnitGroups.FromColumn(panel, "size_class", UnitIndex.Of(panel, "city_code"));
/// var fits = SubsampleFits.Fit(panel, "resilience ~ treat + fdi | city_code + year", Vcov.Cluster("city_code"), size);
/// var d = fits.Difference("treat", "megacity", "small");
/// </code></example>
public static class SubsampleFits
{
    /// <summary>Fit <paramref name="formula"/> on the rows of each level of column <paramref name="groupColumn"/> (rows where it is missing are left out; levels sorted as numbers when all are numbers, else ordinally).</summary>
    public static SubsampleFitsResult Fit(ColumnTable data, string formula, Vcov vcov, string groupColumn, FeolsOptions? options = null)
    {
        if (!data.HasColumn(groupColumn)) throw data.Missing(groupColumn);
        return FitLevels(data, formula, vcov, groupColumn, UnitGroups.SortLevels(data.Text(groupColumn)), options);
    }

    /// <summary>Fit <paramref name="formula"/> on each group of <paramref name="groups"/> (added to the data as column <see cref="UnitGroups.Name"/>), in its level order.</summary>
    public static SubsampleFitsResult Fit(ColumnTable data, string formula, Vcov vcov, UnitGroups groups, FeolsOptions? options = null) =>
        FitLevels(groups.AddTo(data), formula, vcov, groups.Name, groups.Levels, options);

    private static SubsampleFitsResult FitLevels(ColumnTable data, string formula, Vcov vcov, string column, IReadOnlyList<string> levels, FeolsOptions? options)
    {
        if (levels.Count == 0) throw new InputException($"{data.Source}: '{column}' has no non-missing value, so there is no group to fit.");
        var parsed = Formulas.Formula.Parse(formula);
        var fits = levels.Select(level => new GroupFit(level, FitGroup(data, parsed, vcov, column, level, options))).ToImmutableArray();
        return new SubsampleFitsResult(formula, column, fits);
    }

    /// <summary>The model on the rows where <paramref name="column"/> equals <paramref name="level"/>; an empty group is an <see cref="InputException"/>.</summary>
    internal static FeolsResult FitGroup(ColumnTable data, Formulas.Formula formula, Vcov vcov, string column, string level, FeolsOptions? options)
    {
        var labels = data.Text(column);
        var keep = new bool[labels.Length];
        int n = 0;
        for (int i = 0; i < keep.Length; i++) if (keep[i] = labels[i] == level) n++;
        if (n == 0) throw new InputException($"{data.Source}: no row has {column} = '{level}'.");
        var subset = data.Where(keep).WithSource($"{data.Source} ({column} = {level})");
        return Feols.Fit(subset, formula, vcov, options);
    }
}
