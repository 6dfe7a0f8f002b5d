using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Inference;
using Compendium.Reproduction;
using Compendium.Tests.Notebooks;

namespace Compendium.Tests.Reproduction;

/// <summary>
/// Tests that install a <see cref="ReproductionContext"/> (process-wide) run alone, like the notebook tests,
/// but without their reproduction fixture.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReportContextCollection
{
    public const string Name = "report context";
}

/// <summary>
/// The typed results a section records for the summary of the claims (<c>output/results/SECTION.json</c>)
/// and the catalog the summary reads them through.
/// </summary>
[Collection(ReportContextCollection.Name)]
public sealed class RecordedResultsTests
{
    private static readonly DataSource Synthetic = new(DataKind.Synthetic, "data/synthetic/panel.csv", new string('a', 64));
    private static readonly DataSource Other = new(DataKind.Author, "data/raw/panel.csv", new string('b', 64));

    private static RecordedEstimate Estimate(double b, double? truth = null) =>
        new("DID", b, 0.002, b - 0.004, b + 0.004, 1e-6, 282, 3396, "feols", "y ~ treat | city + year", "cluster:city", truth, "table2_baseline");

    private static IDisposable Context(string outputRoot, bool interactive, DataSource data)
    {
        var ctx = new ReproductionContext(outputRoot, renderImages: false, interactive) { Data = data };
        return ReproductionContext.Use(ctx);
    }

    /// <summary>A notebooks/ folder whose notebooks record the given sections (one code cell each).</summary>
    private static string Notebooks(params (string Name, string Section)[] notebooks)
    {
        var dir = Path.Combine(Temp.Dir(), "notebooks");
        Directory.CreateDirectory(dir);
        foreach (var (name, section) in notebooks)
        {
            var cell = new JsonObject { ["cell_type"] = "code", ["id"] = "c", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(),
                ["source"] = new JsonArray($"var x = 1;\n", $"Report.Record(\"{section}\", \"did\", fit, \"treat\");") };
            File.WriteAllText(Path.Combine(dir, name + ".ipynb"), new JsonObject { ["cells"] = new JsonArray(cell) }.ToJsonString());
        }
        return dir;
    }

    [Fact]
    public void TheFileIsCanonicalAndReadsBackTyped()
    {
        var results = new SortedDictionary<string, RecordedResult>(StringComparer.Ordinal)
        {
            ["did"] = Estimate(0.0192, truth: 0.0214),
            ["pretrend"] = RecordedTest.Of(new TestStatistic("Wald (F)", 4.19, 0.0057, 3, 3087, "leads are zero"), table: "event_study"),
            ["cities"] = new RecordedValue("cities", 283, null),
        };
        var s = new SectionResults("baseline", Synthetic, results.ToImmutableSortedDictionary(StringComparer.Ordinal));
        var (c, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        string json;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            json = s.ToJson();
            Assert.Equal("0.0192 [0.0152, 0.0232], p < 0.0001", results["did"].Summary);
            Assert.Equal("Wald (F) = 4.190 (df 3, 3087), p = 0.0057", results["pretrend"].Summary);
        }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (c, ui); }
        Assert.Equal(json, s.ToJson());
        Assert.Contains("\"estimate\": 0.0192,", json);
        Assert.True(json.IndexOf("\"cities\"", StringComparison.Ordinal) < json.IndexOf("\"did\"", StringComparison.Ordinal), "keys sorted");
        Assert.DoesNotContain("\r", json);

