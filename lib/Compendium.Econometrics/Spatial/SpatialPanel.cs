using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;

namespace Compendium.Econometrics.Spatial;

/// <summary>
/// A balanced panel arranged for spatial models: period by period (block t holds the n units in the
/// order of <see cref="Weights"/>), periods ascending. Built by <see cref="Arrange"/>, which checks that
/// every unit appears once in every period with every variable present.
/// </summary>
/// <param name="Units">Unit identifiers in W's order.</param>
/// <param name="Periods">Period labels, ascending.</param>
/// <param name="Weights">W aligned to <see cref="Units"/>.</param>
/// <param name="Columns">The requested variables, each of length n·T, period-major.</param>
/// <param name="SourceRows">The data row of each position (period-major).</param>
public sealed record SpatialPanel(ImmutableArray<string> Units, ImmutableArray<string> Periods, SpatialWeights Weights,
    double[][] Columns, int[] SourceRows)
{
    /// <summary>Number of units n.</summary>
    public int N => Units.Length;
    /// <summary>Number of periods T.</summary>
    public int T => Periods.Length;

    /// <summary>Unit identifiers of a column as text (numbers in shortest round-trip form, as <see cref="SpatialWeights.NormaliseId"/>).</summary>
    public static string[] UnitIds(ColumnTable data, string unit)
    {
        if (!data.HasColumn(unit)) throw data.Missing(unit);
        if (data.IsNumeric(unit))
            return data.Numeric(unit).Select((v, r) => double.IsNaN(v)
                ? throw new InputException($"{data.Source}, row {r + 1}: the unit identifier '{unit}' is missing.")
                : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return data.Text(unit).Select((v, r) => string.IsNullOrWhiteSpace(v)
            ? throw new InputException($"{data.Source}, row {r + 1}: the unit identifier '{unit}' is missing.")
            : v.Trim()).ToArray();
    }

    /// <summary>
    /// Arrange <paramref name="variables"/> of <paramref name="data"/> on the grid units × periods. W is aligned to the
    /// data's units (<see cref="SpatialWeights.AlignTo"/>). <paramref name="time"/> null: a single cross-section.
    /// Errors name the unit, period, row and variable: a repeated unit-period, a missing one, a missing value.
    /// </summary>
    public static SpatialPanel Arrange(ColumnTable data, IReadOnlyList<string> variables, string unit, string? time, SpatialWeights w)
    {
        var ids = UnitIds(data, unit);
        string[] per;
        ImmutableArray<string> periods;
        if (time is null)
        {
            per = Enumerable.Repeat("", data.RowCount).ToArray();
            periods = [""];
        }
        else
        {
            if (!data.HasColumn(time)) throw data.Missing(time);
            if (data.IsNumeric(time))
            {
                var tv = data.Numeric(time);
                for (int r = 0; r < tv.Length; r++)
                    if (double.IsNaN(tv[r])) throw new InputException($"{data.Source}, row {r + 1}: the period '{time}' is missing.");
                per = tv.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
                periods = tv.Distinct().Order().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToImmutableArray();
            }
            else
            {
                per = data.Text(time).Select((v, r) => string.IsNullOrWhiteSpace(v)
                    ? throw new InputException($"{data.Source}, row {r + 1}: the period '{time}' is missing.") : v.Trim()).ToArray();
                periods = per.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
            }
        }
        var unitsInData = ids.Distinct(StringComparer.Ordinal).ToList();
        // W's order where W knows the unit; AlignTo reports units missing on either side.
        var weights = w.AlignTo(unitsInData.OrderBy(u => w.IndexOf(u) is var i && i >= 0 ? i : int.MaxValue).ToList(), data.Source);
        int n = weights.Count, T = periods.Length;
        var pIndex = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var pos = new int[n * T]; Array.Fill(pos, -1);
        for (int r = 0; r < ids.Length; r++)
        {
            int i = weights.IndexOf(ids[r]), t = pIndex[per[r]];
            if (pos[t * n + i] >= 0)
                throw new InputException($"{data.Source}, rows {pos[t * n + i] + 1} and {r + 1}: unit {ids[r]}{(time is null ? "" : $" in period {per[r]}")} appears twice; a spatial panel has one row per unit and period.");
            pos[t * n + i] = r;
        }
        for (int k = 0; k < pos.Length; k++)
            if (pos[k] < 0)
                throw new InputException($"{data.Source}: unit {weights.Units[k % n]} has no row{(time is null ? "" : $" in period {periods[k / n]}")}; spatial models need a balanced panel ({n} units × {T} periods).");
        var cols = new double[variables.Count][];
        for (int c = 0; c < variables.Count; c++)
        {
            var src = data.Numeric(variables[c]);
            var dst = cols[c] = new double[n * T];
            for (int k = 0; k < dst.Length; k++)
            {
                double v = src[pos[k]];
                if (double.IsNaN(v))
                    throw new InputException($"{data.Source}, row {pos[k] + 1}: '{variables[c]}' is missing (unit {weights.Units[k % n]}{(time is null ? "" : $", period {periods[k / n]}")}); spatial models need every unit in every period, so fill or drop the unit.");
                dst[k] = v;
            }
        }
        return new SpatialPanel(weights.Units, periods, weights, cols, pos);
    }
}
