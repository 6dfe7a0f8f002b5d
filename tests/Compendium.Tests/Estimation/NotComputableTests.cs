using System.Collections.Immutable;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Output;
using Compendium.Tables;
using Xunit;

namespace Compendium.Tests.Estimation;

/// <summary>
/// Degenerate data give honest output: a statistic that cannot be computed says "not computable:
/// REASON", never a number, never significance stars, and no verbal conclusion is drawn from it.
/// </summary>
public sealed class NotComputableTests
{
    /// <summary>A small panel whose outcome is the constant 0.5 (the case that printed 0.5000*** with SE (0.0000)).</summary>
    private static ColumnTable ConstantOutcome()
    {
        int units = 12, years = 6, n = units * years;
        double[] unit = new double[n], year = new double[n], treat = new double[n], x = new double[n], y = new double[n], rel = new double[n];
        for (int i = 0; i < n; i++)
        {
            unit[i] = i / years; year[i] = 2010 + i % years;
            bool treated = unit[i] < 4;
            treat[i] = treated && year[i] >= 2013 ? 1 : 0;
            rel[i] = treated ? year[i] - 2013 : double.NaN;
            x[i] = Math.Sin(i);
            y[i] = 0.5;
        }
        return ColumnTable.FromColumns([new("unit", unit), new("year", year), new("treat", treat), new("x", x), new("y", y), new("rel", rel)], "constant.csv");
    }

    [Fact]
    public void AConstantOutcomeGivesNotComputableAndNoStars()
    {
        var data = ConstantOutcome();
        var models = new[] { Feols.Fit(data, "y ~ treat", Vcov.Cluster("unit")), Feols.Fit(data, "y ~ treat + x | unit + year", Vcov.Cluster("unit")) };
        foreach (var m in models) Assert.Equal("the outcome does not vary", m.InferenceNotComputable);

        var table = RegressionTable.Build("t", "constant", models);
        var text = table.ToMarkdown();
        Assert.DoesNotContain("*", string.Join("", table.Rows.SelectMany(r => r.Cells)));
        Assert.Contains("(not computable)", text);
        Assert.DoesNotContain("(0.0000)", text);
        Assert.Contains("Column 1: standard errors, p-values and stars not computable: the outcome does not vary.", table.Notes);
        Assert.Contains("0.5000", text); // the estimate itself (the mean) is a number

        var single = models[0].ToTable().ToMarkdown();
        Assert.Contains("| (Intercept) | 0.5000 | not computable: the outcome does not vary |", single);
        Assert.DoesNotContain("Infinity", single);
        Assert.Equal("the outcome does not vary", models[1].FTest.NotComputable);
        Assert.DoesNotContain("R²", models[0].ToTable().ToMarkdown()); // undefined, not −∞

        using var json = JsonDocument.Parse(models[0].ToJson());
        Assert.Equal("the outcome does not vary", json.RootElement.GetProperty("not_computable").GetString());
        Assert.Equal("the outcome does not vary", json.RootElement.GetProperty("coefficients")[0].GetProperty("not_computable").GetString());
    }

    [Fact]
    public void APreTrendTestThatCannotBeComputedDrawsNoConclusion()
    {
        var es = EventStudy.Fit(ConstantOutcome(), "y", "rel", ["unit", "year"], Vcov.Cluster("unit"), new EventStudyOptions(-1));
        var w = es.PreTrend!;
        Assert.Equal("the outcome does not vary", w.NotComputable);
        Assert.StartsWith("Wald (F): not computable: the outcome does not vary", w.ToString());
        Assert.DoesNotContain("NaN", w.ToString());
        var sentence = w.Conclusion(0.05, "reject", "no evidence against parallel pre-trends");
        Assert.StartsWith("The test cannot be computed (the outcome does not vary)", sentence);
        Assert.DoesNotContain("no evidence", sentence);
        var table = es.ToTable().ToMarkdown();
        Assert.Contains("Pre-trend test (leads jointly zero): not computable: the outcome does not vary.", table);
        Assert.Contains("not computable: the outcome does not vary", table);
        // The figure gets no interval bars and says so; its JSON has no NaN.
        var fig = Compendium.Figures.CoefficientPlot.EventStudy(es.Path, null, "y").ToJson();
        Assert.Contains("95% CI not computable", fig);
        Assert.DoesNotContain("NaN", fig);
    }

    [Fact]
    public void ComputableTestsStillConclude()
    {
        var t = new TestStatistic("Wald (F)", 3.2, 0.01, 2, 100, "leads are zero");
        Assert.Null(t.NotComputable);
        Assert.Equal("reject", t.Conclusion(0.05, "reject", "keep"));
        Assert.Equal("keep", (t with { PValue = 0.2 }).Conclusion(0.05, "reject", "keep"));
        Assert.NotNull((t with { PValue = double.NaN }).NotComputable);
    }

    [Fact]
    public void CoverageIsNotClaimedForIntervalsThatCannotBeComputed()
    {
        var es = EventStudy.Fit(ConstantOutcome(), "y", "rel", ["unit", "year"], Vcov.Cluster("unit"), new EventStudyOptions(-1));
        var rows = es.Path.Where(p => !p.IsReference).Select(p =>
            new TruthComparisonRow("k = " + p.Label, p.Estimate, p.CiLow, p.CiHigh, "truth", 0.01, es.NotComputable(p))).ToImmutableArray();
        var cmp = new TruthComparison(rows);
        Assert.All(cmp.Rows, r => Assert.Null(r.Covers));
        Assert.True(double.IsNaN(cmp.CoverageShare));
        Assert.StartsWith("No 95% interval can be computed", cmp.CoverageSentence());
        var table = cmp.ToTable("cmp", "cmp");
        Assert.All(table.Rows, r => Assert.Equal("not computable", r.Cells[^1]));
        Assert.DoesNotContain("No", table.Rows.Select(r => r.Cells[^1]));

        var mixed = new TruthComparison([new TruthComparisonRow("a", 1, 0.5, 1.5, "t", 1), new TruthComparisonRow("b", 1, 0.9, 0.95, "t", 1), rows[0]]);
        Assert.Equal("1 of 2 computable 95% intervals cover the truth (not: b); not computable: k = -3 (the outcome does not vary).", mixed.CoverageSentence());
    }

    [Fact]
    public void NoResidualDegreesOfFreedomIsAMessageNotANumber()
    {
        var t = ColumnTable.FromColumns([new("y", [1.0, 2.5, 2.0]), new("x", [0.0, 1, 3]), new("z", [1.0, 0, 2])], "tiny.csv");
        var e = Assert.Throws<Compendium.Econometrics.InputException>(() => Feols.Fit(t, "y ~ x + z"));
        Assert.Contains("no residual degrees of freedom", e.Message);
    }

    [Fact]
    public void AnExactFitIsNotComputable()
    {
        var t = ColumnTable.FromColumns([new("y", [1.0, 3, 5, 7, 9]), new("x", [0.0, 1, 2, 3, 4])], "exact.csv");
        var r = Feols.Fit(t, "y ~ x");
        Assert.Equal("the model fits the outcome exactly (no residual variation)", r.InferenceNotComputable);
        Assert.DoesNotContain("*", RegressionTable.Build("t", "exact", [r]).Rows[0].Cells[1]);
    }
}
