using System.Collections.Immutable;
using System.Globalization;

namespace Compendium.Econometrics.Data;

/// <summary>
/// A split of a panel's units into groups (city size classes, above/below a median, terciles): one
/// label per unit, and the levels in display order. Heterogeneity analyses fit a model on each group,
/// interact the treatment with the group, and permute the labels across units.
/// </summary>
/// <param name="Name">The split's name (the column name used by <see cref="AddTo"/>).</param>
/// <param name="Index">The units.</param>
/// <param name="Labels">The group of each unit (order of <see cref="UnitIndex.Units"/>).</param>
/// <param name="Levels">The groups in display order.</param>
public sealed record UnitGroups(string Name, UnitIndex Index, ImmutableArray<string> Labels, ImmutableArray<string> Levels)
{
    /// <summary>
    /// Groups from a unit-level column (constant within units, no missing value); levels sorted as
    /// numbers when every label is one, otherwise ordinally.
    /// </summary>
    public static UnitGroups FromColumn(ColumnTable data, string column, UnitIndex units)
    {
        var labels = units.UnitText(data, column);
        int missing = labels.IndexOf(null);
        if (missing >= 0)
            throw new InputException($"{data.Source}: '{column}' is missing for {units.Variable} {units.Units[missing]}; every unit needs a group.");
        return new UnitGroups(column, units, [.. labels.Select(l => l!)], SortLevels(labels));
    }

    /// <summary>The distinct non-missing labels, sorted as numbers when every one is a number, otherwise ordinally (the level order of a grouping column).</summary>
    public static ImmutableArray<string> SortLevels(IEnumerable<string?> labels)
    {
        var levels = labels.Where(l => l is not null).Select(l => l!).Distinct().ToList();
        bool numeric = levels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric ? [.. levels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture))] : [.. levels.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Two groups: <c>high</c> = strictly above the median of the values (R's <c>median</c>, over units),
    /// <c>low</c> = at or below it. Named <c>NAME_median</c>; levels low, high.
    /// </summary>
    public static UnitGroups AboveMedian(UnitValues values)
    {
        double m = values.Quantile(0.5);
        return new UnitGroups(values.Name + "_median", values.Index, [.. values.Values.Select(v => v > m ? "high" : "low")], ["low", "high"]);
    }

    /// <summary>
    /// <paramref name="k"/> groups cut at the type-7 quantiles j/k (j = 1 … k − 1) of the values over
    /// units: group j holds the units above cut j − 1 and at or below cut j (the first group includes the
    /// minimum). Labels PREFIX1 … PREFIXk (e.g. T1, T2, T3 for terciles); named <c>NAME_qk</c>.
    /// </summary>
    public static UnitGroups Quantiles(UnitValues values, int k, string prefix = "Q")
    {
        if (k < 2) throw new InputException($"quantile groups need k ≥ 2 (got {k})");
        var cuts = Enumerable.Range(1, k - 1).Select(j => values.Quantile(j / (double)k)).ToArray();
        string Label(double v)
        {
            int g = 0;
            while (g < cuts.Length && v > cuts[g]) g++;
            return prefix + (g + 1).ToString(CultureInfo.InvariantCulture);
        }
        return new UnitGroups(values.Name + "_q" + k.ToString(CultureInfo.InvariantCulture), values.Index,
            [.. values.Values.Select(Label)], [.. Enumerable.Range(1, k).Select(j => prefix + j.ToString(CultureInfo.InvariantCulture))]);
    }

    /// <summary>
    /// Coarser groups: each new level lists the old levels it pools (e.g. <c>("large", ["large_1", "large_2"])</c>);
    /// every old level must be assigned exactly once. Levels in the order given.
    /// </summary>
    public UnitGroups Merge(string name, params (string Level, string[] Members)[] groups)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (level, members) in groups)
            foreach (var m in members)
            {
                if (!Levels.Contains(m)) throw new InputException($"{Name}: no group '{m}' to merge into '{level}'; groups: {string.Join(", ", Levels)}.");
                if (!map.TryAdd(m, level)) throw new InputException($"{Name}: group '{m}' is assigned twice (to '{map[m]}' and '{level}').");
            }
        var unassigned = Levels.Where(l => !map.ContainsKey(l)).ToList();
        if (unassigned.Count > 0) throw new InputException($"{Name}: group(s) {string.Join(", ", unassigned)} not assigned to any merged group.");
        return new UnitGroups(name, Index, [.. Labels.Select(l => map[l])], [.. groups.Select(g => g.Level)]);
    }

    /// <summary>Number of units in group <paramref name="level"/>.</summary>
    public int Count(string level) => Labels.Count(l => l == level);

    /// <summary>The data with each row's group as text column <paramref name="column"/> (default <see cref="Name"/>).</summary>
    public ColumnTable AddTo(ColumnTable data, string? column = null) => data.With(column ?? Name, Index.Broadcast(Labels.Cast<string?>().ToArray()));
}
