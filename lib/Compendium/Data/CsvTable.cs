using System.Globalization;
using System.Text;

namespace Compendium.Data;

/// <summary>
/// Reads a comma-separated file (RFC 4180: a header row, double-quoted fields with "" escapes) into a
/// <see cref="ColumnTable"/>. A column is numeric when every non-empty cell parses as an invariant-culture
/// number, text otherwise. Empty cells and <c>NA</c> are missing (NaN / null).
/// Errors name the file, line and column.
/// </summary>
public static class CsvTable
{
    /// <summary>Read <paramref name="path"/>; the table's <see cref="ColumnTable.Source"/> is the path.</summary>
    public static ColumnTable Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found.");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Read CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public static ColumnTable Read(TextReader reader, string source)
    {
        int line = 1;
        var header = ReadRecord(reader, source, ref line);
        if (header is null || header.Count == 0 || header.All(h => h.Length == 0)) throw new InputException($"{source}: empty file; a header row was expected.");
        for (int j = 0; j < header.Count; j++)
        {
            if (header[j].Trim().Length == 0) throw new InputException($"{source}, line 1, column {j + 1}: empty column name.");
            int first = header.IndexOf(header[j]);
            if (first != j) throw new InputException($"{source}, line 1: column name '{header[j]}' appears twice (columns {first + 1} and {j + 1}).");
        }
        var cells = header.Select(_ => new List<string?>()).ToArray();
        while (true)
        {
            int recordLine = line;
            var rec = ReadRecord(reader, source, ref line);
            if (rec is null) break;
            if (rec.Count == 1 && rec[0].Length == 0) continue; // blank line
            if (rec.Count != header.Count)
                throw new InputException($"{source}, line {recordLine}: {rec.Count} fields, the header has {header.Count}.");
            for (int j = 0; j < rec.Count; j++) cells[j].Add(rec[j].Length == 0 || rec[j] == "NA" ? null : rec[j]);
        }
        int n = cells[0].Count;
        var table = ColumnTable.Empty(n, source);
        for (int j = 0; j < header.Count; j++)
        {
            var col = cells[j];
            var numbers = new double[n];
            bool numeric = true;
            for (int i = 0; i < n && numeric; i++)
            {
                var s = col[i];
                if (s is null) numbers[i] = double.NaN;
                else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) numbers[i] = v;
                else numeric = false;
            }
            table = numeric ? table.With(header[j], numbers) : table.With(header[j], col.ToArray());
        }
        return table;
    }

    private static List<string>? ReadRecord(TextReader r, string source, ref int line)
    {
        int c = r.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var sb = new StringBuilder();
        int startLine = line;
        while (true)
        {
            if (c == '"' && sb.Length == 0)
            {
                while (true)
                {
                    c = r.Read();
                    if (c < 0) throw new InputException($"{source}, line {startLine}: a quoted field is not closed.");
                    if (c == '"')
                    {
                        if (r.Peek() == '"') { r.Read(); sb.Append('"'); continue; }
                        break;
                    }
                    if (c == '\n') line++;
                    sb.Append((char)c);
                }
                c = r.Read();
                if (c is not (',' or '\n' or '\r' or -1))
                    throw new InputException($"{source}, line {line}, column {fields.Count + 1}: unexpected character after a closing quote.");
            }
            if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); c = r.Read(); continue; }
            if (c is '\n' or '\r' or -1)
            {
                fields.Add(sb.ToString());
                if (c == '\r' && r.Peek() == '\n') r.Read();
                if (c >= 0) line++;
                return fields;
            }
            sb.Append((char)c);
            c = r.Read();
        }
    }
}
