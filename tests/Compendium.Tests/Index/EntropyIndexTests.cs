using System.Collections.Immutable;
using System.Globalization;
using Xunit;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;
using Compendium.Index;

namespace Compendium.Tests.Index;

public class EntropyIndexTests
{
    private static readonly ImmutableArray<IndicatorDefinition> Abc =
    [
        new("a", Dimension.Resistance, Direction.Positive, "u", "A"),
        new("b", Dimension.Resistance, Direction.Negative, "u", "B"),
        new("c", Dimension.Innovation, Direction.Positive, "u", "C"),
    ];

    private static ColumnTable Table(params (string Name, double[] Values)[] cols) =>
        ColumnTable.FromColumns(cols.Select(c => KeyValuePair.Create(c.Name, c.Values)), "test data");

    /// <summary>
    /// 4 rows × 3 indicators, worked by hand with shift 0 (convention 0·ln 0 = 0):
    /// a (+) = 1,2,3,4 → z = 0, 1/3, 2/3, 1; Σz = 2; p = 0, 1/6, 1/3, 1/2; e_a = (1/6 ln 6 + 1/3 ln 3 + 1/2 ln 2)/ln 4 ≈ 0.729574.
    /// b (−) = 10,10,10,20 → z = (20 − x)/10 = 1,1,1,0; p = 1/3,1/3,1/3,0; e_b = ln 3/ln 4 ≈ 0.792481.
    /// c (+) = 0,0,0,5 → z = 0,0,0,1; p = 0,0,0,1; e_c = 0.
    /// d = 1 − e = 0.270426, 0.207519, 1; Σd = 1.477945; w ≈ 0.182974, 0.140410, 0.676615.
    /// Index of row 4 = w_a·1 + w_b·0 + w_c·1; resistance sub-index of row 2 = (w_a/3 + w_b)/(w_a + w_b).
    /// </summary>
    [Fact]
    public void HandExampleWithoutShift()
    {
        var data = Table(("a", [1, 2, 3, 4]), ("b", [10, 10, 10, 20]), ("c", [0, 0, 0, 5]));
        var r = EntropyIndex.Fit(data, Abc, new EntropyOptions(Shift: 0));
        double ln4 = Math.Log(4);
        double ea = (Math.Log(6) / 6 + Math.Log(3) / 3 + Math.Log(2) / 2) / ln4, eb = Math.Log(3) / ln4, ec = 0;
        double dsum = (1 - ea) + (1 - eb) + (1 - ec);
        double wa = (1 - ea) / dsum, wb = (1 - eb) / dsum, wc = (1 - ec) / dsum;
        var w = r.Pooled.Weights;
        Assert.Equal(ea, w[0].Entropy, 12); Assert.Equal(eb, w[1].Entropy, 12); Assert.Equal(ec, w[2].Entropy, 12);
        Assert.Equal(wa, w[0].Weight, 12); Assert.Equal(wb, w[1].Weight, 12); Assert.Equal(wc, w[2].Weight, 12);
        Assert.Equal(0.182974, wa, 6); Assert.Equal(0.140410, wb, 6); Assert.Equal(0.676615, wc, 6);
        Assert.Equal(wb, r.Index[0], 12);                       // z = (0, 1, 0)
        Assert.Equal(wa / 3 + wb, r.Index[1], 12);
        Assert.Equal(wa + wc, r.Index[3], 12);
        Assert.Equal((wa / 3 + wb) / (wa + wb), r.SubIndices[Dimension.Resistance][1], 12);
        Assert.Equal(1.0, r.SubIndices[Dimension.Innovation][3], 12);
        Assert.False(r.SubIndices.ContainsKey(Dimension.Adaptability));
    }

    [Fact]
    public void DefaultShiftMovesWeightsOnlySlightly()
    {
        var data = Table(("a", [1, 2, 3, 4]), ("b", [10, 10, 10, 20]), ("c", [0, 0, 0, 5]));
        var w0 = EntropyIndex.Fit(data, Abc, new EntropyOptions(Shift: 0)).Pooled.Weights;
        var w1 = EntropyIndex.Fit(data, Abc).Pooled.Weights;
        Assert.Equal(EntropyOptions.DefaultShift, 1e-4);
        for (int j = 0; j < 3; j++) Assert.InRange(Math.Abs(w0[j].Weight - w1[j].Weight), 1e-9, 1e-2);
    }

