using Deedle;
using Compendium.Econometrics.Data;

namespace Compendium.Data;

/// <summary>Conversions between the estimators' <see cref="ColumnTable"/> and Deedle frames (what a notebook shows and manipulates).</summary>
public static class Frames
{
    /// <summary>Convert a Deedle frame: numeric-convertible columns become numeric, the rest text.</summary>
    public static ColumnTable ToColumnTable<TRow>(this Frame<TRow, string> frame, string source = "frame")
    {
        int n = frame.RowCount;
        var t = ColumnTable.Empty(n, source);
        foreach (var name in frame.ColumnKeys)
        {
            var col = frame.GetColumn<object>(name);
            var values = col.GetAllValues().Select(v => v.HasValue ? v.Value : null).ToArray();
            if (values.All(v => v is null or double or float or int or long or decimal or short))
                t = t.With(name, values.Select(v => v is null ? double.NaN : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            else
                t = t.With(name, values.Select(v => v is null ? null : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        return t;
    }

    /// <summary>A Deedle frame with rows 0..n−1 and the same columns, for display and exploration.</summary>
    public static Frame<int, string> ToFrame(this ColumnTable table)
    {
        var index = Enumerable.Range(0, table.RowCount).ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        foreach (var name in table.ColumnNames)
        {
            if (table.IsNumeric(name)) builder.Add(name, new Series<int, double>(index, table.Numeric(name)));
            else builder.Add(name, new Series<int, string?>(index, table.Text(name)));
        }
        return builder.Frame;
    }
}
