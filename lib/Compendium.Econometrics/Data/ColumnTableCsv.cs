using System.Globalization;

namespace Compendium.Econometrics.Data;

/// <summary>
/// Loads any CSV file into a <see cref="ColumnTable"/> for estimation, on top of the strict
/// <see cref="Csv"/> reader. A column is numeric when every non-empty cell parses as an
/// invariant-culture number, text otherwise; empty cells and <c>NA</c> are missing (NaN / null).
/// </summary>
public static class ColumnTableCsv
{
    /// <summary>Read <paramref name="path"/>; errors name the file and line; the table's source is the path.</summary>
    public static ColumnTable Read(string path) => FromCsv(Csv.Read(path));

    /// <summary>Convert a parsed CSV file.</summary>
    public static ColumnTable FromCsv(CsvTable csv) =>
        FromCells(csv.Source, csv.Header, csv.Rows.Length, (i, j) => csv.Rows[i][j]);

    /// <summary>
    /// A table from cells given as text (e.g. a spreadsheet's first sheet), typed by the same rule as a
    /// CSV file: a column is numeric when every non-empty cell is an invariant-culture number.
    /// </summary>
    /// <param name="source">Names the table in error messages.</param>
    /// <param name="header">Column names.</param>
    /// <param name="rows">Number of data rows.</param>
    /// <param name="cell">The text of row i, column j (null or empty when missing).</param>
    public static ColumnTable FromCells(string source, IReadOnlyList<string> header, int rows, Func<int, int, string?> cell)
    {
        var table = ColumnTable.Empty(rows, source);
        for (int j = 0; j < header.Count; j++)
        {
            var text = new string?[rows];
            var numbers = new double[rows];
            bool numeric = true;
            for (int i = 0; i < rows; i++)
            {
                var s = cell(i, j) ?? "";
                text[i] = s.Length == 0 || s == "NA" ? null : s;
                if (!numeric) continue;
                if (text[i] is null) numbers[i] = double.NaN;
                else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) numbers[i] = v;
                else numeric = false;
            }
            table = numeric ? table.With(header[j], numbers) : table.With(header[j], text);
        }
        return table;
    }
}
