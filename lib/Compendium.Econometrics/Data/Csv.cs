using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Compendium.Econometrics.Data;

/// <summary>
/// A strict RFC 4180 reader: comma-separated fields, optional double quotes around a field, <c>""</c>
/// for a quote inside a quoted field, commas and line breaks allowed inside quotes, LF or CRLF
/// record ends, an optional UTF-8 byte-order mark. Every record must have as many fields as the
/// header. Anything else is an <see cref="InputException"/> that names the file and line, so a
/// malformed data file never turns into a silently wrong number.
/// </summary>
/// <remarks>
/// Why our own reader: the facts and the panel are small, and the error messages must name file,
/// row and column, which general-purpose readers do not do in the form the command line prints.
/// Completely empty lines are skipped (a trailing newline or blank separator lines are common in
/// hand-edited files); a line holding only <c>""</c> is a record with one empty field.
/// </remarks>
public static class Csv
{
    /// <summary>Read and parse a file; <paramref name="path"/> is also the name used in error messages.</summary>
    public static CsvTable Read(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"{path}: is a folder, not a file; give the CSV file itself");
        if (Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(path).Equals(".xls", StringComparison.OrdinalIgnoreCase))
            throw new InputException($"{path}: a spreadsheet, not CSV text; save it as CSV (comma-separated, UTF-8)");
        string text;
        try { text = File.ReadAllText(path, new UTF8Encoding(false, true)); }
        catch (FileNotFoundException) { throw new InputException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new InputException($"{path}: file not found (no such directory)"); }
        catch (DecoderFallbackException) { throw new InputException($"{path}: not valid UTF-8 text"); }
        catch (UnauthorizedAccessException) { throw new InputException($"{path}: cannot be read (permission denied)"); }
        catch (IOException e) { throw new InputException($"{path}: cannot be read ({e.Message})"); }
        return Parse(text, path);
    }

    /// <summary>Parse CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Parse(string text, string source)
    {
        var records = new List<(int Line, string[] Fields)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int pos = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int line = 1, recordLine = 1;
        bool quotedRecordStarted = false;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            bool blank = fields.Count == 1 && fields[0].Length == 0 && !quotedRecordStarted;
            if (!blank) records.Add((recordLine, fields.ToArray()));
            fields.Clear();
            quotedRecordStarted = false;
        }

        while (pos < text.Length)
        {
            char c = text[pos];
            if (c == '"')
            {
                if (field.Length > 0)
                    throw new InputException($"{source}, line {line}: a double quote inside an unquoted field; quote the whole field and write \"\" for a quote");
                quotedRecordStarted = true;
                int startLine = line;
                pos++;
                while (true)
                {
                    if (pos >= text.Length)
                        throw new InputException($"{source}, line {startLine}: a quoted field is never closed");
                    char q = text[pos];
                    if (q == '"')
                    {
                        if (pos + 1 < text.Length && text[pos + 1] == '"') { field.Append('"'); pos += 2; continue; }
                        pos++;
                        break;
                    }
                    if (q == '\n') line++;
                    field.Append(q);
                    pos++;
                }
                if (pos < text.Length && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r')
                    throw new InputException($"{source}, line {line}: text after the closing quote of a field; expected a comma or the end of the line");
                continue;
            }
            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                pos++;
                continue;
            }
            if (c == '\r' || c == '\n')
            {
                EndRecord();
                pos += c == '\r' && pos + 1 < text.Length && text[pos + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
            pos++;
        }
        if (field.Length > 0 || fields.Count > 0 || quotedRecordStarted)
            EndRecord();

        if (records.Count == 0)
            throw new InputException($"{source}: empty file; expected a header line with column names");
        var (headerLine, header) = records[0];
        foreach (var (sep, name) in new[] { (';', "semicolon"), ('\t', "tab") })
            if (header.Length < header.Sum(h => h.Count(ch => ch == sep)) + 1)
                throw new InputException($"{source}, line {headerLine}: the file looks {name}-separated; the compendium reads comma-separated CSV (RFC 4180, dots as decimal marks). Save it with commas as separators.");
        for (int j = 0; j < header.Length; j++)
        {
            if (header[j].Trim().Length == 0)
                throw new InputException($"{source}, line {headerLine}: column {j + 1} of the header has no name");
            for (int k = 0; k < j; k++)
                if (header[k] == header[j])
                    throw new InputException($"{source}, line {headerLine}: column name '{header[j]}' appears twice in the header");
        }
        var rows = ImmutableArray.CreateBuilder<CsvRow>(records.Count - 1);
        var table = new CsvTable(source, [.. header]);
        for (int i = 1; i < records.Count; i++)
        {
            var (l, f) = records[i];
            if (f.Length != header.Length)
                throw new InputException($"{source}, line {l} (row {i}): {f.Length} field(s), but the header has {header.Length} columns");
            rows.Add(new CsvRow(table, i, l, f));
        }
        table.SetRows(rows.MoveToImmutable());
        return table;
    }
}

