namespace Compendium.Econometrics.Data;

/// <summary>
/// Reads a data file for estimation by its extension: <c>.parquet</c> (or <c>.pq</c>) with
/// <see cref="ParquetColumnReader"/>, anything else as CSV with <see cref="ColumnTableCsv"/>.
/// </summary>
public static class DataFile
{
    /// <summary>The formats <see cref="Read"/> understands, for help texts.</summary>
    public const string Formats = "CSV (comma-separated, UTF-8, header line) or Apache Parquet (.parquet)";

    /// <summary>True when <paramref name="path"/> names a Parquet file.</summary>
    public static bool IsParquet(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pq", StringComparison.OrdinalIgnoreCase);

    /// <summary>Read every column, or only <paramref name="columns"/> (an <see cref="InputException"/> names any that is absent).</summary>
    public static ColumnTable Read(string path, IReadOnlyCollection<string>? columns = null) =>
        IsParquet(path) ? ParquetColumnReader.Read(path, columns) : ColumnTableCsv.Read(path, columns);

    /// <summary>The column names of the file, in order (reads the header or the schema only).</summary>
    public static IReadOnlyList<string> ColumnNames(string path) =>
        IsParquet(path) ? ParquetColumnReader.ColumnNames(path) : ColumnTableCsv.ColumnNames(path);

    /// <summary>
    /// Read the columns a model needs (<paramref name="needed"/>: its variables, weights, cluster variables) and no
    /// others, which saves time and memory on wide files. When one of them is absent the whole file is read, so
    /// that the estimator's own error (which points into the formula and lists the file's columns) is the one shown.
    /// </summary>
    public static ColumnTable ReadFor(string path, IEnumerable<string> needed)
    {
        var names = ColumnNames(path);
        var wanted = needed.Distinct(StringComparer.Ordinal).ToList();
        return Read(path, wanted.All(names.Contains) ? wanted : null);
    }
}
