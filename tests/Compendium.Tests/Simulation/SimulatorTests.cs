using System.Text.Json;
using Xunit;
using Compendium.Cli;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;
using Compendium.Index;
using Compendium.Simulation;

namespace Compendium.Tests.Simulation;

public class SimulatorTests
{
    private static readonly Lazy<StudyFacts> FactsLazy = new(() => StudyFacts.Load(StudyFacts.DefaultDataDir()));
    private static StudyFacts Facts => FactsLazy.Value;
    private static readonly Lazy<SimulatedPanel> DefaultRun = new(() => PanelSimulator.Simulate(Facts));
    private static string SyntheticDir => Path.Combine(StudyFacts.DefaultDataDir(), "synthetic");

    private static (string Panel, string Po, string Truth) Bytes(SimulatedPanel s) =>
        (SimulatedPanel.ToCsv(s.Panel), SimulatedPanel.ToCsv(s.PotentialOutcomes), s.Truth.ToJson());

    [Fact]
    public void SameSeedSameBytesDifferentSeedDifferent()
    {
        var a = Bytes(DefaultRun.Value);
        var b = Bytes(PanelSimulator.Simulate(Facts, new SimulationSettings()));
        Assert.Equal(a, b);
        var c = Bytes(PanelSimulator.Simulate(Facts, new SimulationSettings(Seed: 1)));
        Assert.NotEqual(a.Panel, c.Panel);
        Assert.NotEqual(a.Po, c.Po);
        Assert.NotEqual(a.Truth, c.Truth);
    }

