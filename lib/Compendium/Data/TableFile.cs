using Compendium.Econometrics.Data;

namespace Compendium.Data;

/// <summary>
/// Any table file the command line estimates on: comma-separated CSV (<see cref="ColumnTableCsv"/>), Apache
/// Parquet (<see cref="ParquetColumnReader"/>) or an .xlsx spreadsheet (its first sheet, header in row 1, read as <see cref="PanelLoader"/> reads a
/// panel). Columns are typed alike in both: numeric when every non-empty cell is a number.
/// </summary>
public static class TableFile
{
    private static bool IsXlsx(string path) =>
        Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path);

    /// <summary>
    /// The columns a model needs: of a CSV or Parquet file only those (<see cref="DataFile.ReadFor"/>), of a spreadsheet all.
    /// </summary>
    public static ColumnTable ReadFor(string path, IEnumerable<string> needed) =>
        IsXlsx(path) ? Read(path) : DataFile.ReadFor(path, needed);

    /// <summary>Read <paramref name="path"/> by its extension (.xlsx, .parquet, else CSV); errors name the file.</summary>
    public static ColumnTable Read(string path)
    {
        if (!IsXlsx(path)) return DataFile.Read(path);
        if (!File.Exists(path)) throw new Econometrics.InputException($"{path}: file not found");
        var (header, rows) = PanelLoader.ReadXlsx(path);
        return ColumnTableCsv.FromCells(path, header, rows.Count, (i, j) => j < rows[i].Cells.Length ? rows[i].Cells[j] : null);
    }
}
