using System.Diagnostics;
using Compendium.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Data;

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

/// <summary>Stage timings of the heterogeneity permutation test (`--het`).</summary>
internal static class HetProfile
{
    public static void Run()
    {
        var panel = DataFile.Read(Path.Combine(Compendium.Data.RepoRoot.TryFind(Environment.CurrentDirectory)!, "data/synthetic/panel.csv"));
        const string f = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
        var parsed = Formula.Parse(f);
        var keep = new bool[panel.RowCount];
        var codes = panel.Numeric("city_code");
        for (int i = 0; i < keep.Length; i++) keep[i] = codes[i] % 3 == 0;
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++) panel.Where(keep);
            double where = sw.Elapsed.TotalMilliseconds / 200;
            var sub = panel.Where(keep);
            sw.Restart();
            for (int i = 0; i < 200; i++) ModelFrame.Build(parsed, sub, ["city_code"], null, true);
            double frame = sw.Elapsed.TotalMilliseconds / 200;
            sw.Restart();
            for (int i = 0; i < 200; i++) Feols.Prepare(sub, parsed, ["city_code"]);
            double prep = sw.Elapsed.TotalMilliseconds / 200;
            var d = Feols.Prepare(sub, parsed, ["city_code"]);
            sw.Restart();
            for (int i = 0; i < 200; i++) d.Fit(Vcov.Cluster("city_code"));
            double fit = sw.Elapsed.TotalMilliseconds / 200;
            Console.WriteLine($"subset {sub.RowCount} rows: where {where:F3} ms, frame {frame:F3}, prepare {prep:F3}, fit(vcov) {fit:F3}");
        }
        foreach (var fe in new[] { "city_code + year", "city_code + province^year" })
        {
            var ff = Formula.Parse("resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | " + fe);
            foreach (var iterative in new[] { false, true })
            {
                var opt = new FeolsOptions(IterativeDemeaning: iterative);
                for (int i = 0; i < 50; i++) Feols.Fit(panel, ff, Vcov.Cluster("city_code"), opt);
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < 200; i++) Feols.Fit(panel, ff, Vcov.Cluster("city_code"), opt);
                Console.WriteLine($"{fe}, iterative {iterative}: {sw.Elapsed.TotalMilliseconds / 200:F3} ms per fit; treat {Feols.Fit(panel, ff, Vcov.Cluster("city_code"), opt)["treat"].Estimate:R}");
            }
        }
        {
            var fr = ModelFrame.Build(Formula.Parse("resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + province^year"), panel, ["city_code"], null, true);
            var cols = fr.X.Append(fr.Y).ToArray();
            var outs = cols.Select(c => new double[c.Length]).ToArray();
            for (int rep = 0; rep < 3; rep++)
            {
                var sw = Stopwatch.StartNew();
                Demeaner dm = null!;
                for (int i = 0; i < 100; i++) dm = new Demeaner(fr.FixedEffects, null, fr.Y.Length);
                double ctor = sw.Elapsed.TotalMilliseconds / 100;
                sw.Restart();
                for (int i = 0; i < 100; i++) dm.Demean(cols, outs);
                Console.WriteLine($"province^year direct: levels {string.Join("/", dm.Factors.Select(f => f.Levels))}, factorisation {ctor:F3} ms, demean {cols.Length} columns {sw.Elapsed.TotalMilliseconds / 100:F3} ms ({dm.Method})");
            }
        }
        if (Environment.GetEnvironmentVariable("HET_SPIN") is not null)
        {
            var ff = Formula.Parse("resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + province^year");
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < 12) Feols.Fit(panel, ff, Vcov.Cluster("city_code"));
        }
        var units = UnitIndex.Of(panel, "city_code");
        var ip = UnitValues.BeforeTreatment(panel, "ip_protection", units, "year", "treat");
        var cap = UnitValues.BeforeTreatment(panel, "policy_capacity", units, "year", "treat");
        var splits = new[]
        {
            UnitGroups.FromColumn(panel, "size_class", units).Merge("size3", ("mega_super", ["megacity", "super_large"]), ("large", ["large_1", "large_2"]), ("medium_small", ["medium", "small"])),
            UnitGroups.AboveMedian(ip) with { Name = "ip_median" }, UnitGroups.AboveMedian(cap) with { Name = "cap_median" },
            UnitGroups.Quantiles(ip, 3, "T") with { Name = "ip_tercile" }, UnitGroups.Quantiles(cap, 3, "T") with { Name = "cap_tercile" },
        };
        var g = panel;
        foreach (var s in splits) g = s.AddTo(g);
        g = ip.Centred().AddTo(g, "ip_c"); g = cap.Centred().AddTo(g, "cap_c");
        var family = new List<GroupHypothesis>
        {
            GroupHypothesis.Contrast("a", f, "treat", "size3", "mega_super", "medium_small"), GroupHypothesis.Contrast("b", f, "treat", "size3", "large", "medium_small"),
            GroupHypothesis.Contrast("c", f, "treat", "ip_median", "high", "low"), GroupHypothesis.Contrast("d", f, "treat", "cap_median", "high", "low"),
            GroupHypothesis.Contrast("e", f, "treat", "ip_tercile", "T3", "T1"), GroupHypothesis.Contrast("f", f, "treat", "cap_tercile", "T3", "T1"),
            GroupHypothesis.Coefficient("g", "resilience ~ treat + treat:ip_c + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year", "treat:ip_c"),
            GroupHypothesis.Coefficient("h", "resilience ~ treat + treat:cap_c + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year", "treat:cap_c"),
        };
        foreach (var draws in new[] { 100, 1000, 1000 })
        {
            var sw = Stopwatch.StartNew();
            var r = GroupPermutationTest.Run(g, "city_code", ["size3", "ip_median", "cap_median", "ip_tercile", "cap_tercile", "ip_c", "cap_c"], family, Vcov.Cluster("city_code"),
                new PermutationOptions(draws, 1, Strata: "policy_year"));
            Console.WriteLine($"permutation test, {draws} draws: {sw.Elapsed.TotalMilliseconds:F0} ms; p[0] {r.PStudentised[0]:R} rw {string.Join(",", r.RomanoWolf)}");
        }
    }
}
