using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;
using Compendium.Figures;
using Compendium.Reproduction;
using Compendium.Simulation;
using Compendium.Tables;

namespace Compendium.Tests.Tables;

/// <summary>The small builders the analysis notebooks (02–05) use: truth file, truth comparison, group means, timing recode, event-study plot.</summary>
public sealed class AnalysisBuildersTests
{
    private static readonly string Root = RepoRoot.Find(AppContext.BaseDirectory);
    private static string Synthetic(string file) => Path.Combine(Root, "data", "synthetic", file);

    [Fact]
    public void TruthFileReadsTheSimulatorsTruth()
    {
        var t = TruthFile.TryLoadBeside(Synthetic("panel.csv"))!;
        using var doc = JsonDocument.Parse(File.ReadAllText(Synthetic("truth.json")));
        var root = doc.RootElement;
        Assert.Equal(root.GetProperty("att_index").GetDouble(), t.AttIndex);
        Assert.Equal(root.GetProperty("calibration").GetProperty("twfe_estimand_resilience").GetDouble(), t.TwfeEstimandIndex);
        Assert.Equal(root.GetProperty("att_index_by_event_time").GetArrayLength(), t.AttByEventTime.Length);
        // The overall ATT is the city-year-weighted mean of the event-time ATTs (all treated city-years have k ≥ 0).
        Assert.Equal(t.AttIndex, t.EventTimeEffect(0, int.MaxValue), 6);
        Assert.Equal(3, t.AttSubIndices.Count);
    }

