using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using nietras.SeparatedValues;

namespace Compendium.Econometrics.Data;

/// <summary>
/// Reads a CSV file straight into typed column arrays (a <see cref="ColumnTable"/>): the fields are split by
/// Sep (nietras/Sep 0.17.1, MIT; SIMD), numbers are parsed from the field's characters (csFastFloat, correctly
/// rounded) with no string per cell, and files of more than a few megabytes are read in parallel byte ranges
/// cut at line ends. The rules are those of the strict <see cref="Csv"/> reader, with the same messages:
/// comma-separated, RFC 4180 quoting (<c>""</c> for a quote inside a quoted field, separators and line breaks
/// allowed inside quotes), LF or CRLF, an optional UTF-8 byte-order mark, blank lines skipped, every record with
/// as many fields as the header; anything else is an <see cref="InputException"/> naming the file and line (and
/// the data row). A column is numeric when every non-missing cell parses as an invariant-culture number, text
/// otherwise; empty cells and <c>NA</c> are missing (NaN / null). Repeated text values share one string.
/// </summary>
/// <remarks>
/// A file with a double quote anywhere is read again in one piece when it was cut into ranges (a quoted line
/// break could straddle a cut); a column that turns out to be text is read in a second pass, as text.
/// Memory: the final arrays only, sized by a first pass that counts the line ends of each range (SIMD; it also
/// brings a cold file into the page cache for the parse).
/// </remarks>
public static class ColumnTableCsv
{
    private const long MinBytesPerRange = 4 << 20;

    /// <summary>
    /// Read <paramref name="path"/>; only the columns in <paramref name="columns"/> when it is not null
    /// (an <see cref="InputException"/> names any that the header lacks, and lists the header). The table's
    /// source is the path. <paramref name="threads"/> caps the parallel byte ranges (default: one per core,
    /// at least 4 MB each).
    /// </summary>
    public static ColumnTable Read(string path, IReadOnlyCollection<string>? columns = null, int? threads = null)
    {
        EnsureExists(path);
        long size = new FileInfo(path).Length;
        int p = Math.Max(1, Math.Min(threads ?? Environment.ProcessorCount, (int)(size / MinBytesPerRange)));
        var ranges = p == 1 ? [(0L, size)] : CutRanges(path, size, p);
        var result = ReadRanges(path, ranges, columns);
        if (result.SawQuote && ranges.Length > 1)   // a quoted field may hold a line break that a cut split: read again in one piece
            result = ReadRanges(path, [(0L, size)], columns);
        return result.Table;
    }

    /// <summary>The names in the header line of <paramref name="path"/> (the same checks and errors as <see cref="Read"/>).</summary>
    public static IReadOnlyList<string> ColumnNames(string path)
    {
        EnsureExists(path);
        return ReadHeader(path);
    }

