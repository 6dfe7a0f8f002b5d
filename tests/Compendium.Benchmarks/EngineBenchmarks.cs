using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

namespace Compendium.Benchmarks;

/// <summary>The 3,396-row panel: TWFE with city-clustered SE, an 11-lead/lag event study, 500 placebo re-fits.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PanelBenchmarks
{
    private ColumnTable _panel = null!;
    private DemeanedDesign _design = null!;
    private double[][] _permutations = null!;

    [GlobalSetup]
    public void Setup()
    {
        _panel = BenchData.Panel();
        _design = Feols.Prepare(_panel, "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year", ["city_code"]);
        var treat = _panel.Numeric("treat");
        var rng = new Random(500);
        _permutations = Enumerable.Range(0, 500).Select(_ => _design.SampleRows.Select(r => treat[r]).OrderBy(_ => rng.Next()).ToArray()).ToArray();
    }

    [Benchmark(Description = "TWFE + 5 controls, cluster city (3,396 rows)")]
    public double Twfe() =>
        Feols.Fit(_panel, "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year", Vcov.Cluster("city_code"))["treat"].Estimate;

    [Benchmark(Description = "Event study, 11 leads/lags, cluster city")]
    public double EventStudy11() =>
        EventStudy.Fit(_panel, "resilience", "rel_year", ["city_code", "year"], Vcov.Cluster("city_code"), new EventStudyOptions(BinLow: -4, BinHigh: 7)).Path.Length;

    [Benchmark(Description = "500 placebo re-fits (cached demeaned design), cluster city")]
    public double Placebo500()
    {
        double s = 0;
        var vcov = Vcov.Cluster("city_code");
        foreach (var p in _permutations) s += _design.WithRegressor("treat", p).Fit(vcov)["treat"].Estimate;
        return s;
    }
}

/// <summary>10^6 and 10^7 rows, two fixed effects (N/10 units, 20 years), five regressors; 10^6 rows with a third 1,000-level factor. Cluster by unit (fixest's default with fixed effects).</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LargeBenchmarks
{
    // One case per issue target; a case grid (rows × factors) would time combinations nobody asked for.
    [Params("2 FE, 10^6 rows", "2 FE, 10^7 rows", "3 FE (+1,000 levels), 10^6 rows")]
    public string Case = "";

    private ColumnTable _data = null!;
    private string _formula = "";

    [GlobalSetup]
    public void Setup()
    {
        bool three = Case.StartsWith("3 FE", StringComparison.Ordinal);
        _data = BenchData.Large(Case.Contains("10^7", StringComparison.Ordinal) ? 10_000_000 : 1_000_000, thirdFactor: three);
        _formula = "y ~ x1 + x2 + x3 + x4 + x5 | unit + year" + (three ? " + g" : "");
    }

    [Benchmark(Description = "5 regressors, cluster unit")]
    public double Fit() => Feols.Fit(_data, _formula, Vcov.Cluster("unit"))["x1"].Estimate;
}

/// <summary>
/// Reading the 10^6-row, 8-column <c>BenchData.Large</c> table from disk (written once in the setup, ~120 MB as CSV
/// with round-trip numbers): CSV into typed columns (Sep, parallel ranges), only the 3 columns a model needs, and Parquet.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class IngestBenchmarks
{
    private string _csv = "", _parquet = "";

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchData.Large(1_000_000, thirdFactor: false);
        var dir = Directory.CreateTempSubdirectory("ingest").FullName;
        _csv = Path.Combine(dir, "large.csv");
        _parquet = Path.Combine(dir, "large.parquet");
        BenchData.WriteCsv(data, _csv);
        BenchData.WriteParquet(data, _parquet);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(Path.GetDirectoryName(_csv)!, recursive: true);

    [Benchmark(Description = "CSV, 10^6 rows × 8 columns")]
    public int Csv() => ColumnTableCsv.Read(_csv).RowCount;

    [Benchmark(Description = "CSV, 3 of 8 columns")]
    public int CsvColumns() => ColumnTableCsv.Read(_csv, ["y", "x1", "unit"]).RowCount;

    [Benchmark(Description = "Parquet, 10^6 rows × 8 columns")]
    public int Parquet() => ParquetColumnReader.Read(_parquet).RowCount;
}

/// <summary>
/// The hard worker × firm case of issue 9 (<c>BenchData.HardChain</c>: 10^6 rows, 100,000 workers, 5,000 firms in 50
/// regions on a line, 5–500 movers between adjacent regions): conjugate gradients on the sparse Schur complement.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class HardFeBenchmarks
{
    private ColumnTable _data = null!;

    [GlobalSetup]
    public void Setup() => _data = BenchData.HardChain();

    [Benchmark(Description = "y ~ x1 + x2 | worker + firm, 10^6 rows")]
    public double Fit() => Feols.Fit(_data, "y ~ x1 + x2 | worker + firm")["x1"].Estimate;
}
