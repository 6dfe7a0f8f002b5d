using System.Diagnostics;
using Compendium.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Benchmarks;

/// <summary>Stage timings of one large fit (for tuning; `--profile N`).</summary>
internal static class Profile
{
    public static void Frame(int n)
    {
        var data = BenchData.Large(n, thirdFactor: false);
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            var u = Factor.FromColumn(data, "unit"); var t1 = sw.Elapsed.TotalMilliseconds;
            var y = Factor.FromColumn(data, "year"); var t2 = sw.Elapsed.TotalMilliseconds;
            var keep = new bool[n]; Array.Fill(keep, true);
            Singletons.Drop(keep, [u, y]); var t3 = sw.Elapsed.TotalMilliseconds;
            var f = Formula.Parse("y ~ x1 + x2 + x3 + x4 + x5 | unit + year");
            ModelFrame.Build(f, data, ["unit"], null, true); var t4 = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"unit {t1:F0} ms, year {t2 - t1:F0}, singletons {t3 - t2:F0}, whole frame {t4 - t3:F0}");
        }
    }

    public static void Chol(int l)
    {
        var rng = new Random(1);
        var b = new double[l * l];
        for (int i = 0; i < l; i++) for (int j = 0; j <= i; j++) { double v = rng.NextDouble() * 0.01; b[i * l + j] = v; b[j * l + i] = v; }
        for (int i = 0; i < l; i++) b[i * l + i] += l;
        for (int rep = 0; rep < 3; rep++)
        {
            var a = (double[])b.Clone();
            var sw = Stopwatch.StartNew();
            Demeaner.SemidefiniteCholesky(a, l);
            Console.WriteLine($"cholesky {l}: {sw.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    public static void Small()
    {
        var panel = BenchData.Panel();
        const string f = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++) Feols.Fit(panel, f, Vcov.Cluster("city_code"));
            double fit = sw.Elapsed.TotalMilliseconds / 200;
            var design = Feols.Prepare(panel, f, ["city_code"]);
            var treat = design.SampleRows.Select(r => panel.Numeric("treat")[r]).ToArray();
            sw.Restart();
            for (int i = 0; i < 500; i++) design.WithRegressor("treat", treat).Fit(Vcov.Cluster("city_code"));
            Console.WriteLine($"small fit {fit:F3} ms; 500 refits {sw.Elapsed.TotalMilliseconds:F1} ms");
        }
    }

    public static void Run(int n, bool three = false)
    {
        var data = BenchData.Large(n, thirdFactor: three);
        var f = Formula.Parse("y ~ x1 + x2 + x3 + x4 + x5 | unit + year" + (three ? " + g" : ""));
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew(); var proc = Process.GetCurrentProcess(); double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalMilliseconds; } var c0 = Cpu();
            var frame = ModelFrame.Build(f, data, ["unit"], null, true);
            var t1 = sw.Elapsed.TotalMilliseconds; var c1 = Cpu();
            var dm = new Demeaner(frame.FixedEffects, null, frame.Y.Length);
            var t2 = sw.Elapsed.TotalMilliseconds; var c2 = Cpu();
            var cols = new List<double[]>(frame.X) { frame.Y };
            var outs = cols.Select(c => new double[c.Length]).ToList();
            dm.Demean(cols, outs);
            var t3 = sw.Elapsed.TotalMilliseconds; var c3 = Cpu();
            var sol = OlsSolver.Solve(outs.Take(5).ToArray(), outs[5]);
            var t4 = sw.Elapsed.TotalMilliseconds; var c4 = Cpu();
            var cl = frame.SampleFactor("unit");
            var t5 = sw.Elapsed.TotalMilliseconds;
            var ctx = new VcovContext(frame.Y.Length, sol.Kept.Select(j => outs[j]).ToArray(), sol.Residuals, sol.Bread, frame.FixedEffects, _ => cl);
            Vcov.Cluster("unit").Compute(ctx);
            var t6 = sw.Elapsed.TotalMilliseconds; var c6 = Cpu();
            Console.WriteLine($"frame {t1:F0} ms, demeaner setup {t2 - t1:F0}, demean {t3 - t2:F0}, QR {t4 - t3:F0}, cluster factor {t5 - t4:F0}, vcov {t6 - t5:F0}; total {t6:F0}");
            Console.WriteLine($"  cpu ms: frame {c1 - c0:F0}, setup {c2 - c1:F0}, demean {c3 - c2:F0}, QR {c4 - c3:F0}, vcov {c6 - c4:F0}; total {c6 - c0:F0}");
        }
    }
}
