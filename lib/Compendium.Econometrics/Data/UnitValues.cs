using System.Collections.Immutable;
using System.Globalization;

namespace Compendium.Econometrics.Data;

/// <summary>
/// One number per unit of a panel, e.g. a moderator's mean over the years before a policy: the
/// measure that splits units into groups (<see cref="UnitGroups"/>) or enters a continuous
/// interaction once centred.
/// </summary>
/// <param name="Name">What the values are (used as the column name by <see cref="AddTo"/>).</param>
/// <param name="Index">The units.</param>
/// <param name="Values">One value per unit, in the order of <see cref="UnitIndex.Units"/>.</param>
public sealed record UnitValues(string Name, UnitIndex Index, ImmutableArray<double> Values)
{
    /// <summary>
    /// The mean of <paramref name="variable"/> over each unit's rows where <paramref name="rows"/> is true
    /// (every row when null), skipping missing values; a unit with no value there is an
    /// <see cref="InputException"/> naming it.
    /// </summary>
    public static UnitValues Mean(ColumnTable data, string variable, UnitIndex units, bool[]? rows = null, string? name = null)
    {
        var x = data.Numeric(variable);
        var sum = new double[units.Count];
        var n = new int[units.Count];
        for (int i = 0; i < x.Length; i++)
        {
            if (rows is not null && !rows[i] || double.IsNaN(x[i])) continue;
            sum[units.RowUnits[i]] += x[i];
            n[units.RowUnits[i]]++;
        }
        int empty = Array.IndexOf(n, 0);
        if (empty >= 0)
            throw new InputException($"{data.Source}: {units.Variable} {units.Units[empty]} has no non-missing value of '{variable}' in the rows used for its mean " +
                                     $"({n.Count(c => c == 0)} unit(s) without one).");
        return new UnitValues(name ?? variable, units, [.. sum.Select((s, u) => s / n[u])]);
    }

    /// <summary>
    /// The mean of <paramref name="variable"/> over the periods before the first treated period of the
    /// panel: the rows with <paramref name="time"/> &lt; t₀, t₀ the smallest time at which
    /// <paramref name="treatment"/> is non-zero in any row. Measured before any unit is treated, so a
    /// split on it cannot be an outcome of the policy. Named <c>VARIABLE_pre</c>.
    /// </summary>
    public static UnitValues BeforeTreatment(ColumnTable data, string variable, UnitIndex units, string time, string treatment)
    {
        double t0 = FirstTreatedPeriod(data, time, treatment);
        var t = data.Numeric(time);
        var rows = t.Select(v => v < t0).ToArray();
        if (!rows.Any(r => r))
            throw new InputException($"{data.Source}: no period before the first treated {time} ({t0.ToString(CultureInfo.InvariantCulture)}): a pre-treatment mean of '{variable}' needs at least one.");
        return Mean(data, variable, units, rows, variable + "_pre");
    }

    /// <summary>The smallest <paramref name="time"/> at which <paramref name="treatment"/> is non-zero (and not missing).</summary>
    public static double FirstTreatedPeriod(ColumnTable data, string time, string treatment)
    {
        var t = data.Numeric(time);
        var d = data.Numeric(treatment);
        double t0 = double.PositiveInfinity;
        for (int i = 0; i < t.Length; i++)
            if (!double.IsNaN(d[i]) && d[i] != 0 && t[i] < t0) t0 = t[i];
        return double.IsPositiveInfinity(t0)
            ? throw new InputException($"{data.Source}: '{treatment}' is never non-zero, so there is no first treated {time}.")
            : t0;
    }

    /// <summary>The values minus their mean over units (each unit weighted equally), named <c>NAME_c</c>: in a continuous interaction treat × (m − m̄), the coefficient of treat is then the effect at the mean moderator.</summary>
    public UnitValues Centred()
    {
        double mean = Values.Average();
        return new UnitValues(Name + "_c", Index, [.. Values.Select(v => v - mean)]);
    }

    /// <summary>The R type-7 quantile of the values (linear interpolation between order statistics; R's default).</summary>
    public double Quantile(double p)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p));
        var x = Values.Order().ToArray();
        double h = (x.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 < x.Length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
    }

    /// <summary>The data with these values broadcast to every row of their unit, as column <paramref name="column"/> (default <see cref="Name"/>).</summary>
    public ColumnTable AddTo(ColumnTable data, string? column = null) => data.With(column ?? Name, Index.Broadcast(Values));
}
