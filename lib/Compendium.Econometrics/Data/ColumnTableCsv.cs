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
    public static ColumnTable FromCsv(CsvTable csv)
    {
        int n = csv.Rows.Length;
        var table = ColumnTable.Empty(n, csv.Source);
        for (int j = 0; j < csv.Header.Length; j++)
        {
            var text = new string?[n];
            var numbers = new double[n];
            bool numeric = true;
            for (int i = 0; i < n; i++)
            {
                var s = csv.Rows[i][j];
                text[i] = s.Length == 0 || s == "NA" ? null : s;
                if (!numeric) continue;
                if (text[i] is null) numbers[i] = double.NaN;
                else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) numbers[i] = v;
                else numeric = false;
            }
            table = numeric ? table.With(csv.Header[j], numbers) : table.With(csv.Header[j], text);
        }
        return table;
    }
}
