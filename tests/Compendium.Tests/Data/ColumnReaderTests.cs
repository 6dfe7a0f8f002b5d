using System.Globalization;
using System.Text;
using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Tests.Estimation;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Compendium.Tests.Data;

/// <summary>
/// The typed CSV reader (Sep, parallel byte ranges) and the Parquet reader: the same values and the same
/// errors as the strict <see cref="Csv"/> reader, wherever in a large file the problem is.
/// </summary>
public class ColumnReaderTests
{
    private static readonly DirectoryInfo Dir = Directory.CreateTempSubdirectory("colreader");

    private static string Write(string name, string text)
    {
        var path = Path.Combine(Dir.FullName, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Theory]
    [InlineData("a,b\n1,2,3\n", "t.csv, line 2 (row 1): 3 field(s), but the header has 2 columns")]
    [InlineData("a,b\n1,\"2\n", "t.csv, line 2: a quoted field is never closed")]
    [InlineData("a,b\n1,2\"x\n", "t.csv, line 2: a double quote inside an unquoted field")]
    [InlineData("a,b\n1,\"2\"x\n", "t.csv, line 2: text after the closing quote")]
    [InlineData("a,a\n1,2\n", "t.csv, line 1: column name 'a' appears twice")]
    [InlineData("a,\n1,2\n", "t.csv, line 1: column 2 of the header has no name")]
    [InlineData("", "t.csv: empty file")]
    [InlineData("a,b\n1,2\n\n3,4\n5,6,7\n", "t.csv, line 5 (row 3): 3 field(s)")]
    public void MalformedFilesGiveTheStrictReadersMessages(string text, string expected)
    {
        var path = Write("t.csv", text);
        var e = Assert.Throws<InputException>(() => ColumnTableCsv.Read(path));
        Assert.StartsWith(expected, e.Message.Replace(path, "t.csv"));
        var strict = Assert.Throws<InputException>(() => Csv.Parse(text, "t.csv"));
        Assert.Equal(strict.Message, e.Message.Replace(path, "t.csv"));
    }

    [Fact]
    public void QuotesBlankLinesBomAndMissingValuesAsTheStrictReader()
    {
        const string text = "\uFEFFa,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",NA\n\n3,,\"\"\n";
        var path = Write("q.csv", text);
        var t = ColumnTableCsv.Read(path);
        var u = ColumnTableCsv.FromCsv(Csv.Parse(text, path));
        Assert.Equal(u.ColumnNames.ToArray(), t.ColumnNames.ToArray());
        Assert.Equal(new[] { 1.0, 2, 3 }, t.Numeric("a"));
        Assert.Equal(u.Text("b"), t.Text("b"));
        Assert.Equal(new[] { "say \"hi\"", null, null }, t.Text("c"));
    }

    [Fact]
    public void InvalidUtf8AndMissingFilesAreInputErrors()
    {
        var path = Path.Combine(Dir.FullName, "bad.csv");
        File.WriteAllBytes(path, [(byte)'a', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        Assert.Equal($"{path}: not valid UTF-8 text", Assert.Throws<InputException>(() => ColumnTableCsv.Read(path)).Message);
        Assert.EndsWith("file not found", Assert.Throws<InputException>(() => ColumnTableCsv.Read(Path.Combine(Dir.FullName, "no.csv"))).Message);
        Assert.EndsWith("(no such directory)", Assert.Throws<InputException>(() => DataFile.Read(Path.Combine(Dir.FullName, "no", "x.parquet"))).Message);
    }

    // 300,000 rows (~10 MB): read in 4 byte ranges; a value that is not a number late in the file turns its column to text.
    private static string LargeCsv(string name, Func<int, string?>? special = null)
    {
        var sb = new StringBuilder("id,x,g,y\n");
        for (int i = 0; i < 300_000; i++)
            sb.Append(special?.Invoke(i) ?? string.Create(CultureInfo.InvariantCulture, $"{i},{Math.Sin(i) * 1e3:R},{i % 97:D3},{(i % 11 == 0 ? "" : (i * 0.25).ToString(CultureInfo.InvariantCulture))}\n"));
        return Write(name, sb.ToString());
    }

    [Fact]
    public void ParallelRangesReadTheSameTableAsOneRange()
    {
        var path = LargeCsv("big.csv", i => i == 250_000 ? "250000,1.5,abc,2\n" : null);
        var one = ColumnTableCsv.Read(path, threads: 1);
        var four = ColumnTableCsv.Read(path, threads: 4);
        Assert.Equal(300_000, four.RowCount);
        Assert.Equal(one.Numeric("x"), four.Numeric("x"));
        Assert.Equal(one.Numeric("y"), four.Numeric("y"));
        Assert.True(double.IsNaN(four.Numeric("y")[11]));
        Assert.False(four.IsNumeric("g"));                  // 'abc' at row 250,001: the column is text, read as written
        Assert.Equal("005", four.Text("g")[5]);
        Assert.Equal("abc", four.Text("g")[250_000]);
        Assert.Equal(one.Text("g"), four.Text("g"));
        var sel = ColumnTableCsv.Read(path, ["y", "id"], threads: 4);
        Assert.Equal(["id", "y"], sel.ColumnNames.ToArray());
        Assert.Equal(one.Numeric("y"), sel.Numeric("y"));
        Assert.StartsWith($"{path}: no column 'z'. Columns found: id, x, g, y", Assert.Throws<InputException>(() => ColumnTableCsv.Read(path, ["z"])).Message);
    }

    [Fact]
    public void CrLfLoneCrAndBlankLinesInParallelRanges()
    {
        var sb = new StringBuilder("id,x\r\n");
        for (int i = 0; i < 400_000; i++) sb.Append(i % 1000 == 0 ? "\r\n" : "").Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5}\r\n");
        var path = Write("crlf.csv", sb.ToString());
        var four = ColumnTableCsv.Read(path, threads: 4);
        Assert.Equal(400_000, four.RowCount);
        Assert.Equal(Enumerable.Range(0, 400_000).Select(i => (double)i).ToArray(), four.Numeric("id"));
        Assert.Equal(399_999 * 0.5, four.Numeric("x")[^1]);
        var cr = ColumnTableCsv.Read(Write("cr.csv", "a,b\r1,2\r\r3,4"));
        Assert.Equal(new[] { 1.0, 3 }, cr.Numeric("a"));
        Assert.Equal(0, ColumnTableCsv.Read(Write("header.csv", "a,b\n")).RowCount);
    }

    [Fact]
    public void AnErrorLateInALargeFileNamesItsLineAndRow()
    {
        var path = LargeCsv("late.csv", i => i == 280_000 ? "1,2\n" : null);
        var e = Assert.Throws<InputException>(() => ColumnTableCsv.Read(path, threads: 4));
        Assert.Equal($"{path}, line 280002 (row 280001): 2 field(s), but the header has 4 columns", e.Message);
    }

    [Fact]
    public void AQuotedLineBreakAcrossARangeCutIsReadCorrectly()
    {
        var path = LargeCsv("quoted.csv", i => i % 50_000 == 7 ? $"{i},1,\"multi\nline\",3\n" : null);
        var t = ColumnTableCsv.Read(path, threads: 4);
        Assert.Equal(300_000, t.RowCount);
        Assert.Equal("multi\nline", t.Text("g")[50_007]);
        var e = Assert.Throws<InputException>(() => ColumnTableCsv.Read(LargeCsv("quoted_bad.csv", i => i == 290_000 ? "1,2,\"x\"y,3\n" : i == 10 ? "10,1,\"q\",1\n" : null), threads: 4));
        Assert.Contains("line 290002: text after the closing quote", e.Message);
    }

    [Fact]
    public async Task ParquetReadsTheSameTableAsCsvAndTheCliFitsIt()
    {
        var csv = ReferenceValues.ConventionsPath("cl2_panel.csv");
        var t = ColumnTableCsv.Read(csv);
        var path = Path.Combine(Dir.FullName, "cl2.parquet");
        var fields = new List<DataField>();
        foreach (var c in t.ColumnNames) fields.Add(c == "city" ? new DataField<int>(c) : c == "province" ? new DataField<long?>(c) : new DataField<double>(c));
        fields.Add(new DataField<string>("label"));
        await using (var fs = File.Create(path))
        await using (var w = await ParquetWriter.CreateAsync(new ParquetSchema(fields.ToArray()), fs))
            for (int at = 0; at < t.RowCount; at += 200)   // three row groups
            {
                int m = Math.Min(200, t.RowCount - at);
                using var rg = w.CreateRowGroup();
                foreach (var f in fields)
                {
                    if (f.Name == "label") { await rg.WriteAsync(f, Enumerable.Range(at, m).Select(i => i % 3 == 0 ? null : "L" + (i % 5)).ToArray()); continue; }
                    var v = t.Numeric(f.Name).AsSpan(at, m).ToArray();
                    if (f.Name == "city") await rg.WriteAsync<int>(f, v.Select(x => (int)x).ToArray().AsMemory());
                    else if (f.Name == "province") await rg.WriteAsync<long>(f, v.Select(x => (long?)x).ToArray().AsMemory());
                    else await rg.WriteAsync<double>(f, v.AsMemory());
                }
            }
        var p = DataFile.Read(path);
        foreach (var c in t.ColumnNames) Assert.Equal(t.Numeric(c), p.Numeric(c));
        Assert.Equal([null, "L1", "L2"], p.Text("label").Take(3).ToArray());
        Assert.Equal(["y", "x1"], DataFile.Read(path, ["y", "x1"]).ColumnNames.ToArray());
        Assert.Contains("no column 'nope'", Assert.Throws<InputException>(() => DataFile.Read(path, ["nope"])).Message);

        string Fit(string data)
        {
            var so = new StringWriter();
            Assert.Equal(0, Program.Run(["fit", "--data", data, "--formula", "y ~ x1 + x2 | city + year", "--vcov", "cluster:province", "--json"], so, new StringWriter()));
            return so.ToString();
        }
        Assert.Equal(Fit(csv), Fit(path));
        var bad = Path.Combine(Dir.FullName, "notparquet.parquet");
        File.WriteAllText(bad, "a,b\n1,2\n");
        Assert.StartsWith($"{bad}: not a readable Parquet file", Assert.Throws<InputException>(() => DataFile.Read(bad)).Message);
    }

    [Fact]
    public void FitReadsOnlyTheColumnsItNeedsAndKeepsFormulaErrors()
    {
        var csv = ReferenceValues.ConventionsPath("cl2_panel.csv");
        var t = DataFile.ReadFor(csv, ["y", "x1", "city", "year", "province"]);
        Assert.Equal(["city", "province", "year", "x1", "y"], t.ColumnNames.ToArray());
        var all = DataFile.ReadFor(csv, ["y", "nothere"]);          // an absent name: every column, so the formula error lists them
        Assert.Equal(14, all.ColumnNames.Length);
        var se = new StringWriter();
        Assert.Equal(1, Program.Run(["fit", "--data", csv, "--formula", "y ~ nothere | city"], new StringWriter(), se));
        Assert.Contains("unknown variable 'nothere'", se.ToString());
        Assert.Contains("x_off", se.ToString());
    }
}
