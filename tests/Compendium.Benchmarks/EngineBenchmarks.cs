using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compendium.Data;
using Compendium.Estimation;
using Compendium.Inference;

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
    [Params(1_000_000, 10_000_000)]
    public int Rows;

    private ColumnTable _two = null!;
    private ColumnTable? _three;

    [GlobalSetup]
    public void Setup()
    {
        _two = BenchData.Large(Rows, thirdFactor: Rows == 1_000_000);
        if (Rows == 1_000_000) _three = _two;
    }

    [Benchmark(Description = "2 FE, 5 regressors, cluster unit")]
    public double TwoFe() => Feols.Fit(_two, "y ~ x1 + x2 + x3 + x4 + x5 | unit + year", Vcov.Cluster("unit"))["x1"].Estimate;

    [Benchmark(Description = "3 FE (+1,000 levels), 5 regressors, cluster unit")]
    public double ThreeFe() => _three is null ? double.NaN :
        Feols.Fit(_three, "y ~ x1 + x2 + x3 + x4 + x5 | unit + year + g", Vcov.Cluster("unit"))["x1"].Estimate;
}
