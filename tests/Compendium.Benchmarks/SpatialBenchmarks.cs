using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Spatial;

namespace Compendium.Benchmarks;

/// <summary>
/// The spatial Durbin model on the study's synthetic panel (data/synthetic/panel.csv: 283 cities × 12 years,
/// city coordinates): resilience on treat + 5 controls and their spatial lags, city and year effects, with the
/// LeSage–Pace effects and delta-method SEs (the target: &lt; 0.5 s). W is built and its eigenvalues
/// computed once in the setup, as a notebook or the command line does once per weights matrix; building W
/// with its eigenvalues is timed separately.
/// </summary>
/// <remarks>
/// Runs in process (no generated project to build): on a machine shared with other builds, BenchmarkDotNet's
/// build of the boilerplate project exceeds its two-minute timeout.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(InProcessConfig))]
public class SpatialBenchmarks
{
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1)
            .WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private const string Formula = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
    private ColumnTable _panel = null!;
    private SpatialWeights _idw500 = null!, _knn5 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Compendium.sln"))) dir = dir.Parent;
        _panel = ColumnTableCsv.Read(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Compendium.sln not found"), "data", "synthetic", "panel.csv"));
        _idw500 = Weights("inverse-distance,cutoff=500");
        _knn5 = Weights("knn:5");
        _ = _idw500.Eigenvalues; _ = _knn5.Eigenvalues;
    }

    private SpatialWeights Weights(string spec) => SpatialWeights.FromData(_panel, "city_code", "latitude", "longitude", WeightsSpec.Parse(spec));

    [Benchmark(Description = "SDM, Lee-Yu, effects + delta SEs (W: inverse distance, 500 km)")]
    public double SdmLeeYu() => SpatialDurbin.Fit(_panel, Formula, _idw500).Impact("treat").IndirectSe;

    [Benchmark(Description = "SDM, direct + bias correction, effects + delta SEs (same W)")]
    public double SdmDirect() => SpatialDurbin.Fit(_panel, Formula, _idw500, new SpatialDurbinOptions(Method: SpatialFeMethod.Direct)).Impact("treat").IndirectSe;

    [Benchmark(Description = "SDM, Lee-Yu, effects + delta SEs (W: 5 nearest, complex eigenvalues)")]
    public double SdmKnn() => SpatialDurbin.Fit(_panel, Formula, _knn5).Impact("treat").IndirectSe;

    [Benchmark(Description = "SDM, Lee-Yu, effects + 1,000 simulated draws (inverse distance)")]
    public double SdmSimulated() => SpatialDurbin.Fit(_panel, Formula, _idw500, new SpatialDurbinOptions(SimulationDraws: 1000)).Impact("treat").IndirectSimSe;

    [Benchmark(Description = "W from coordinates + eigenvalues (inverse distance, 500 km)")]
    public double WeightsIdw() => Weights("inverse-distance,cutoff=500").Eigenvalues.Re[0];

    [Benchmark(Description = "W from coordinates + eigenvalues (5 nearest, general eigensolver)")]
    public double WeightsKnn() => Weights("knn:5").Eigenvalues.Re[0];

    [Benchmark(Description = "Moran's I by year, 12 years (inverse distance)")]
    public double MoranByYear() => Moran.ByPeriod(_panel, "resilience", "city_code", "year", _idw500)[^1].I;
}
