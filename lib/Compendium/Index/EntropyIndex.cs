using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;

namespace Compendium.Index;

/// <summary>Options of the entropy-weight method.</summary>
/// <param name="Shift">
/// Added to every normalised value before the shares p_ij are formed, so that no logarithm of zero
/// occurs (the minimum of each indicator normalises to exactly 0). 0.0001 is the value customary in the
/// applied literature; it is small against the normalised range [0, 1], so it moves weights only in the
/// fourth decimal. With 0 the convention 0·ln 0 = 0 (the limit) is used instead.
/// </param>
/// <param name="YearColumn">
/// When set, weights and normalisation bounds are computed separately for each value of this column
/// (per-year weights); when null (the default) they are pooled over all rows (all city-years), so
/// that the index is comparable over time.
/// </param>
public sealed record EntropyOptions(double Shift = EntropyOptions.DefaultShift, string? YearColumn = null)
{
    /// <summary>Default shift added to every normalised value (10⁻⁴) so that p·ln p is defined at the minimum.</summary>
    public const double DefaultShift = 1e-4;
}

/// <summary>Normalisation bounds, entropy and weight of one indicator in one group of rows.</summary>
public sealed record EntropyWeight(IndicatorDefinition Indicator, double Min, double Max, double Entropy, double Weight)
{
    /// <summary>Redundancy d_j = 1 − e_j.</summary>
    public double Redundancy => 1 - Entropy;

    /// <summary>Min–max normalised value: (x−min)/(max−min) if positive, (max−x)/(max−min) if negative.</summary>
    public double Normalise(double x) => Indicator.Direction == Direction.Positive
        ? (x - Min) / (Max - Min)
        : (Max - x) / (Max - Min);
}

/// <summary>The weights of one group: all rows (pooled, <see cref="Year"/> null) or one year.</summary>
public sealed record EntropyGroup(int? Year, int Rows, ImmutableArray<EntropyWeight> Weights);

/// <summary>
/// The entropy-weight method for a composite index.
/// For n rows and indicators j: z_ij = (x_ij − min_j)/(max_j − min_j) for positive and
/// (max_j − x_ij)/(max_j − min_j) for negative indicators; p_ij = (z_ij + s)/Σ_i (z_ij + s) with the
/// shift s; entropy e_j = −(1/ln n) Σ_i p_ij ln p_ij; redundancy d_j = 1 − e_j; weight w_j = d_j/Σ_k d_k.
/// The index is Σ_j w_j z_ij, in [0, 1] (the shift is used only for the entropy); the sub-index of a
/// dimension D is Σ_{j∈D} w_j z_ij / Σ_{j∈D} w_j, also in [0, 1], so sub-indices are comparable across
/// dimensions and the index is their weight-share average.
/// </summary>
/// <remarks>Reference: e.g. Zhu, Tian and Yan (2020), "Comparison of entropy-weight and related methods", and the
/// resilience literature the study follows. Rows with a missing indicator are an error, never dropped.</remarks>
public static class EntropyIndex
{
    /// <summary>Compute weights and the index from <paramref name="data"/>.</summary>
    /// <param name="data">One row per unit (city-year); must hold every indicator column.</param>
    /// <param name="indicators">Indicators to use; the study's 14 (<see cref="ResilienceIndicators.All"/>) by default.</param>
    /// <param name="options">Shift and pooled/per-year choice.</param>
    public static EntropyResult Fit(ColumnTable data, IReadOnlyList<IndicatorDefinition>? indicators = null, EntropyOptions? options = null)
    {
        var inds = (indicators ?? ResilienceIndicators.All).ToImmutableArray();
        var opt = options ?? new EntropyOptions();
        if (inds.Length == 0) throw new InputException("entropy index: no indicators given.");
        if (opt.Shift < 0 || double.IsNaN(opt.Shift)) throw new InputException($"entropy index: shift must be ≥ 0, got {opt.Shift.ToString(CultureInfo.InvariantCulture)}.");
        var columns = ReadColumns(data, inds);
        var groups = GroupRows(data, opt.YearColumn);
        var built = ImmutableArray.CreateBuilder<EntropyGroup>();
        foreach (var (year, rows) in groups)
            built.Add(FitGroup(data.Source, inds, columns, year, rows, opt.Shift));
        var result = new EntropyResult(inds, opt, built.ToImmutable(), default, ImmutableDictionary<Dimension, ImmutableArray<double>>.Empty);
        var (index, sub) = result.Compute(data);
        return result with { Index = index, SubIndices = sub };
    }

