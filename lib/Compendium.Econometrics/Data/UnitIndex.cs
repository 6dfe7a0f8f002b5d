using System.Collections.Immutable;

namespace Compendium.Econometrics.Data;

/// <summary>
/// The units of a panel (cities, firms, …) in order of first appearance, and the unit of every row:
/// the bridge between unit-level attributes (a group label, a pre-period mean) and the rows a model reads.
/// </summary>
/// <param name="Variable">The unit identifier column.</param>
/// <param name="Units">Unit identifiers (as text) in order of first appearance.</param>
/// <param name="RowUnits">For each row of the table, the position of its unit in <paramref name="Units"/>.</param>
public sealed record UnitIndex(string Variable, ImmutableArray<string> Units, ImmutableArray<int> RowUnits)
{
    /// <summary>Index the units of <paramref name="data"/> by column <paramref name="unit"/>; a missing identifier is an <see cref="InputException"/> naming the row.</summary>
    public static UnitIndex Of(ColumnTable data, string unit)
    {
        if (!data.HasColumn(unit)) throw data.Missing(unit);
        var ids = data.Text(unit);
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = ImmutableArray.CreateBuilder<string>();
        var rows = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var id = ids[i] ?? throw new InputException($"{data.Source}: the unit identifier '{unit}' is missing in data row {i + 1}.");
            if (!position.TryGetValue(id, out var u)) { position[id] = u = units.Count; units.Add(id); }
            rows[i] = u;
        }
        return new UnitIndex(unit, units.ToImmutable(), [.. rows]);
    }

    /// <summary>Number of units.</summary>
    public int Count => Units.Length;

    /// <summary>A row-level column from one value per unit.</summary>
    public double[] Broadcast(IReadOnlyList<double> perUnit)
    {
        CheckLength(perUnit.Count);
        var r = new double[RowUnits.Length];
        for (int i = 0; i < r.Length; i++) r[i] = perUnit[RowUnits[i]];
        return r;
    }

    /// <summary>A row-level text column from one label per unit.</summary>
    public string?[] Broadcast(IReadOnlyList<string?> perUnit)
    {
        CheckLength(perUnit.Count);
        var r = new string?[RowUnits.Length];
        for (int i = 0; i < r.Length; i++) r[i] = perUnit[RowUnits[i]];
        return r;
    }

    /// <summary>
    /// The value of a unit-level text (or numeric, formatted invariantly) column for each unit; an
    /// <see cref="InputException"/> naming the unit and both rows when it varies within a unit.
    /// </summary>
    public ImmutableArray<string?> UnitText(ColumnTable data, string column)
    {
        var v = data.Text(column);
        var result = new string?[Count];
        var first = new int[Count];
        Array.Fill(first, -1);
        for (int i = 0; i < v.Length; i++)
        {
            int u = RowUnits[i];
            if (first[u] < 0) { first[u] = i; result[u] = v[i]; }
            else if (!string.Equals(result[u], v[i], StringComparison.Ordinal))
                throw new InputException($"{data.Source}: '{column}' must be constant within each {Variable}, but {Variable} {Units[u]} has " +
                    $"'{result[u] ?? "(missing)"}' in data row {first[u] + 1} and '{v[i] ?? "(missing)"}' in data row {i + 1}.");
        }
        return [.. result];
    }

    /// <summary>The value of a unit-level numeric column for each unit (constant within units, see <see cref="UnitText"/>).</summary>
    public ImmutableArray<double> UnitNumeric(ColumnTable data, string column)
    {
        _ = UnitText(data, column); // throws when the column varies within a unit
        var numeric = data.Numeric(column);
        var result = new double[Count];
        for (int i = numeric.Length - 1; i >= 0; i--) result[RowUnits[i]] = numeric[i];
        return [.. result];
    }

    private void CheckLength(int n)
    {
        if (n != Count) throw new ArgumentException($"expected one value per unit ({Count}), got {n}");
    }
}