        var path = Path.Combine(Temp.Dir(), "baseline.json");
        File.WriteAllText(path, json);
        var back = SectionResults.Read(path, "baseline.json");
        Assert.Equal("baseline", back.Section);
        Assert.Equal(Synthetic, back.Data);
        Assert.Equal(results["did"], back.Results["did"]);
        Assert.Equal(results["pretrend"], back.Results["pretrend"]);
        Assert.Equal(results["cities"], back.Results["cities"]);
    }

    [Fact]
    public void AMalformedFileIsAnInputErrorNamingFileAndField()
    {
        var path = Path.Combine(Temp.Dir(), "x.json");
        File.WriteAllText(path, """{"format": 1, "section": "baseline", "data": {"kind": "synthetic", "path": "p", "sha256": "s"}, "results": {"did": {"kind": "estimate", "estimate": "big"}}}""");
        var e = Assert.Throws<InputException>(() => SectionResults.Read(path, "output/results/baseline.json"));
        Assert.Contains("output/results/baseline.json: result 'did' field 'estimate' is not a number", e.Message);
    }

    [Fact]
    public void AHeadlessRunWritesExactlyWhatItRecords()
    {
        var root = Temp.Dir();
        var file = SectionResults.PathOf(root, "baseline");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, new SectionResults("baseline", Synthetic, new SortedDictionary<string, RecordedResult> { ["stale"] = new RecordedValue("old", 1, null) }
            .ToImmutableSortedDictionary(StringComparer.Ordinal)).ToJson());
        using (Context(root, interactive: false, Synthetic))
        {
            Report.Record("baseline", "did", Estimate(0.02));
            Report.Record("baseline", "cities", 283, "cities");
            var e = Assert.Throws<InvalidOperationException>(() => Report.Record("baseline", "did", Estimate(0.03)));
            Assert.Contains("'baseline/did' recorded twice", e.Message);
            Assert.Throws<InputException>(() => Report.Record("Baseline", "did", Estimate(0.03)));
            Assert.Single(ReproductionContext.Current.Artifacts, a => a.Kind == "results" && a.Id == "baseline");
        }
        var read = SectionResults.Read(file, file);
        Assert.Equal(["cities", "did"], read.Results.Keys);
        Assert.Equal(0.02, ((RecordedEstimate)read.Results["did"]).Estimate);
    }

    [Fact]
    public void AnInteractiveRerunReplacesItsOwnRecordsAndKeepsTheOthers()
    {
        var root = Temp.Dir();
        var file = SectionResults.PathOf(root, "baseline");
        using (Context(root, interactive: false, Synthetic))
        {
            Report.Record("baseline", "did", Estimate(0.02));
            Report.Record("baseline", "cities", 283, "cities");
        }
        using (Context(root, interactive: true, Synthetic)) // a new kernel session: one cell rerun, twice
        {
            Report.Record("baseline", "did", Estimate(0.03));
            Report.Record("baseline", "did", Estimate(0.04));
        }
        var read = SectionResults.Read(file, file);
        Assert.Equal(["cities", "did"], read.Results.Keys);
        Assert.Equal(0.04, ((RecordedEstimate)read.Results["did"]).Estimate);

        using (Context(root, interactive: true, Other)) // other data: the earlier records do not carry over
            Report.Record("baseline", "did", Estimate(0.05));
        read = SectionResults.Read(file, file);
        Assert.Equal(["did"], read.Results.Keys);
        Assert.Equal(Other.Sha256, read.Data.Sha256);
    }

    [Fact]
    public void TheCatalogFindsResultsAndSaysWhatIsPendingOrNotRecorded()
    {
        var root = Temp.Dir();
        var notebooks = Notebooks(("04_baseline_did", "baseline"));
        using (Context(root, interactive: false, Synthetic))
        {
            Report.Record("baseline", "did", Estimate(0.02, truth: 0.021));
            Report.Record("baseline", "lag_0", Estimate(0.01));
            Report.Record("baseline", "lag_1", Estimate(0.015));
        }
        var catalog = ResultsCatalog.Load(notebooks, root, Synthetic);
        var did = catalog.Find<RecordedEstimate>("baseline", "did");
        Assert.Equal(EvidenceStatus.Found, did.Status);
        Assert.Equal("04_baseline_did (table2_baseline)", did.Source);
        Assert.True(did.Result!.Covers(0.021));
        Assert.Equal(["lag_0", "lag_1"], catalog.Keys("baseline", "lag_"));

        var absent = catalog.Find<RecordedEstimate>("baseline", "psm_did");
        Assert.Equal(EvidenceStatus.NotRecorded, absent.Status);
        Assert.Equal("04_baseline_did did not record 'psm_did'", absent.Missing);

        var pending = catalog.Find<RecordedEstimate>("spatial", "indirect");
        Assert.Equal(EvidenceStatus.Pending, pending.Status);
        Assert.Equal("section 'spatial' has not landed (no notebook records it yet)", pending.Missing);
        Assert.Empty(catalog.Keys("spatial"));

        var wrongKind = Assert.Throws<InputException>(() => catalog.Find<RecordedTest>("baseline", "did"));
        Assert.Contains("04_baseline_did recorded 'baseline/did' as an estimate; the summary expects a test", wrongKind.Message);
    }

    [Fact]
    public void ASectionThatDidNotRunStopsTheSummaryWithOneMessageNamingIt()
    {
        var root = Temp.Dir();
        var notebooks = Notebooks(("04_baseline_did", "baseline"), ("05_event_study", "event_study"));
        using (Context(root, interactive: false, Synthetic))
            Report.Record("baseline", "did", Estimate(0.02));
        var e = Assert.Throws<InputException>(() => ResultsCatalog.Load(notebooks, root, Synthetic));
        Assert.Equal("section 'event_study' did not run: notebooks/05_event_study.ipynb records it, but output/results/event_study.json is absent. " +
                     "The summary reads every section's results: run the whole reproduction (`compendium reproduce`), or those notebooks first (`compendium reproduce --only 05_event_study`).",
            e.Message);
    }

    [Fact]
    public void ResultsFromOtherDataStopTheSummary()
    {
        var root = Temp.Dir();
        var notebooks = Notebooks(("04_baseline_did", "baseline"));
        using (Context(root, interactive: false, Other))
            Report.Record("baseline", "did", Estimate(0.02));
        var e = Assert.Throws<InputException>(() => ResultsCatalog.Load(notebooks, root, Synthetic));
        Assert.Contains("section 'baseline' (output/results/baseline.json) was computed on data/raw/panel.csv (sha256 bbbbbbbbbbbb), this summary reads data/synthetic/panel.csv (sha256 aaaaaaaaaaaa)", e.Message);
    }

    [Fact]
    public void TwoNotebooksMayNotRecordOneSection()
    {
        var notebooks = Notebooks(("06_robustness", "robustness"), ("07_iv", "robustness"));
        var e = Assert.Throws<InputException>(() => ResultsCatalog.RecordingNotebooks(notebooks));
        Assert.Contains("section 'robustness' is recorded by two notebooks, 06_robustness and 07_iv", e.Message);
    }

    [Fact]
    public void TheCompendiumsNotebooksRecordTheSectionsTheSummaryReads()
    {
        var root = RepoRoot.Find(AppContext.BaseDirectory);
        var map = ResultsCatalog.RecordingNotebooks(Path.Combine(root, "notebooks"));
        Assert.Equal("04_baseline_did", map["baseline"]);
        Assert.Equal("05_event_study", map["event_study"]);
        Assert.All(map.Values, nb => Assert.True(string.CompareOrdinal(nb, "14_claims") < 0, $"{nb} records a section but runs after the summary 14_claims"));
    }
}