    internal static double[][] ReadColumns(ColumnTable data, ImmutableArray<IndicatorDefinition> inds)
    {
        var cols = new double[inds.Length][];
        for (int j = 0; j < inds.Length; j++)
        {
            cols[j] = data.Numeric(inds[j].Name);
            int missing = cols[j].Count(v => !double.IsFinite(v));
            if (missing > 0)
            {
                int first = Array.FindIndex(cols[j], v => !double.IsFinite(v));
                throw new InputException($"{data.Source}: indicator '{inds[j].Name}' has {missing} missing or non-finite value(s) (first at data row {first + 1}); the entropy index needs complete indicators.");
            }
        }
        return cols;
    }

    private static List<(int? Year, int[] Rows)> GroupRows(ColumnTable data, string? yearColumn)
    {
        if (yearColumn is null) return [(null, Enumerable.Range(0, data.RowCount).ToArray())];
        var years = data.Numeric(yearColumn);
        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < years.Length; i++)
        {
            if (!double.IsFinite(years[i]) || years[i] != Math.Floor(years[i]))
                throw new InputException($"{data.Source}: column '{yearColumn}' row {i + 1} is not a whole year.");
            int y = (int)years[i];
            if (!groups.TryGetValue(y, out var l)) groups[y] = l = [];
            l.Add(i);
        }
        return groups.Select(kv => ((int?)kv.Key, kv.Value.ToArray())).ToList();
    }

    private static EntropyGroup FitGroup(string source, ImmutableArray<IndicatorDefinition> inds, double[][] cols, int? year, int[] rows, double shift)
    {
        int n = rows.Length;
        string where = year is null ? $"over the {n} rows" : $"in year {year} ({n} rows)";
        if (n < 2) throw new InputException($"{source}: the entropy index needs at least 2 rows {where}.");
        var mins = new double[inds.Length];
        var maxs = new double[inds.Length];
        var entropy = new double[inds.Length];
        double lnN = Math.Log(n);
        for (int j = 0; j < inds.Length; j++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var i in rows) { min = Math.Min(min, cols[j][i]); max = Math.Max(max, cols[j][i]); }
            if (!(max > min))
                throw new InputException($"{source}: indicator '{inds[j].Name}' is constant (= {min.ToString("R", CultureInfo.InvariantCulture)}) {where}; min–max normalisation and its entropy weight are undefined. Drop the indicator or check the data.");
            mins[j] = min; maxs[j] = max;
            var w = new EntropyWeight(inds[j], min, max, 0, 0);
            double total = 0;
            foreach (var i in rows) total += w.Normalise(cols[j][i]) + shift;
            double sum = 0;
            foreach (var i in rows)
            {
                double p = (w.Normalise(cols[j][i]) + shift) / total;
                if (p > 0) sum += p * Math.Log(p); // 0·ln 0 = 0 (the limit), used only when shift = 0
            }
            entropy[j] = -sum / lnN;
        }
        double dTotal = entropy.Sum(e => 1 - e);
        if (!(dTotal > 0)) throw new InputException($"{source}: every indicator has entropy 1 {where} (all values spread evenly); entropy weights are undefined.");
        var weights = inds.Select((ind, j) => new EntropyWeight(ind, mins[j], maxs[j], entropy[j], (1 - entropy[j]) / dTotal)).ToImmutableArray();
        return new EntropyGroup(year, n, weights);
    }
}