    /// <summary>An <see cref="InputException"/> when <paramref name="path"/> does not exist, saying whether its folder does.</summary>
    internal static void EnsureExists(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"{path}: is a folder, not a file; give the CSV file itself");
        if (!File.Exists(path))
            throw new InputException(Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))) ? $"{path}: file not found" : $"{path}: file not found (no such directory)");
    }

    private static (long, long)[] CutRanges(string path, long size, int p)
    {
        var cuts = new List<long> { 0 };
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var buf = new byte[1 << 16];
        for (int k = 1; k < p; k++)
        {
            long at = Math.Max(size * k / p, cuts[^1]);
            fs.Position = at;
            long next = -1;
            while (next < 0)
            {
                int got = fs.Read(buf, 0, buf.Length);
                if (got == 0) break;
                int nl = buf.AsSpan(0, got).IndexOf((byte)'\n');
                if (nl >= 0) next = at + nl + 1; else at += got;
            }
            if (next < 0 || next >= size) break;
            if (next > cuts[^1]) cuts.Add(next);
        }
        var ranges = new (long, long)[cuts.Count];
        for (int k = 0; k < cuts.Count; k++) ranges[k] = (cuts[k], (k + 1 < cuts.Count ? cuts[k + 1] : size) - cuts[k]);
        return ranges;
    }

    private sealed record Result(ColumnTable Table, bool SawQuote);

    // One range's output: per selected column, numbers in segments (or text when it is a text column).
    private sealed class Part
    {
        public int Lines, Rows;
        public long Offset, Bound;   // first row in the final arrays, and at most this many rows (line ends counted)
        public List<string?>[]? Texts;
        public bool SawQuote;
        public (int Line, int Row, string Message)? Error;
        public ExceptionDispatchInfo? Fatal;
    }

    private static Result ReadRanges(string path, (long Start, long Length)[] ranges, IReadOnlyCollection<string>? wanted)
    {
        // The header first, so that every range knows the columns.
        var header = ReadHeader(path);
        var select = Select(path, header, wanted);
        var isText = new bool[select.Length];
        // Rows are written straight into the final arrays, sized by the line ends of each range (an upper bound:
        // blank lines and quoted line breaks only make fewer records), so there is no second copy of the data.
        var parts = CountLines(path, ranges);
        long bound = parts.Sum(q => q.Bound);
        if (bound > Array.MaxLength) throw new InputException($"{path}: more than {Array.MaxLength} rows; split the file.");
        var numbers = new double[select.Length][];
        for (int c = 0; c < select.Length; c++) numbers[c] = GC.AllocateUninitializedArray<double>((int)bound);
        Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length }, k =>
        {
            var part = parts[k];
            try { ParseRange(path, ranges[k], k == 0, header.Length, select, isText, part, numbers, textPass: null); }
            catch (DecoderFallbackException) { part.Fatal = ExceptionDispatchInfo.Capture(new InputException($"{path}: not valid UTF-8 text")); }
        });
        bool sawQuote = parts.Any(q => q.SawQuote);
        if (sawQuote && ranges.Length > 1) return new Result(null!, true);
        ThrowFirstError(path, parts);
        // Text columns (some cell was not a number): a second pass reads them as text.
        if (isText.Any(t => t))
        {
            var textParts = new Part[ranges.Length];
            Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length }, k =>
            {
                var part = new Part { Offset = parts[k].Offset, Bound = parts[k].Bound };
                ParseRange(path, ranges[k], k == 0, header.Length, select, isText, part, numbers, textPass: true);
                textParts[k] = part;
            });
            ThrowFirstError(path, textParts);   // the text pass also checks the quoting of those columns
            for (int k = 0; k < parts.Length; k++) parts[k].Texts = textParts[k].Texts;
        }
        int n = parts.Sum(q => q.Rows);
        var table = ColumnTable.Empty(n, path);
        for (int c = 0; c < select.Length; c++)
        {
            string name = header[select[c]];
            if (isText[c])
            {
                numbers[c] = null!;
                var col = new string?[n]; int at = 0;
                foreach (var q in parts) { q.Texts![c].CopyTo(col, at); at += q.Rows; q.Texts[c] = null!; }
                table = table.With(name, col);
                continue;
            }
            var num = numbers[c];
            if (n < num.Length)
            {
                // fewer records than line ends (blank lines, quoted line breaks): close the gaps, then trim
                long at = 0;
                foreach (var q in parts) { Array.Copy(num, q.Offset, num, at, q.Rows); at += q.Rows; }
                Array.Resize(ref num, n);
                numbers[c] = null!;
            }
            table = table.With(name, num);
        }
        return new Result(table, false);
    }

    private static void ThrowFirstError(string path, Part[] parts)
    {
        int lineOffset = 0, rowOffset = 0;
        foreach (var q in parts)
        {
            q.Fatal?.Throw();
            if (q.Error is { } e)
                throw new InputException(e.Message.Replace("\u0001", (e.Line + lineOffset).ToString(CultureInfo.InvariantCulture))
                                                  .Replace("\u0002", (e.Row + rowOffset).ToString(CultureInfo.InvariantCulture)));
            lineOffset += q.Lines; rowOffset += q.Rows;
        }
    }

    private static int[] Select(string path, string[] header, IReadOnlyCollection<string>? wanted)
    {
        if (wanted is null) return Enumerable.Range(0, header.Length).ToArray();
        var sel = new List<int>();
        foreach (var name in wanted)
        {
            int j = Array.IndexOf(header, name);
            if (j < 0) throw new InputException($"{path}: no column '{name}'. Columns found: {string.Join(", ", header)}.");
            if (!sel.Contains(j)) sel.Add(j);
        }
        sel.Sort();
        return sel.ToArray();
    }

    private static SepReader Open(string path, long start, long length)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        fs.Position = start;
        Stream s = length < fs.Length - start ? new RangeStream(fs, length) : fs;
        var text = new StreamReader(s, new UTF8Encoding(true, true), detectEncodingFromByteOrderMarks: false, 1 << 16);
        return Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = false, CultureInfo = CultureInfo.InvariantCulture }).From(text);
    }

    private static string[] ReadHeader(string path)
    {
        try
        {
            using var r = Open(path, 0, long.MaxValue / 2);
            var buf = new StringBuilder();
            int from = 1;   // Sep reports line 2 as the start of a stream's first row: count from the previous row's end
            foreach (var row in r)
            {
                int line = from; from = row.LineNumberToExcl;
                if (IsBlank(row)) continue;
                var names = new string[row.ColCount];
                for (int j = 0; j < names.Length; j++)
                {
                    var (text, err) = Field(row[j].Span, buf);
                    if (err is not null) throw new InputException($"{path}, line {line}: {err}");
                    names[j] = j == 0 ? text.TrimStart('\uFEFF') : text;
                }
                // The same check as the strict reader (Csv.Parse): a header with more ; or tabs than fields is another dialect.
                foreach (var (sep, dialect) in new[] { (';', "semicolon"), ('\t', "tab") })
                    if (names.Length < names.Sum(h => h.Count(ch => ch == sep)) + 1)
                        throw new InputException($"{path}, line {line}: the file looks {dialect}-separated; the compendium reads comma-separated CSV (RFC 4180, dots as decimal marks). Save it with commas as separators.");
                for (int j = 0; j < names.Length; j++)
                {
                    if (names[j].Trim().Length == 0) throw new InputException($"{path}, line {line}: column {j + 1} of the header has no name");
                    for (int k = 0; k < j; k++)
                        if (names[k] == names[j]) throw new InputException($"{path}, line {line}: column name '{names[j]}' appears twice in the header");
                }
                return names;
            }
        }
        catch (DecoderFallbackException) { throw new InputException($"{path}: not valid UTF-8 text"); }
        throw new InputException($"{path}: empty file; expected a header line with column names");
    }

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.Length == 0;

    // A raw field: unquoted as it is, or quoted with "" for a quote; the error text otherwise.
    private static (string Text, string? Error) Field(ReadOnlySpan<char> raw, StringBuilder buf)
    {
        if (raw.IndexOf('"') < 0) return (raw.ToString(), null);
        var (ok, err) = Unquote(raw, buf);
        return ok ? (buf.ToString(), null) : ("", err);
    }

    private static (bool, string?) Unquote(ReadOnlySpan<char> raw, StringBuilder buf)
    {
        buf.Clear();
        if (raw[0] != '"') return (false, "a double quote inside an unquoted field; quote the whole field and write \"\" for a quote");
        for (int i = 1; i < raw.Length; i++)
        {
            if (raw[i] != '"') { buf.Append(raw[i]); continue; }
            if (i + 1 < raw.Length && raw[i + 1] == '"') { buf.Append('"'); i++; continue; }
            return i == raw.Length - 1 ? (true, null) : (false, "text after the closing quote of a field; expected a comma or the end of the line");
        }
        return (false, "a quoted field is never closed");
    }

    // Line ends of each range, read in 1 MB blocks (SIMD count): LF, and CR not followed by LF.
    private static Part[] CountLines(string path, (long Start, long Length)[] ranges)
    {
        var parts = ranges.Select(_ => new Part()).ToArray();
        Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length }, k =>
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            fs.Position = ranges[k].Start;
            var buf = new byte[1 << 20];
            long left = ranges[k].Length, ends = 0;
            byte last = 0;
            while (left > 0)
            {
                int got = fs.Read(buf, 0, (int)Math.Min(buf.Length, left));
                if (got == 0) break;
                var span = buf.AsSpan(0, got);
                ends += span.Count((byte)'\n');
                for (int at = span.IndexOf((byte)'\r'); at >= 0; )
                {
                    bool crlf = at + 1 < got ? span[at + 1] == (byte)'\n' : left > got && PeekIsLf(fs);
                    if (!crlf) ends++;
                    int next = span[(at + 1)..].IndexOf((byte)'\r');
                    at = next < 0 ? -1 : at + 1 + next;
                }
                last = span[got - 1];
                left -= got;
            }
            if (k == ranges.Length - 1 && last != (byte)'\n' && last != (byte)'\r' && ranges[k].Length > 0) ends++;   // no line end after the last record
            parts[k].Bound = ends;
        });
        long offset = 0;
        foreach (var q in parts) { q.Offset = offset; offset += q.Bound; }
        return parts;
    }

    private static bool PeekIsLf(FileStream fs)
    {
        long pos = fs.Position;
        int b = fs.ReadByte();
        fs.Position = pos;
        return b == '\n';
    }

    private static void ParseRange(string path, (long Start, long Length) range, bool first, int width, int[] select,
        bool[] isText, Part part, double[][] numbers, bool? textPass)
    {
        int m = select.Length;
        long offset = part.Offset;
        List<string?>[]? texts = textPass == true ? Enumerable.Range(0, m).Select(_ => new List<string?>()).ToArray() : null;
        var intern = textPass == true ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
        var lookup = intern?.GetAlternateLookup<ReadOnlySpan<char>>();
        var buf = new StringBuilder();
        int rows = 0, from = 1;   // see ReadHeader: a row starts where the previous one ended
        bool headerSkipped = !first;
        using var r = Open(path, range.Start, range.Length);
        foreach (var row in r)
        {
            int line = from; from = row.LineNumberToExcl;
            if (IsBlank(row)) continue;
            if (!headerSkipped) { headerSkipped = true; continue; }
            rows++;
            if (row.ColCount != width)
            {
                part.Error = (line, rows, $"{path}, line \u0001 (row \u0002): {row.ColCount} field(s), but the header has {width} columns");
                break;
            }
            bool quoted = row.Span.IndexOf('"') >= 0;
            if (quoted) part.SawQuote = true;
            long slot = offset + rows - 1;
            if (rows > part.Bound) throw new InvalidOperationException($"{path}: more records than line ends in a byte range");
            for (int c = 0; c < m; c++)
            {
                if (textPass == true ? !isText[c] : isText[c]) continue;
                var col = row[select[c]];
                ReadOnlySpan<char> s = col.Span;
                if (textPass != true && !quoted && s.Length > 0 && col.TryParse<double>(out double fast)) { numbers[c][slot] = fast; continue; }
                if (quoted && s.IndexOf('"') >= 0)
                {
                    var (ok, err) = Unquote(s, buf);
                    if (!ok)
                    {
                        part.Error = (line + LinesBefore(row, select[c]), rows, $"{path}, line \u0001: {err}");
                        goto done;
                    }
                    s = buf.ToString();
                }
                bool missing = s.Length == 0 || s is "NA";
                if (textPass == true)
                {
                    if (missing) { texts![c].Add(null); continue; }
                    if (!lookup!.Value.TryGetValue(s, out var str)) { str = s.ToString(); intern![str] = str; }
                    texts![c].Add(str);
                    continue;
                }
                if (missing) numbers[c][slot] = double.NaN;
                else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) numbers[c][slot] = v;
                else { lock (isText) isText[c] = true; }
            }
        }
    done:
        part.Lines = from - 1; part.Rows = rows; part.Texts = texts;
    }

    private static int LinesBefore(SepReader.Row row, int col)
    {
        int count = 0;
        for (int j = 0; j < col; j++) count += row[j].Span.Count('\n') ;
        return count;
    }

    /// <summary>A read-only view of the next <c>length</c> bytes of a stream.</summary>
    private sealed class RangeStream(Stream inner, long length) : Stream
    {
        private long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_left <= 0) return 0;
            int got = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= got;
            return got;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

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
