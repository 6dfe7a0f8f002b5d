using Xunit;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;

namespace Compendium.Tests.Data;

public class CsvTests
{
    [Fact]
    public void ReadsQuotedFieldsEscapesAndEmbeddedLineBreaks()
    {
        var t = Csv.Parse("\uFEFFa,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",\n\n3,,\"\"\n", "t.csv");
        Assert.Equal("a|b|c", string.Join("|", t.Header));
        Assert.Equal(3, t.Rows.Length);
        Assert.Equal("x, y", t.Rows[0]["b"]);
        Assert.Equal("say \"hi\"", t.Rows[0]["c"]);
        Assert.Equal("two\nlines", t.Rows[1]["b"]);
        Assert.Equal("", t.Rows[1]["c"]);
        Assert.Equal((1, 2), (t.Rows[0].Number, t.Rows[0].Line));
        Assert.Equal((2, 3), (t.Rows[1].Number, t.Rows[1].Line));
        Assert.Equal((3, 6), (t.Rows[2].Number, t.Rows[2].Line)); // blank line 5 skipped, line count kept
        Assert.True(double.IsNaN(t.Rows[2].DoubleOrMissing("b")));
    }

    [Fact]
    public void LastRecordWithoutNewlineAndSingleColumnQuotedEmpty()
    {
        var t = Csv.Parse("x\n\"\"\n5", "s.csv");
        Assert.Equal(2, t.Rows.Length);
        Assert.Equal("", t.Rows[0]["x"]);
        Assert.Equal(5, t.Rows[1].Int("x"));
    }

    [Theory]
    [InlineData("a,b\n1,2,3\n", "t.csv, line 2 (row 1): 3 field(s), but the header has 2 columns")]
    [InlineData("a,b\n1,\"2\n", "t.csv, line 2: a quoted field is never closed")]
    [InlineData("a,b\n1,2\"x\n", "t.csv, line 2: a double quote inside an unquoted field")]
    [InlineData("a,b\n1,\"2\"x\n", "t.csv, line 2: text after the closing quote")]
    [InlineData("a,a\n1,2\n", "t.csv, line 1: column name 'a' appears twice")]
    [InlineData("a,\n1,2\n", "t.csv, line 1: column 2 of the header has no name")]
    [InlineData("", "t.csv: empty file")]
    public void MalformedTextNamesTheLine(string text, string expected)
    {
        var e = Assert.Throws<InputException>(() => Csv.Parse(text, "t.csv"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void TypedAccessorsUseInvariantCultureAndNameTheCell()
    {
        var t = Csv.Parse("n,x,d,f\n1,2.5e-1,2016-02-25,1\n1.5,\"2,5\",25/02/2016,2\n", "v.csv");
        var ok = t.Rows[0];
        Assert.Equal(1, ok.Int("n"));
        Assert.Equal(0.25, ok.Double("x"));
        Assert.Equal(new DateOnly(2016, 2, 25), ok.Date("d"));
        Assert.True(ok.Flag("f"));
        var bad = t.Rows[1];
        Assert.Contains("v.csv, row 2 (line 3), column 'n': expected an integer, got '1.5'", Assert.Throws<InputException>(() => bad.Int("n")).Message);
        Assert.Contains("column 'x': expected a number", Assert.Throws<InputException>(() => bad.Double("x")).Message);
        Assert.Contains("column 'd': expected a date", Assert.Throws<InputException>(() => bad.Date("d")).Message);
        Assert.Contains("column 'f': expected 0 or 1", Assert.Throws<InputException>(() => bad.Flag("f")).Message);
        Assert.Contains("missing column 'zz'; the header has: n, x, d, f", Assert.Throws<InputException>(() => bad["zz"]).Message);
        Assert.Throws<InputException>(() => Csv.Parse("a\nNaN\n", "n.csv").Rows[0].Double("a"));
    }

    [Fact]
    public void RequireHeaderChecksOrder()
    {
        var t = Csv.Parse("b,a\n1,2\n", "h.csv");
        t.RequireColumns("a", "b");
        var e = Assert.Throws<InputException>(() => t.RequireHeader("a", "b"));
        Assert.Contains("h.csv: header must be exactly 'a,b'", e.Message);
    }
}