/// <summary>
/// Result of <see cref="EntropyIndex.Fit"/>: the weights (one group if pooled, one per year otherwise),
/// the index for every input row, and the sub-index of every dimension present.
/// </summary>
public sealed record EntropyResult(ImmutableArray<IndicatorDefinition> Indicators, EntropyOptions Options,
    ImmutableArray<EntropyGroup> Groups, ImmutableArray<double> Index, ImmutableDictionary<Dimension, ImmutableArray<double>> SubIndices)
{
    /// <summary>The pooled weights (an error if per-year weights were computed).</summary>
    public EntropyGroup Pooled => Groups is [{ Year: null } g] ? g
        : throw new InvalidOperationException("per-year weights were computed; pick a group from Groups");

    /// <summary>
    /// The index and sub-indices of other rows with the SAME weights and normalisation bounds (e.g. the
    /// untreated potential outcomes). Values outside the fitted bounds map outside [0, 1]; they are not clipped,
    /// so that differences between two tables are exact differences of the same affine map.
    /// </summary>
    public (ImmutableArray<double> Index, ImmutableDictionary<Dimension, ImmutableArray<double>> SubIndices) Compute(ColumnTable data)
    {
        var cols = EntropyIndex.ReadColumns(data, Indicators);
        int n = data.RowCount;
        var groupOf = new EntropyGroup[n];
        if (Options.YearColumn is null) Array.Fill(groupOf, Groups[0]);
        else
        {
            var years = data.Numeric(Options.YearColumn);
            var byYear = Groups.ToDictionary(g => g.Year!.Value);
            for (int i = 0; i < n; i++)
                groupOf[i] = double.IsFinite(years[i]) && byYear.TryGetValue((int)years[i], out var g) ? g
                    : throw new InputException($"{data.Source}: row {i + 1} has year {years[i].ToString(CultureInfo.InvariantCulture)}, for which no weights were fitted.");
        }
        var dims = Indicators.Select(d => d.Dimension).Distinct().OrderBy(d => d).ToArray();
        var index = new double[n];
        var sub = dims.ToDictionary(d => d, _ => new double[n]);
        for (int i = 0; i < n; i++)
        {
            var w = groupOf[i].Weights;
            foreach (var d in dims)
            {
                double num = 0, den = 0;
                for (int j = 0; j < w.Length; j++)
                {
                    if (w[j].Indicator.Dimension != d) continue;
                    double c = w[j].Weight * w[j].Normalise(cols[j][i]);
                    num += c; den += w[j].Weight;
                    index[i] += c;
                }
                sub[d][i] = den > 0 ? num / den : double.NaN;
            }
        }
        return (index.ToImmutableArray(), sub.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray()));
    }

    /// <summary>Add the index (<c>resilience</c>) and sub-index columns to a table with these rows.</summary>
    public ColumnTable AddTo(ColumnTable data)
    {
        var t = data.With(ResilienceIndicators.IndexColumn, Index.ToArray());
        foreach (var (d, v) in SubIndices.OrderBy(kv => kv.Key)) t = t.With(ResilienceIndicators.SubIndexColumn(d), v.ToArray());
        return t;
    }

    /// <summary>The weights table: indicator, dimension, direction, entropy, weight (one weight column per year if per-year).</summary>
    public Table ToTable(string id = "entropy_weights", string title = "Entropy weights of the resilience indicators")
    {
        static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        bool pooled = Options.YearColumn is null;
        var header = new List<string> { "Indicator", "Dimension", "Direction" };
        if (pooled) header.AddRange(["Min", "Max", "Entropy", "Weight"]);
        else header.AddRange(Groups.Select(g => "w " + g.Year!.Value.ToString(CultureInfo.InvariantCulture)));
        var rows = new List<TableRow>();
        for (int j = 0; j < Indicators.Length; j++)
        {
            var ind = Indicators[j];
            var cells = new List<string> { ind.Label, ind.Dimension.ToString(), ind.Direction == Direction.Positive ? "+" : "−" };
            if (pooled)
            {
                var w = Groups[0].Weights[j];
                cells.AddRange([w.Min.ToString("G6", CultureInfo.InvariantCulture), w.Max.ToString("G6", CultureInfo.InvariantCulture), F(w.Entropy), F(w.Weight)]);
            }
            else cells.AddRange(Groups.Select(g => F(g.Weights[j].Weight)));
            rows.Add(new TableRow(cells.ToArray()));
        }
        var notes = new List<string>
        {
            "Min–max normalisation by direction; p_ij = (z_ij + s)/Σ_i(z_ij + s) with s = " + Options.Shift.ToString("R", CultureInfo.InvariantCulture)
                + "; e_j = −(1/ln n) Σ_i p_ij ln p_ij; w_j = (1 − e_j)/Σ_k (1 − e_k).",
            pooled ? $"Weights pooled over all {Groups[0].Rows} rows." : "Weights computed separately for each year.",
        };
        return new Table(id, title, header, rows, notes);
    }
}