    [Fact]
    public void CommittedFilesAreTheDefaultSeedsOutput()
    {
        var (panel, po, truth) = Bytes(DefaultRun.Value);
        Assert.True(panel == File.ReadAllText(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile)), "panel.csv differs from a fresh run: rerun `compendium simulate`");
        Assert.True(po == File.ReadAllText(Path.Combine(SyntheticDir, SimulatedPanel.PotentialOutcomesFile)), "potential_outcomes.csv differs from a fresh run");
        Assert.True(truth == File.ReadAllText(Path.Combine(SyntheticDir, SimulatedPanel.TruthFile)), "truth.json differs from a fresh run");
    }

    [Fact]
    public void PanelHasTheStudySchemaAndPassesValidation()
    {
        var p = PanelLoader.Load(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile), Facts.Cities.Select(c => c.Code).ToHashSet());
        Assert.Equal(string.Join(",", PanelSchema.Columns), string.Join(",", p.Table.ColumnNames));
        Assert.Equal(3396, p.Summary.Rows);
        Assert.Equal(283, p.Summary.Cities);
        Assert.Equal(57, p.Summary.TreatedCities);
        Assert.Equal(3396, p.ToFrame().RowCount);
        var codes = p.Table.Numeric("city_code"); var years = p.Table.Numeric("year");
        for (int r = 1; r < codes.Length; r++) Assert.True(codes[r] > codes[r - 1] || (codes[r] == codes[r - 1] && years[r] == years[r - 1] + 1));
    }

    /// <summary>Recompute the stored truth from the two committed CSV files alone.</summary>
    [Fact]
    public void StoredTruthMatchesPanelAndPotentialOutcomes()
    {
        var panel = Csv.Read(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile)).Rows;
        var po = Csv.Read(Path.Combine(SyntheticDir, SimulatedPanel.PotentialOutcomesFile)).Rows;
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(SyntheticDir, SimulatedPanel.TruthFile)));
        var root = truth.RootElement;
        Assert.Equal(panel.Length, po.Length);
        var effects = new List<(int K, string Size, double Effect)>();
        for (int i = 0; i < panel.Length; i++)
        {
            Assert.Equal(panel[i]["city_code"], po[i]["city_code"]);
            Assert.Equal(panel[i]["year"], po[i]["year"]);
            if (panel[i].Int("treat") == 1)
                effects.Add((panel[i].Int("rel_year"), panel[i]["size_class"], panel[i].Double("resilience") - po[i].Double("resilience_y0")));
        }
        Assert.Equal(root.GetProperty("treated_city_years").GetInt32(), effects.Count);
        Assert.Equal(root.GetProperty("att_index").GetDouble(), effects.Average(e => e.Effect), 6);
        foreach (var cell in root.GetProperty("att_index_by_event_time").EnumerateArray())
        {
            var set = effects.Where(e => e.K == int.Parse(cell.GetProperty("event_time").GetString()!)).ToList();
            Assert.Equal(cell.GetProperty("city_years").GetInt32(), set.Count);
            Assert.Equal(cell.GetProperty("effect").GetDouble(), set.Average(e => e.Effect), 6);
        }
        foreach (var cell in root.GetProperty("att_index_by_size_class").EnumerateArray())
            Assert.Equal(cell.GetProperty("effect").GetDouble(), effects.Where(e => e.Size == cell.GetProperty("size_class").GetString()).Average(e => e.Effect), 6);
        Assert.Equal(20260101, root.GetProperty("settings").GetProperty("seed").GetInt32());
    }

    /// <summary>The index column is the entropy index of the written indicators, and the Y(0) index uses the same weights and bounds.</summary>
    [Fact]
    public void IndexIsReproducibleFromTheWrittenIndicators()
    {
        var panel = PanelLoader.Load(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile)).Table;
        var fit = EntropyIndex.Fit(panel);
        var written = panel.Numeric("resilience");
        for (int i = 0; i < written.Length; i++) Assert.InRange(Math.Abs(written[i] - fit.Index[i]), 0, 1e-6);
        var poFile = Csv.Read(Path.Combine(SyntheticDir, SimulatedPanel.PotentialOutcomesFile));
        var y0 = ColumnTable.FromColumns(ResilienceIndicators.All.Select(d => KeyValuePair.Create(d.Name, poFile.Rows.Select(r => r.Double(d.Name + "_y0")).ToArray())));
        var (index0, _) = fit.Compute(y0);
        var written0 = poFile.Rows.Select(r => r.Double("resilience_y0")).ToArray();
        for (int i = 0; i < written0.Length; i++) Assert.InRange(Math.Abs(written0[i] - index0[i]), 0, 1e-6);
    }

    // An independent two-way within transform (balanced panel: x − x̄_city − x̄_year + x̄), for the calibration checks.
    private static double[] Within(double[] x, double[] city, double[] year)
    {
        var cm = x.Select((v, i) => (v, c: city[i])).GroupBy(p => p.c).ToDictionary(g => g.Key, g => g.Average(p => p.v));
        var ym = x.Select((v, i) => (v, y: year[i])).GroupBy(p => p.y).ToDictionary(g => g.Key, g => g.Average(p => p.v));
        double all = x.Average();
        return x.Select((v, i) => v - cm[city[i]] - ym[year[i]] + all).ToArray();
    }

    private static double Twfe(ColumnTable t, double[] y, string x = "treat")
    {
        var c = t.Numeric("city_code"); var yr = t.Numeric("year");
        var yd = Within(y, c, yr); var xd = Within(t.Numeric(x), c, yr);
        return yd.Zip(xd, (a, b) => a * b).Sum() / xd.Sum(v => v * v);
    }

    [Fact]
    public void CalibrationHitsTheStudysMechanismEstimates()
    {
        var t = PanelLoader.Load(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile)).Table;
        Assert.Equal(0.011, Twfe(t, t.Numeric("talent_share")), 5);
        Assert.Equal(0.204, Twfe(t, t.Numeric("ln_new_firms")), 4);
        var truth = DefaultRun.Value.Truth;
        Assert.InRange(truth.Calibration.IndexMean, 0.1, 0.3);
        Assert.InRange(truth.AttIndex, 0.01, 0.03);
        Assert.Equal(truth.Calibration.IndexDid, Twfe(t, t.Numeric("resilience")), 5);
    }

    [Fact]
    public void UntreatedOutcomeHasParallelTrendsAndTheInstrumentIsExcludable()
    {
        var t = PanelLoader.Load(Path.Combine(SyntheticDir, SimulatedPanel.PanelFile)).Table;
        var po = DefaultRun.Value.PotentialOutcomes;
        double att = DefaultRun.Value.Truth.AttIndex;
        // DID on the untreated potential index: only sampling noise (and the spillover-free Y(0) has no policy effect).
        Assert.InRange(Math.Abs(Twfe(t, po.Numeric("resilience_y0"))), 0, 0.25 * att);
        // Reduced form of Y(0) on the instrument ≈ 0 relative to the reduced form of Y.
        double rf0 = Twfe(t, po.Numeric("resilience_y0"), "iv_tel_internet"), rf1 = Twfe(t, t.Numeric("resilience"), "iv_tel_internet");
        Assert.InRange(Math.Abs(rf0), 0, 0.2 * Math.Abs(rf1));
        var c = DefaultRun.Value.Truth.Calibration;
        Assert.InRange(c.FirstStageKleibergenPaapF, 10, double.PositiveInfinity);
        // With one instrument the Cragg–Donald F is R²p/(1 − R²p)·(N − L − sdof), sdof = 1 (city FE nested in the
        // cluster) + 11 (years), L = 1: the engine's convention, not the N − cities − years of a plain FE regression.
        Assert.Equal(1, c.FirstStageCraggDonaldF / (c.FirstStagePartialR2 / (1 - c.FirstStagePartialR2) * (t.RowCount - 1 - 12)), 5);
        Assert.InRange(c.FirstStagePartialR2, 0.05, 0.6);
        Assert.Equal(c.FirstStageSlope, Twfe(t, t.Numeric("treat"), "iv_tel_internet"), 6);
        // Estimate = noise-free estimand + the same estimator applied to the untreated outcome (linearity).
        Assert.Equal(c.IndexDid, c.TwfeEstimandIndex + Twfe(t, po.Numeric("resilience_y0")), 5);
        Assert.Equal(c.IvIndex, c.IvEstimandIndex + c.IvIndexUntreated, 5);
    }

    [Fact]
    public void EffectsBuildUpAreLargerInBigCitiesAndSpillOver()
    {
        var truth = DefaultRun.Value.Truth;
        double K(string k) => truth.AttByEventTime.Single(e => e.Label == k).Effect;
        Assert.True(K("0") < K("1") && K("1") < K("2") && K("2") < K("4"));
        double S(string s) => truth.AttBySizeClass.Single(e => e.Label == s).Effect;
        Assert.True(S("megacity") > S("large_2") && S("super_large") > S("medium") && S("medium") > S("small"));
        Assert.InRange(truth.SpilloverNeighbours.Effect, 1e-4, truth.AttIndex);
        Assert.True(truth.SpilloverNeighbours.Effect > truth.SpilloverAllUntreated.Effect);
        // No effect before treatment.
        var p = DefaultRun.Value.Panel; var po = DefaultRun.Value.PotentialOutcomes;
        var rel = p.Numeric("rel_year"); var y = p.Numeric("resilience"); var y0 = po.Numeric("resilience_y0");
        for (int i = 0; i < rel.Length; i++) if (rel[i] < 0 && p.Numeric("year")[i] < 2015) Assert.Equal(y0[i], y[i]);
    }

    [Fact]
    public void CommandLineWritesFilesAndPrintsTheTruth()
    {
        var dir = Path.Combine(Path.GetTempPath(), "compendium-sim-" + Environment.ProcessId);
        try
        {
            var o = new StringWriter(); var e = new StringWriter();
            Assert.Equal(0, Program.Run(["simulate", "--seed", "5", "--out", dir, "--timing", "alternative"], o, e));
            Assert.Contains("true ATT on the index", o.ToString());
            Assert.Contains("seed 5, timing alternative", o.ToString());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            var t = Csv.Read(Path.Combine(dir, SimulatedPanel.PanelFile));
            Assert.Equal(3396, t.Rows.Length);
            Assert.Equal(["0", "2016", "2017"], t.Rows.Select(r => r["policy_year"]).Distinct().Order());
            Assert.Equal(2, Program.Run(["simulate", "--timing", "sometimes", "--out", dir], new StringWriter(), e));
            Assert.Contains("sometimes", e.ToString());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFilesAndNoTemporaries()
    {
        var dir = Path.Combine(Path.GetTempPath(), "compendium-sim-fail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, SimulatedPanel.PanelFile), "old");
            Directory.CreateDirectory(Path.Combine(dir, SimulatedPanel.TruthFile + ".tmp")); // the last temporary file cannot be created
            var e = new StringWriter();
            Assert.Equal(1, Program.Run(["simulate", "--out", dir, "--force"], new StringWriter(), e));
            Assert.Contains("cannot write the simulated panel", e.ToString());
            Assert.Equal("old", File.ReadAllText(Path.Combine(dir, SimulatedPanel.PanelFile)));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            Assert.False(File.Exists(Path.Combine(dir, SimulatedPanel.PotentialOutcomesFile)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
