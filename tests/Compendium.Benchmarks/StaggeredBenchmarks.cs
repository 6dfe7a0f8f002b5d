using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Resampling;
using Compendium.Econometrics.Sensitivity;
using Compendium.Econometrics.Staggered;

namespace Compendium.Benchmarks;

/// <summary>
/// The staggered-adoption estimators on data/synthetic/panel.csv (283 cities × 12 years, cohorts 2015 and
/// 2016): the targets are Callaway–Sant'Anna with analytical SEs &lt; 20 ms, with 999 bootstrap draws
/// &lt; 200 ms, and a wild cluster bootstrap of 9,999 draws &lt; 0.5 s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class StaggeredBenchmarks
{
    private ColumnTable _panel = null!;
    private const string Baseline = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";

    [GlobalSetup]
    public void Setup() => _panel = StaggeredBench.LoadPanel();

    [Benchmark(Description = "Callaway–Sant'Anna, analytical SEs (target < 20 ms)")]
    public double CsAnalytical() => CallawaySantAnna.Fit(_panel, "resilience", "city_code", "year", "policy_year",
        new CallawaySantAnnaOptions(Method: DidMethod.Regression)).Overall.Estimate;

    [Benchmark(Description = "Callaway–Sant'Anna, 999 multiplier-bootstrap draws (target < 200 ms)")]
    public double CsBootstrap() => CallawaySantAnna.Fit(_panel, "resilience", "city_code", "year", "policy_year",
        new CallawaySantAnnaOptions(Method: DidMethod.Regression, BootstrapDraws: 999)).Dynamic.CriticalValue;

    [Benchmark(Description = "Callaway–Sant'Anna, doubly robust with 2 covariates")]
    public double CsDr() => CallawaySantAnna.Fit(_panel, "resilience", "city_code", "year", "policy_year",
        new CallawaySantAnnaOptions(Covariates: ["econ_density", "gov_intervention"])).Overall.Estimate;

    [Benchmark(Description = "Sun–Abraham")]
    public double Sa() => SunAbraham.Fit(_panel, "resilience", "city_code", "year", "policy_year").Att.Estimate;

    [Benchmark(Description = "Imputation (BJS) with pre-trend test")]
    public double Bjs() => ImputationDid.Fit(_panel, "resilience", "city_code", "year", "policy_year").Att.Estimate;

    [Benchmark(Description = "Goodman-Bacon decomposition")]
    public double Bacon() => BaconDecomposition.Fit(_panel, "resilience ~ treat | city_code + year").WeightedSum;

    [Benchmark(Description = "Wild cluster bootstrap, 9,999 draws, 283 clusters, p-value (target < 0.5 s)")]
    public double WildP() => WildClusterBootstrap.Test(_panel, Baseline, "treat", "city_code", new WildBootstrapOptions(ConfidenceInterval: false)).PValue;

    [Benchmark(Description = "Wild cluster bootstrap, 9,999 draws, 283 clusters, p-value and interval")]
    public double WildCi() => WildClusterBootstrap.Test(_panel, Baseline, "treat", "city_code").CiLow;
}

/// <summary>HonestDiD on the ehec example (5 pre-, 2 post-periods): one relative-magnitude set and one FLCI.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class HonestBenchmarks
{
    private IEventTimePath _es = null!;

    [GlobalSetup]
    public void Setup() => _es = StaggeredBench.EhecEventStudy();

    [Benchmark(Description = "HonestDiD relative magnitudes, one M̄ (1,000-point grid, C-LF)")]
    public double RelativeMagnitude() => HonestDid.Fit(_es, new HonestDidOptions(Grid: [1.0], Breakdown: false)).Bounds[0].Lower;

    [Benchmark(Description = "HonestDiD smoothness FLCI, one M")]
    public double Smoothness() => HonestDid.Fit(_es, new HonestDidOptions(HonestRestriction.Smoothness, [0.01], Breakdown: false)).Bounds[0].Lower;
}

