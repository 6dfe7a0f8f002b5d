using Xunit;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;
using Compendium.Tables;

namespace Compendium.Tests;

public class DescriptivesTests
{
    private static readonly ColumnTable Data = ColumnTable.FromColumns([
        new("x", [1.0, 2.0, 3.0, 4.0, double.NaN]),
        new("y", [2.0, 4.0, 5.0, 4.0, 5.0]),
    ]);

    [Fact]
    public void SummaryMatchesHandComputation()
    {
        var d = Descriptives.Of(Data, "x", "y");
        var x = d.Variables[0];
        Assert.Equal(4, x.N);
        Assert.Equal(1, x.Missing);
        Assert.Equal(2.5, x.Mean, 15);
        // Σ(x−2.5)² = 5, /3 → sd = √(5/3)
        Assert.Equal(Math.Sqrt(5.0 / 3.0), x.Sd, 15);
        Assert.Equal((1.0, 4.0), (x.Min, x.Max));
        var t = d.ToTable("t1", "Descriptive statistics");
        Assert.Equal(["x", "4", "2.500", "1.291", "1.000", "4.000"], t.Rows[0].Cells.ToArray());
        Assert.Contains(t.Notes, n => n.Contains("x: 1"));
    }

    [Fact]
    public void CorrelationIsPairwiseComplete()
    {
        // Over the four complete rows: x = 1..4, y = 2,4,5,4 (ȳ = 3.75): Sxy = 3.5, Sxx = 5, Syy = 4.75
        double r = Descriptives.Pearson(Data.Numeric("x"), Data.Numeric("y"));
        Assert.Equal(3.5 / Math.Sqrt(5 * 4.75), r, 14);
        var t = Descriptives.Correlations(Data, [("x", "X"), ("y", "Y")], "c", "Correlations");
        Assert.Equal(Format.Number(r, 3), t.Rows[1].Cells[1]);
        Assert.Equal("", t.Rows[0].Cells[2]);
    }

    [Theory]
    [InlineData(-0.0004, 3, "0.000")]
    [InlineData(-0.0006, 3, "-0.001")]
    [InlineData(1234.5, 1, "1234.5")]
    [InlineData(double.NaN, 2, "")]
    public void FormatsInvariantlyWithoutNegativeZero(double v, int digits, string expected) =>
        Assert.Equal(expected, Format.Number(v, digits));
}