/// <summary>A parsed CSV file: its header and its data rows, each knowing its line number.</summary>
public sealed class CsvTable
{
    private ImmutableDictionary<string, int> _index;

    internal CsvTable(string source, ImmutableArray<string> header)
    {
        Source = source;
        Header = header;
        _index = header.Select((h, i) => (h, i)).ToImmutableDictionary(p => p.h, p => p.i, StringComparer.Ordinal);
    }

    internal void SetRows(ImmutableArray<CsvRow> rows) => Rows = rows;

    /// <summary>The file path or description used in error messages.</summary>
    public string Source { get; }
    /// <summary>Column names from the first line, in file order.</summary>
    public ImmutableArray<string> Header { get; }
    /// <summary>The data rows (header excluded), in file order.</summary>
    public ImmutableArray<CsvRow> Rows { get; private set; }

    /// <summary>True if the header has this column (exact, case-sensitive match).</summary>
    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>Position of a column; an <see cref="InputException"/> listing the header if it is absent.</summary>
    public int ColumnIndex(string name) =>
        _index.TryGetValue(name, out int i) ? i
            : throw new InputException($"{Source}: missing column '{name}'; the header has: {string.Join(", ", Header)}");

    /// <summary>Require these columns to be present (any order, extra columns allowed).</summary>
    public void RequireColumns(params string[] names)
    {
        foreach (var n in names) ColumnIndex(n);
    }

    /// <summary>Require exactly this header, in this order: for files whose layout is fixed by the codebook.</summary>
    public void RequireHeader(params string[] names)
    {
        RequireColumns(names);
        if (!Header.SequenceEqual(names))
            throw new InputException($"{Source}: header must be exactly '{string.Join(",", names)}' (in this order); found '{string.Join(",", Header)}'");
    }
}

/// <summary>
/// One data row. The typed accessors parse with the invariant culture and throw an
/// <see cref="InputException"/> naming file, row, line and column when a value does not parse.
/// </summary>
public sealed class CsvRow
{
    private readonly string[] _fields;

    internal CsvRow(CsvTable table, int number, int line, string[] fields)
    {
        Table = table; Number = number; Line = line; _fields = fields;
    }

    /// <summary>The table this row belongs to.</summary>
    public CsvTable Table { get; }
    /// <summary>1-based data row number (the header is row 0).</summary>
    public int Number { get; }
    /// <summary>1-based line in the file where the record starts.</summary>
    public int Line { get; }

    /// <summary>The raw text of the cell at a 0-based column position.</summary>
    public string this[int column] => _fields[column];
    /// <summary>The raw text of the cell in a named column; an <see cref="InputException"/> if the column is absent.</summary>
    public string this[string column] => _fields[Table.ColumnIndex(column)];

    /// <summary>"file, row r (line l), column 'c'": the prefix of every message about one cell.</summary>
    public string Where(string column) => $"{Table.Source}, row {Number} (line {Line}), column '{column}'";

    /// <summary>An error about one cell, for validation done by the caller.</summary>
    public InputException Error(string column, string expected) =>
        new($"{Where(column)}: expected {expected}, got '{this[column]}'");

    /// <summary>The text of a cell; an error if it is empty or only spaces.</summary>
    public string Text(string column)
    {
        var s = this[column];
        return s.Trim().Length > 0 ? s : throw Error(column, "a non-empty value");
    }

    /// <summary>An integer (invariant culture, optional leading sign); an <see cref="InputException"/> naming the cell otherwise.</summary>
    public int Int(string column) =>
        int.TryParse(this[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
            : throw Error(column, "an integer");

    /// <summary>A finite number (invariant culture: '.' decimal point, no thousands separators).</summary>
    public double Double(string column) =>
        double.TryParse(this[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw Error(column, "a number");

    /// <summary>A number, or NaN when the cell is empty (how missing values are written).</summary>
    public double DoubleOrMissing(string column) =>
        this[column].Length == 0 ? double.NaN : Double(column);

    /// <summary>A 0/1 indicator.</summary>
    public bool Flag(string column) => this[column] switch
    {
        "0" => false,
        "1" => true,
        _ => throw Error(column, "0 or 1"),
    };

    /// <summary>An ISO 8601 calendar date, yyyy-MM-dd.</summary>
    public DateOnly Date(string column) =>
        DateOnly.TryParseExact(this[column], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw Error(column, "a date written yyyy-MM-dd");
}