    [Fact]
    public void TruthFileIsAbsentForAnAuthorsPanelAndBadFilesAreInputErrors()
    {
        var dir = Path.Combine(Path.GetTempPath(), "compendium-truth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "panel.csv"), "city_code,year\n");
        Assert.Null(TruthFile.TryLoadBeside(Path.Combine(dir, "panel.csv")));
        File.WriteAllText(Path.Combine(dir, "truth.json"), """{"att_index": 0.1, "att_index_by_event_time": [], "att_sub_indices": []}""");
        var e = Assert.Throws<InputException>(() => TruthFile.TryLoadBeside(Path.Combine(dir, "panel.csv")));
        Assert.Contains("calibration", e.Message);
        File.WriteAllText(Path.Combine(dir, "truth.json"), "{");
        Assert.Throws<InputException>(() => TruthFile.Load(Path.Combine(dir, "truth.json")));
    }

    private static TruthFile Toy() => new("toy", 0.02, 0.019,
        [(0, 0.01, 10), (1, 0.02, 10), (2, 0.03, 5), (3, 0.05, 5)], System.Collections.Immutable.ImmutableDictionary<string, double>.Empty);

    [Fact]
    public void EventTimeProfileWeightsBinsByCityYearsAndLeadsAreZero()
    {
        var t = Toy();
        Assert.Equal((0.03 * 5 + 0.05 * 5) / 10, t.EventTimeEffect(2, int.MaxValue), 15);
        Assert.Equal(0, t.EventTimeEffect(int.MinValue, -2));
        Assert.True(double.IsNaN(t.EventTimeEffect(7, 9)));
        EventTimeEstimate P(int k, string label, bool reference = false, bool bin = false) => new(k, label, 0, 0, 0, 0, reference, bin);
        var profile = t.EventTimeProfile([P(-3, "<=-3", bin: true), P(-1, "-1", reference: true), P(0, "0"), P(1, "1"), P(2, ">=2", bin: true)]);
        Assert.Equal([(-3.0, 0.0), (-1.0, 0.0), (0.0, 0.01), (1.0, 0.02), (2.0, 0.04)], profile.Select(p => (p.EventTime, Math.Round(p.Effect, 12))).ToArray());
    }

    [Fact]
    public void TruthComparisonComputesBiasAndCoverage()
    {
        var rows = new TruthComparison([
            new TruthComparisonRow("a", 0.025, 0.02, 0.03, "true ATT", 0.021),
            new TruthComparisonRow("b", 0.015, 0.012, 0.018, "true ATT", 0.021),
            new TruthComparisonRow("c", 0.001, -0.001, 0.003, "lead", 0)]);
        Assert.Equal(0.004, rows.Rows[0].Bias, 15);
        Assert.True(rows.Rows[0].Covers == true);
        Assert.True(rows.Rows[1].Covers == false);
        Assert.True(double.IsNaN(rows.Rows[2].RelativeBias));
        Assert.Equal(2.0 / 3, rows.CoverageShare, 15);
        var t = rows.ToTable("cmp", "Comparison");
        Assert.Equal(["a", "0.0250", "[0.0200, 0.0300]", "true ATT", "0.0210", "0.0040", "19.0%", "Yes"], t.Rows[0].Cells.ToArray());
        Assert.Equal("No", t.Rows[1].Cells[^1]);
        Assert.Equal("", t.Rows[2].Cells[6]);
    }

    [Fact]
    public void TruthComparisonOfModelsTakesTheCoefficientsInterval()
    {
        var data = ColumnTable.FromColumns([new("y", [1.0, 2.0, 2.5, 4.5, 5.0]), new("x", [0.0, 1.0, 2.0, 3.0, 4.0])]);
        var m = Feols.Fit(data, "y ~ x", Vcov.Hetero);
        var c = TruthComparison.Of([("(1)", m)], "x", "truth", 1.0);
        var row = Assert.Single(c.Rows);
        Assert.Equal((m["x"].Estimate, m["x"].CiLow, m["x"].CiHigh), (row.Estimate, row.CiLow, row.CiHigh));
        Assert.Equal(m["x"].Estimate - 1.0, row.Bias, 15);
        Assert.Throws<InputException>(() => TruthComparison.Of([("(1)", m)], "treat", "truth", 1.0));
    }

    [Fact]
    public void GroupMeansByYearAndByGroup()
    {
        var data = ColumnTable.FromColumns([
            new("y", [1.0, 3.0, 2.0, 6.0, double.NaN, 10.0]),
            new("year", [2012.0, 2012, 2013, 2013, 2012, 2013]),
            new("g", [1.0, 0, 1, 0, 1, 1])]);
        var m = GroupMeans.ByYear(data, "y", "year", "g", g => g == 1 ? "treated" : "control");
        Assert.Equal([2012, 2013], m.Years.ToArray());
        Assert.Equal("treated", m.Groups[0].Group);
        Assert.Equal([1.0, 6.0], m.Groups[0].Means.ToArray()); // NaN skipped; (2 + 10)/2
        Assert.Equal([3.0, 6.0], m.Groups[1].Means.ToArray());
        Assert.Equal(["2012", "1.0000", "3.0000", "-2.0000"], m.ToTable("t", "t").Rows[0].Cells.ToArray());
        var t = GroupMeans.ByGroup(data, [("y", "Outcome")], "g", g => g == 1 ? "treated" : "control", "t2", "t2", 2);
        Assert.Equal(["Outcome", "4.33", "4.50", "-0.17"], t.Rows[0].Cells.ToArray());
        Assert.Equal(["Rows (city-years)", "4", "2", ""], t.Rows[1].Cells.ToArray());
    }

    [Fact]
    public void TimingRecodeReproducesThePanelAndShiftsUnderTheAlternative()
    {
        var panel = PanelLoader.Load(Synthetic("panel.csv")).Table;
        var facts = StudyFacts.Load(Path.Combine(Root, "data"));
        var same = TreatmentTiming.Recode(panel, facts, TimingCoding.Default);
        Assert.Equal(panel.Numeric("treat"), same.Numeric("treat"));
        Assert.Equal(panel.Numeric("policy_year"), same.Numeric("policy_year"));
        Assert.Equal(panel.Numeric("rel_year"), same.Numeric("rel_year"));
        var alt = TreatmentTiming.Recode(panel, facts, TimingCoding.Alternative);
        // One year later for every pilot city: 57 treated city-years fewer, same treated cities.
        Assert.Equal(panel.Numeric("treat").Sum() - 57, alt.Numeric("treat").Sum());
        var pol = panel.Numeric("policy_year");
        Assert.All(Enumerable.Range(0, panel.RowCount), i => Assert.Equal(pol[i] == 0 ? 0 : pol[i] + 1, alt.Numeric("policy_year")[i]));
    }

    [Fact]
    public void EventStudyPlotDrawsIntervalsAndTheTruth()
    {
        EventTimeEstimate P(int k, double b, bool reference = false) => new(k, k.ToString(System.Globalization.CultureInfo.InvariantCulture), b, 0.1, b - 0.2, b + 0.3, reference, false);
        var path = new[] { P(-2, 0.05), P(-1, 0, true), P(0, 1) };
        var fig = JsonNode.Parse(CoefficientPlot.EventStudy(path, [(-2, 0), (-1, 0), (0, 0.9)], "y").ToJson())!;
        var data = fig["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal([-2.0, -1.0, 0.0], data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([0.3, 0.0, 0.3], data[0]!["error_y"]!["array"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 12)));
        Assert.Equal([0.2, 0.0, 0.2], data[0]!["error_y"]!["arrayminus"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 12)));
        Assert.Equal([0.0, 0.0, 0.9], data[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(-0.5, fig["layout"]!["shapes"]![0]!["x0"]!.GetValue<double>());
        // Without a truth (an author's data) only the estimates are drawn.
        Assert.Single(JsonNode.Parse(CoefficientPlot.EventStudy(path, null, "y").ToJson())!["data"]!.AsArray());
    }

    [Fact]
    public void PanelChartsDrawBoxesByYearAndGroupLinesWithMarkedYears()
    {
        var data = ColumnTable.FromColumns([
            new("y", [1.0, 3.0, 2.0, double.NaN]), new("year", [2012.0, 2012, 2013, 2013]), new("g", [1.0, 0, 1, 0])]);
        var box = JsonNode.Parse(PanelCharts.BoxByYear(data, "y", "year", "Index").ToJson())!;
        Assert.Equal("box", box["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(3, box["data"]![0]!["y"]!.AsArray().Count); // the missing value is left out
        var means = GroupMeans.ByYear(data, "y", "year", "g", g => g == 1 ? "a" : "b");
        var lines = JsonNode.Parse(PanelCharts.MeansByYear(means, "Mean", [2013]).ToJson())!;
        Assert.Equal(["a", "b"], lines["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(2013, lines["layout"]!["shapes"]![0]!["x0"]!.GetValue<int>());
        Assert.Equal("Mean", lines["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Null(lines["data"]![1]!["y"]![1]); // group b has no value in 2013: a gap, not NaN
    }
}