    // Reference: tests/reference/entropy/entropy_reference.R (base R), pooled with shift 1e-4 and 0, and per year.
    private static readonly ImmutableArray<IndicatorDefinition> RefIndicators =
    [
        new("a", Dimension.Resistance, Direction.Positive, "u", "a"),
        new("b", Dimension.Resistance, Direction.Negative, "u", "b"),
        new("c", Dimension.Adaptability, Direction.Positive, "u", "c"),
        new("e", Dimension.Innovation, Direction.Positive, "u", "e"),
    ];

    private static string RefDir => Path.Combine(Path.GetDirectoryName(StudyFacts.DefaultDataDir())!, "tests", "reference", "entropy");

    private static ColumnTable RefData()
    {
        var t = Csv.Read(Path.Combine(RefDir, "entropy_example.csv"));
        return ColumnTable.FromColumns(t.Header.Select(h => KeyValuePair.Create(h, t.Rows.Select(r => r.Double(h)).ToArray())), "entropy_example.csv");
    }

    [Theory]
    [InlineData("pooled", 1e-4)]
    [InlineData("pooled", 0)]
    [InlineData("per_year", 1e-4)]
    public void AgreesWithR(string group, double shift)
    {
        var data = RefData();
        var r = EntropyIndex.Fit(data, RefIndicators, new EntropyOptions(shift, group == "per_year" ? "year" : null));
        var weights = Csv.Read(Path.Combine(RefDir, "entropy_weights.csv"));
        foreach (var row in weights.Rows.Where(x => x.Double("shift") == shift && (group == "pooled" ? x["group"] == "pooled" : x["group"] != "pooled")))
        {
            int? year = row["group"] == "pooled" ? null : int.Parse(row["group"], CultureInfo.InvariantCulture);
            var w = r.Groups.Single(g => g.Year == year).Weights.Single(x => x.Indicator.Name == row["indicator"]);
            AssertRel(row.Double("entropy"), w.Entropy);
            AssertRel(row.Double("weight"), w.Weight);
        }
        var index = Csv.Read(Path.Combine(RefDir, "entropy_index.csv")).Rows.Where(x => x["group"] == group && x.Double("shift") == shift).ToList();
        Assert.Equal(data.RowCount, index.Count);
        foreach (var row in index)
        {
            int i = row.Int("row") - 1;
            AssertRel(row.Double("index"), r.Index[i]);
            AssertRel(row.Double("resistance"), r.SubIndices[Dimension.Resistance][i]);
            AssertRel(row.Double("adaptability"), r.SubIndices[Dimension.Adaptability][i]);
            AssertRel(row.Double("innovation"), r.SubIndices[Dimension.Innovation][i]);
        }
    }

