using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;

namespace Compendium.Econometrics.Staggered;

/// <summary>
/// A balanced panel of N units × T periods with each unit's first treated period (its cohort, or
/// group), the shape every staggered-adoption estimator reads. Built from a long table by
/// <see cref="Build"/>, which checks the design and names the offending row, unit and column:
/// a unit observed twice in a period or missing a period, a cohort that changes within a unit,
/// a missing value in a variable used. Cohort 0 or missing means never treated; a cohort after the
/// last period is treated as never treated within the sample; units treated in the first period
/// (always treated) are kept and reported, and each estimator states what it does with them.
/// </summary>
public sealed class StaggeredPanel
{
    /// <summary>Unit identifiers in ascending order (numerically when every id is a number).</summary>
    public ImmutableArray<string> Units { get; }
    /// <summary>Periods in ascending order.</summary>
    public ImmutableArray<double> Periods { get; }
    /// <summary>Each unit's cohort (first treated period); 0 for never treated (including cohorts after the last period).</summary>
    public ImmutableArray<double> Cohorts { get; }
    /// <summary>Number of units N.</summary>
    public int N => Units.Length;
    /// <summary>Number of periods T.</summary>
    public int T => Periods.Length;
    /// <summary>Rows of the long table read (= N·T).</summary>
    public int Rows => N * T;
    /// <summary>Units whose cohort lies after the last period (counted as never treated).</summary>
    public int TreatedAfterSample { get; }
    /// <summary>Where the data came from (for error messages).</summary>
    public string Source { get; }
    /// <summary>Names of the unit, time and cohort columns.</summary>
    public (string Unit, string Time, string Cohort) Columns { get; }

    private readonly int[] _row;                       // [i * T + t] -> row of the long table
    private readonly ColumnTable _data;

    private StaggeredPanel(ColumnTable data, ImmutableArray<string> units, ImmutableArray<double> periods, ImmutableArray<double> cohorts,
        int[] row, int after, (string, string, string) columns)
    {
        _data = data; Units = units; Periods = periods; Cohorts = cohorts; _row = row; TreatedAfterSample = after;
        Source = data.Source; Columns = columns;
    }

    /// <summary>True for a unit never treated within the sample (cohort 0).</summary>
    public bool IsNeverTreated(int unit) => Cohorts[unit] == 0;

    /// <summary>The distinct cohorts of treated units, ascending (including an always-treated cohort equal to the first period).</summary>
    public ImmutableArray<double> TreatedCohorts => [.. Cohorts.Where(c => c != 0).Distinct().Order()];

    /// <summary>Index of a period in <see cref="Periods"/>, or −1.</summary>
    public int PeriodIndex(double period) => Periods.IndexOf(period);

    /// <summary>Index of the last period before <paramref name="x"/> (−1 if none).</summary>
    public int PeriodIndexBefore(double x)
    {
        int k = -1;
        for (int t = 0; t < T; t++) if (Periods[t] < x) k = t;
        return k;
    }

    /// <summary>Index of the first period at or after <paramref name="x"/> (T if none).</summary>
    public int PeriodIndexAtOrAfter(double x)
    {
        for (int t = 0; t < T; t++) if (Periods[t] >= x) return t;
        return T;
    }

    /// <summary>A numeric column as an N×T array, row-major by unit ([i·T + t]); a missing value is an <see cref="InputException"/> naming the row.</summary>
    public double[] Matrix(string column)
    {
        var v = _data.Numeric(column);
        var m = new double[Rows];
        for (int k = 0; k < m.Length; k++)
        {
            double x = v[_row[k]];
            if (double.IsNaN(x))
                throw new InputException($"{Source}: row {_row[k] + 2} ({Columns.Unit} {Units[k / T]}, {Columns.Time} {Fmt(Periods[k % T])}): " +
                                         $"'{column}' is missing; the staggered estimators need a balanced panel without missing values in the variables used.");
            m[k] = x;
        }
        return m;
    }

    /// <summary>The row of the long table holding unit <paramref name="unit"/> in period index <paramref name="period"/>.</summary>
    public int RowOf(int unit, int period) => _row[unit * T + period];

    /// <summary>
    /// Check and index <paramref name="data"/>: <paramref name="unit"/> (text or number), <paramref name="time"/>
    /// (numeric) and <paramref name="cohort"/> (numeric; 0, missing or a value after the last period = never treated).
    /// </summary>
    public static StaggeredPanel Build(ColumnTable data, string unit, string time, string cohort)
    {
        foreach (var c in new[] { unit, time, cohort })
            if (!data.HasColumn(c)) throw data.Missing(c);
        var ids = data.Text(unit);
        var t = data.Numeric(time);
        var g = data.Numeric(cohort);
        for (int r = 0; r < data.RowCount; r++)
        {
            if (ids[r] is null) throw new InputException($"{data.Source}: row {r + 2}: unit '{unit}' is missing.");
            if (double.IsNaN(t[r])) throw new InputException($"{data.Source}: row {r + 2}: time '{time}' is missing.");
        }
        var periods = t.Distinct().Order().ToImmutableArray();
        if (periods.Length < 2) throw new InputException($"{data.Source}: '{time}' takes {periods.Length} value(s); a panel needs at least two periods.");
        var unitList = ids.Distinct().Select(s => s!).ToList();
        bool numericIds = unitList.All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        unitList = numericIds
            ? [.. unitList.OrderBy(s => double.Parse(s, CultureInfo.InvariantCulture))]
            : [.. unitList.Order(StringComparer.Ordinal)];
        var unitIndex = unitList.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        var periodIndex = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        int n = unitList.Count, tt = periods.Length;
        var row = new int[n * tt];
        Array.Fill(row, -1);
        var cohorts = new double[n];
        var cohortRow = new int[n];
        Array.Fill(cohortRow, -1);
        for (int r = 0; r < data.RowCount; r++)
        {
            int i = unitIndex[ids[r]!], p = periodIndex[t[r]];
            if (row[i * tt + p] >= 0)
                throw new InputException($"{data.Source}: rows {row[i * tt + p] + 2} and {r + 2} are both {unit} {ids[r]} in {time} {Fmt(t[r])}; each unit must appear once per period.");
            row[i * tt + p] = r;
            double gv = double.IsNaN(g[r]) ? 0 : g[r];
            if (cohortRow[i] < 0) { cohorts[i] = gv; cohortRow[i] = r; }
            else if (cohorts[i] != gv)
                throw new InputException($"{data.Source}: {unit} {ids[r]} has {cohort} {Fmt(cohorts[i])} in row {cohortRow[i] + 2} but {Fmt(gv)} in row {r + 2}; " +
                                         "the first treated period must be the same in every row of a unit.");
        }
        for (int k = 0; k < row.Length; k++)
            if (row[k] < 0)
                throw new InputException($"{data.Source}: {unit} {unitList[k / tt]} has no row for {time} {Fmt(periods[k % tt])}; " +
                                         $"the staggered estimators need a balanced panel ({n} units × {tt} periods = {n * tt} rows, found {data.RowCount}).");
        int after = 0;
        double last = periods[^1];
        for (int i = 0; i < n; i++)
        {
            if (cohorts[i] < 0) throw new InputException($"{data.Source}: row {cohortRow[i] + 2}: {cohort} is {Fmt(cohorts[i])}; use 0 or leave it empty for never-treated units.");
            if (cohorts[i] > last) { cohorts[i] = 0; after++; }
        }
        return new StaggeredPanel(data, [.. unitList], periods, [.. cohorts], row, after, (unit, time, cohort));
    }

    /// <summary>Invariant number formatting for messages and labels.</summary>
    internal static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
