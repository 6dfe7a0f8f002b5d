using System.Collections.Immutable;

namespace Compendium.Econometrics.Data;

/// <summary>
/// A column store: the data every estimator reads. Numeric columns are <c>double[]</c>
/// (missing = NaN); text columns are <c>string?[]</c> (missing = null) and can serve as factors
/// (fixed effects, clusters). Columns keep their insertion order. The arrays are shared, never
/// copied, so treat them as read-only; <see cref="With(string, double[])"/> returns a new table.
/// </summary>
/// <remarks>
/// Deedle frames are what a notebook shows and manipulates; estimators need contiguous arrays
/// for speed, so they read this type. The study library converts (<c>Compendium.Data.Frames</c>),
/// so that this library does not depend on Deedle.
/// </remarks>
public sealed class ColumnTable
{
    private readonly ImmutableDictionary<string, double[]> _numeric;
    private readonly ImmutableDictionary<string, string?[]> _text;

    /// <summary>Column names in insertion order.</summary>
    public ImmutableArray<string> ColumnNames { get; }
    /// <summary>Number of rows (every column has this length).</summary>
    public int RowCount { get; }
    /// <summary>Where the data came from (a file path or a description); used in error messages.</summary>
    public string Source { get; }

    private ColumnTable(ImmutableArray<string> names, ImmutableDictionary<string, double[]> numeric,
        ImmutableDictionary<string, string?[]> text, int rows, string source)
    {
        ColumnNames = names; _numeric = numeric; _text = text; RowCount = rows; Source = source;
    }

    /// <summary>A table with no columns and <paramref name="rows"/> rows, to add columns to with <c>With</c>.</summary>
    public static ColumnTable Empty(int rows, string source = "data") =>
        new(ImmutableArray<string>.Empty, ImmutableDictionary<string, double[]>.Empty,
            ImmutableDictionary<string, string?[]>.Empty, rows, source);

    /// <summary>Build from named numeric columns of equal length.</summary>
    public static ColumnTable FromColumns(IEnumerable<KeyValuePair<string, double[]>> columns, string source = "data")
    {
        ColumnTable? t = null;
        foreach (var (name, values) in columns)
            t = (t ?? Empty(values.Length, source)).With(name, values);
        return t ?? Empty(0, source);
    }

    /// <summary>True if a numeric or text column has this name.</summary>
    public bool HasColumn(string name) => _numeric.ContainsKey(name) || _text.ContainsKey(name);
    /// <summary>True if the column exists and is numeric.</summary>
    public bool IsNumeric(string name) => _numeric.ContainsKey(name);

    /// <summary>A numeric column; a clear error naming the column and listing the available ones otherwise.</summary>
    public double[] Numeric(string name)
    {
        if (_numeric.TryGetValue(name, out var v)) return v;
        if (_text.ContainsKey(name))
            throw new InputException($"{Source}: column '{name}' is text, a number was expected.");
        throw Missing(name);
    }

    /// <summary>A column as text (numbers are formatted invariantly), e.g. to use it as a factor.</summary>
    public string?[] Text(string name)
    {
        if (_text.TryGetValue(name, out var t)) return t;
        if (_numeric.TryGetValue(name, out var v))
            return v.Select(x => double.IsNaN(x) ? null : x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        throw Missing(name);
    }

    /// <summary>The error for an absent column (not thrown here): names <see cref="Source"/> and lists the columns.</summary>
    public InputException Missing(string name) =>
        new($"{Source}: no column '{name}'. Columns found: {string.Join(", ", ColumnNames)}.");

    /// <summary>A new table with this numeric column added, or replacing a column of that name in place; the length must equal <see cref="RowCount"/>.</summary>
    public ColumnTable With(string name, double[] values)
    {
        CheckLength(name, values.Length);
        var names = HasColumn(name) ? ColumnNames : ColumnNames.Add(name);
        return new(names, _numeric.SetItem(name, values), _text.Remove(name), RowCount, Source);
    }

    /// <summary>A new table with this text column added, or replacing a column of that name in place; the length must equal <see cref="RowCount"/>.</summary>
    public ColumnTable With(string name, string?[] values)
    {
        CheckLength(name, values.Length);
        var names = HasColumn(name) ? ColumnNames : ColumnNames.Add(name);
        return new(names, _numeric.Remove(name), _text.SetItem(name, values), RowCount, Source);
    }

    /// <summary>The same columns with a different <see cref="Source"/> (for error messages).</summary>
    public ColumnTable WithSource(string source) => new(ColumnNames, _numeric, _text, RowCount, source);

    /// <summary>
    /// A table of only the columns <paramref name="names"/> (in that order, duplicates once; the arrays shared, not
    /// copied), so that row subsets and copies made from it touch only what an estimator reads. A name that is not a
    /// column is the error of <see cref="Missing"/>.
    /// </summary>
    public ColumnTable Only(IEnumerable<string> names)
    {
        var t = Empty(RowCount, Source);
        foreach (var c in names.Distinct(StringComparer.Ordinal))
        {
            if (_numeric.TryGetValue(c, out var v)) t = t.With(c, v);
            else if (_text.TryGetValue(c, out var x)) t = t.With(c, x);
            else throw Missing(c);
        }
        return t;
    }

    /// <summary>The rows where <paramref name="keep"/> is true, in order.</summary>
    public ColumnTable Where(bool[] keep)
    {
        if (keep.Length != RowCount) throw new ArgumentException("mask length differs from row count");
        int n = keep.Count(k => k);
        var num = _numeric.ToImmutableDictionary(kv => kv.Key, kv => Filter(kv.Value, keep, n));
        var txt = _text.ToImmutableDictionary(kv => kv.Key, kv => Filter(kv.Value, keep, n));
        return new(ColumnNames, num, txt, n, Source);
    }

    private static T[] Filter<T>(T[] src, bool[] keep, int n)
    {
        var dst = new T[n];
        for (int i = 0, j = 0; i < src.Length; i++) if (keep[i]) dst[j++] = src[i];
        return dst;
    }

    private void CheckLength(string name, int length)
    {
        if (ColumnNames.Length > 0 && length != RowCount)
            throw new ArgumentException($"column '{name}' has {length} rows, the table has {RowCount}");
    }
}
