using Compendium.Econometrics.Data;

namespace Compendium.Data;

/// <summary>
/// Any table file the command line estimates on: comma-separated CSV (<see cref="ColumnTableCsv"/>) or
/// an .xlsx spreadsheet (its first sheet, header in row 1, read as <see cref="PanelLoader"/> reads a
/// panel). Columns are typed alike in both: numeric when every non-empty cell is a number.
/// </summary>
public static class TableFile
{
    /// <summary>Read <paramref name="path"/> by its extension (.xlsx, else CSV); errors name the file.</summary>
    public static ColumnTable Read(string path)
    {
        if (!Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) || Directory.Exists(path))
            return ColumnTableCsv.Read(path);
        if (!File.Exists(path)) throw new Econometrics.InputException($"{path}: file not found");
        var (header, rows) = PanelLoader.ReadXlsx(path);
        return ColumnTableCsv.FromCells(path, header, rows.Count, (i, j) => j < rows[i].Cells.Length ? rows[i].Cells[j] : null);
    }
}