/// <summary>Data for the staggered benchmarks and a quick stopwatch loop (<c>--staggered</c>).</summary>
public static class StaggeredBench
{
    /// <summary>The repository's root (the folder with Compendium.sln).</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Compendium.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Compendium.sln not found");
    }

    /// <summary>data/synthetic/panel.csv.</summary>
    public static ColumnTable LoadPanel() => ColumnTableCsv.Read(Path.Combine(Root(), "data", "synthetic", "panel.csv"));

    /// <summary>The HonestDiD README's ehec event study.</summary>
    public static EventStudyResult EhecEventStudy()
    {
        var d = ColumnTableCsv.Read(Path.Combine(Root(), "tests", "reference", "did", "ehec.csv"));
        var year = d.Numeric("year"); var yexp = d.Numeric("yexp2");
        d = d.Where(Enumerable.Range(0, d.RowCount).Select(i => year[i] < 2016 && yexp[i] != 2015).ToArray());
        year = d.Numeric("year"); yexp = d.Numeric("yexp2");
        var rel = Enumerable.Range(0, d.RowCount).Select(i => yexp[i] == 2014 ? year[i] - 2014 : double.NaN).ToArray();
        return EventStudy.Fit(d.With("rel", rel), "dins", "rel", ["stfips", "year"], Vcov.Cluster("stfips"));
    }

    /// <summary>Median of <paramref name="reps"/> timed runs of each case, after one warm-up.</summary>
    public static void Quick(int reps = 9)
    {
        var b = new StaggeredBenchmarks(); b.Setup();
        var h = new HonestBenchmarks(); h.Setup();
        var cases = new (string, Func<double>)[]
        {
            ("CS analytical", b.CsAnalytical), ("CS 999 bootstrap", b.CsBootstrap), ("CS dr 2 covariates", b.CsDr), ("SA", b.Sa), ("BJS", b.Bjs),
            ("Bacon", b.Bacon), ("wild 9,999 p", b.WildP), ("wild 9,999 p + CI", b.WildCi), ("honest RM one Mbar", h.RelativeMagnitude), ("honest FLCI one M", h.Smoothness),
        };
        foreach (var (name, f) in cases)
        {
            f();
            var times = new List<double>();
            var cpu = new List<double>();
            var proc = Process.GetCurrentProcess();
            for (int i = 0; i < reps; i++)
            {
                proc.Refresh();
                var c0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                f();
                times.Add(sw.Elapsed.TotalMilliseconds);
                proc.Refresh();
                cpu.Add((proc.TotalProcessorTime - c0).TotalMilliseconds);
            }
            times.Sort(); cpu.Sort();
            // CPU time is what a loaded machine cannot inflate (single-threaded code; GC threads add a little)
            Console.WriteLine($"{name,-22} wall median {times[times.Count / 2],9:F1} ms  min {times[0],9:F1} ms   CPU median {cpu[cpu.Count / 2],9:F1} ms");
        }
    }
}

/// <summary>Where the time of one relative-magnitude set goes (<c>--honest-profile</c>).</summary>
public static class HonestProfile
{
    /// <summary>Time the least-favourable critical values and the grid tests of one combination.</summary>
    public static void Run()
    {
        var panel = StaggeredBench.LoadPanel();
        var cs = CallawaySantAnna.Fit(panel, "resilience", "city_code", "year", "policy_year", new CallawaySantAnnaOptions(Method: DidMethod.Regression, Base: BasePeriod.Universal));
        var (beta, sigma, pre, post) = HonestDid.Extract(cs);
        var S = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(sigma);
        var a = RelativeMagnitudes.CreateA(pre.Length, post.Length, 1, 0, true);
        var sw = Stopwatch.StartNew();
        var l = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(post.Length, i => i == 0 ? 1 : 0);
        var gamma = RelativeMagnitudes.ConstructGamma(l);
        var aGammaInv = a.SubMatrix(0, a.RowCount, pre.Length, post.Length) * gamma.Inverse();
        var xt = aGammaInv.SubMatrix(0, a.RowCount, 1, post.Length - 1);
        var rows = Enumerable.Range(0, a.RowCount).Where(r => Enumerable.Range(pre.Length, a.ColumnCount - pre.Length).Any(c => a[r, c] != 0)).ToList();
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowVectors(rows.Select(r => xt.Row(r)));
        var sy = a * S * a.Transpose();
        var sArp = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows.Count, rows.Count, (i, j) => sy[rows[i], rows[j]]);
        sw.Restart();
        double cv = Arp.LeastFavorableCv(x, sArp, 0.005);
        Console.WriteLine($"LF cv ({rows.Count} moments, {x.ColumnCount} nuisance): {sw.ElapsedMilliseconds} ms, cv = {cv}");
        var sd = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(rows.Count, i => Math.Sqrt(sArp[i, i]));
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(rows.Count, i => 0.001 * i);
        sw.Restart();
        for (int i = 0; i < 1000; i++) Arp.TestDeltaLp(y, x, sd);
        Console.WriteLine($"1000 eta LPs: {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        for (int i = 0; i < 1000; i++) Arp.ConditionalTestLf(y, x, sArp, 0.05, 0.005, cv);
        Console.WriteLine($"1000 conditional tests: {sw.ElapsedMilliseconds} ms");
    }
}