    private static void AssertRel(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1e-12, Math.Abs(expected)) + 1e-15, $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void InvariantsOnTheSyntheticPanel()
    {
        var panel = PanelLoader.Load(Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv")).Table;
        foreach (var opt in new[] { new EntropyOptions(), new EntropyOptions(YearColumn: "year") })
        {
            var r = EntropyIndex.Fit(panel, options: opt);
            foreach (var g in r.Groups)
            {
                Assert.Equal(1.0, g.Weights.Sum(w => w.Weight), 12);
                Assert.All(g.Weights, w => Assert.InRange(w.Weight, 0, 1));
                Assert.All(g.Weights, w => Assert.InRange(w.Entropy, 0, 1));
            }
            Assert.All(r.Index, v => Assert.InRange(v, 0, 1));
            foreach (var sub in r.SubIndices.Values) Assert.All(sub, v => Assert.InRange(v, 0, 1));
            Assert.Equal(opt.YearColumn is null ? 1 : 12, r.Groups.Length);
        }
    }

    /// <summary>With the fitted weights and bounds held fixed, raising a positive indicator never lowers the index; raising a negative one never raises it.</summary>
    [Fact]
    public void MonotoneInEachIndicator()
    {
        var panel = PanelLoader.Load(Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv")).Table;
        var fit = EntropyIndex.Fit(panel);
        var rng = new Random(7);
        foreach (var ind in ResilienceIndicators.All)
        {
            var x = (double[])panel.Numeric(ind.Name).Clone();
            var w = fit.Pooled.Weights.Single(v => v.Indicator == ind);
            for (int i = 0; i < x.Length; i++) x[i] += rng.NextDouble() * (w.Max - w.Min) * 0.1;
            var (raised, _) = fit.Compute(panel.With(ind.Name, x));
            for (int i = 0; i < x.Length; i++)
            {
                if (ind.Direction == Direction.Positive) Assert.True(raised[i] >= fit.Index[i], ind.Name);
                else Assert.True(raised[i] <= fit.Index[i], ind.Name);
            }
            Assert.NotEqual(fit.Index, raised);
        }
    }

    [Fact]
    public void ConstantIndicatorIsAnErrorNamingIt()
    {
        var data = Table(("a", [1, 2, 3, 4]), ("b", [3, 3, 3, 3]), ("c", [0, 0, 0, 5]));
        var e = Assert.Throws<InputException>(() => EntropyIndex.Fit(data, Abc));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("constant", e.Message);
        var perYear = Table(("a", [1, 2, 3, 4]), ("b", [1, 1, 2, 3]), ("c", [0, 1, 0, 5]), ("year", [2020, 2020, 2021, 2021]));
        var e2 = Assert.Throws<InputException>(() => EntropyIndex.Fit(perYear, Abc, new EntropyOptions(YearColumn: "year")));
        Assert.Contains("'b'", e2.Message);
        Assert.Contains("2020", e2.Message);
    }

    [Fact]
    public void MissingValueOrColumnIsAnError()
    {
        var data = Table(("a", [1, double.NaN, 3, 4]), ("b", [1, 2, 3, 4]), ("c", [0, 0, 0, 5]));
        var e = Assert.Throws<InputException>(() => EntropyIndex.Fit(data, Abc));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("row 2", e.Message);
        var noC = Table(("a", [1, 2, 3, 4]), ("b", [1, 2, 3, 4]));
        Assert.Contains("'c'", Assert.Throws<InputException>(() => EntropyIndex.Fit(noC, Abc)).Message);
        Assert.Throws<InputException>(() => EntropyIndex.Fit(data, Abc, new EntropyOptions(Shift: -1)));
    }

    [Fact]
    public void WeightsTableRendersEveryIndicator()
    {
        var panel = PanelLoader.Load(Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv")).Table;
        var t = EntropyIndex.Fit(panel).ToTable();
        Assert.Equal(14, t.Rows.Length);
        Assert.Equal("Indicator,Dimension,Direction,Min,Max,Entropy,Weight", string.Join(",", t.Header));
        Assert.Contains("Trade dependence", t.ToMarkdown());
        Assert.Contains(t.Rows, r => r.Cells[2] == "−");
        var perYear = EntropyIndex.Fit(panel, options: new EntropyOptions(YearColumn: "year")).ToTable();
        Assert.Equal(3 + 12, perYear.Header.Length);
    }

    [Fact]
    public void IndicatorListIsTheStudys()
    {
        Assert.Equal(14, ResilienceIndicators.All.Length);
        Assert.Equal(5, ResilienceIndicators.All.Count(i => i.Dimension == Dimension.Resistance));
        Assert.Equal(5, ResilienceIndicators.All.Count(i => i.Dimension == Dimension.Adaptability));
        Assert.Equal(4, ResilienceIndicators.All.Count(i => i.Dimension == Dimension.Innovation));
        Assert.Equal(["trade_dep"], ResilienceIndicators.All.Where(i => i.Direction == Direction.Negative).Select(i => i.Name));
        Assert.Throws<InputException>(() => ResilienceIndicators.Get("nope"));
    }
}
