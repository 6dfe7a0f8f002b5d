using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Staggered;

/// <summary>The computation behind <see cref="CallawaySantAnna"/>: cells, influence functions, aggregations, bootstrap.</summary>
internal sealed class GroupTimeEngine
{
    private readonly StaggeredPanel _panel;
    private readonly string _outcome;
    private readonly CallawaySantAnnaOptions _o;

    public GroupTimeEngine(StaggeredPanel panel, string outcome, CallawaySantAnnaOptions options)
    {
        _panel = panel; _outcome = outcome; _o = options;
    }

    private sealed record Cell(double G, double T, double Base, double Att, double[] Inf, int Treated, int Comparison, bool Reference);

    /// <summary>A weighted average of cells with its influence function.</summary>
    private sealed record Item(string Label, double Key, double Estimate, double[] Inf, bool Reference = false);

    public CallawaySantAnnaResult Run()
    {
        var p = _panel;
        int T = p.T;
        double first = p.Periods[0];
        // units: drop the always treated (first treated in or before the first period)
        var used = Enumerable.Range(0, p.N).Where(i => p.Cohorts[i] == 0 || p.Cohorts[i] > first).ToArray();
        int alwaysDropped = p.N - used.Length;
        int n = used.Length;
        if (n == 0) throw new InputException($"{p.Source}: every unit is treated in the first period; there is nothing to compare.");
        var yAll = p.Matrix(_outcome);
        var covs = _o.CovariateList.Select(c => p.Matrix(c)).ToArray();
        var y = new double[n * T];
        var g = new double[n];
        for (int a = 0; a < n; a++)
        {
            g[a] = p.Cohorts[used[a]];
            for (int t = 0; t < T; t++) y[a * T + t] = yAll[used[a] * T + t];
        }
        var glist = g.Where(v => v != 0).Distinct().Order().ToArray();
        if (glist.Length == 0) throw new InputException($"{p.Source}: no unit is treated within the sample ('{p.Columns.Cohort}' is 0 or missing everywhere).");
        if (_o.Control == ComparisonGroup.NeverTreated && g.All(v => v != 0))
            throw new InputException($"{p.Source}: no never-treated units; use the not-yet-treated comparison group.");

        var cells = new List<Cell>();
        foreach (var gg in glist)
        {
            int pg = -1;
            for (int t = 0; t < T; t++) if (p.Periods[t] < gg) pg = t;
            if (pg < 0) continue; // no pre-treatment period (cannot happen after dropping the always treated)
            int from = _o.Base == BasePeriod.Varying ? 1 : 0;
            for (int k = from; k < T; k++)
            {
                double tt = p.Periods[k];
                int b = tt >= gg || _o.Base == BasePeriod.Universal ? pg : k - 1;
                if (_o.Base == BasePeriod.Universal && b == k)
                {
                    cells.Add(new Cell(gg, tt, p.Periods[b], 0, new double[n], g.Count(v => v == gg), 0, true));
                    continue;
                }
                double threshold = p.Periods[Math.Max(k, b)];
                var keep = new List<int>();
                int nTreated = 0;
                for (int a = 0; a < n; a++)
                {
                    bool treated = g[a] == gg;
                    bool control = _o.Control == ComparisonGroup.NeverTreated
                        ? g[a] == 0
                        : g[a] == 0 || (g[a] > threshold && g[a] != gg);
                    if (treated || control) { keep.Add(a); if (treated) nTreated++; }
                }
                int nc = keep.Count - nTreated;
                if (nc == 0)
                    throw new InputException($"{p.Source}: ATT(g = {Fmt(gg)}, t = {Fmt(tt)}) has no comparison units " +
                                             $"({(_o.Control == ComparisonGroup.NeverTreated ? "no never-treated units" : "every other unit is treated by then")}).");
                int m = keep.Count;
                var dY = new double[m];
                var d = new double[m];
                var x = new double[m][];
                int xp = Math.Min(k, b);
                for (int r = 0; r < m; r++)
                {
                    int a = keep[r];
                    dY[r] = y[a * T + k] - y[a * T + b];
                    d[r] = g[a] == gg ? 1 : 0;
                    var row = new double[covs.Length + 1];
                    row[0] = 1;
                    for (int c = 0; c < covs.Length; c++) row[c + 1] = covs[c][used[a] * T + xp];
                    x[r] = row;
                }
                var (att, inf) = CallawaySantAnna.TwoByTwo(dY, d, x, _o.Method);
                var full = new double[n];
                double scale = (double)n / m;
                for (int r = 0; r < m; r++) full[keep[r]] = inf[r] * scale;
                cells.Add(new Cell(gg, tt, p.Periods[b], att, full, nTreated, nc, false));
            }
        }

        // aggregations (did's aggte), pg = share of all units in cohort g
        var pgg = glist.ToDictionary(v => v, v => g.Count(x => x == v) / (double)n);
        Item Weighted(string label, double key, IReadOnlyList<int> which, IReadOnlyList<double> weights, bool withWif)
        {
            double est = 0;
            var f = new double[n];
            double sp = 0;
            foreach (var j in which) sp += pgg[cells[j].G];
            for (int q = 0; q < which.Count; q++)
            {
                var c = cells[which[q]];
                est += weights[q] * c.Att;
                Vectors.Axpy(weights[q], c.Inf, f);
            }
            if (withWif)
            {
                // estimated-weights term: sum_k att_k [ (1{G=g_k} - pg_k)/S - (sum_j (1{G=g_j} - pg_j)) pg_k / S^2 ]
                var centeredSum = new double[n];
                foreach (var j in which)
                {
                    double pj = pgg[cells[j].G];
                    for (int a = 0; a < n; a++) centeredSum[a] += (g[a] == cells[j].G ? 1 : 0) - pj;
                }
                foreach (var j in which)
                {
                    var c = cells[j];
                    double pj = pgg[c.G];
                    for (int a = 0; a < n; a++)
                        f[a] += c.Att * (((g[a] == c.G ? 1 : 0) - pj) / sp - centeredSum[a] * pj / (sp * sp));
                }
            }
            return new Item(label, key, est, f);
        }
        Item Mean(string label, IReadOnlyList<Item> items)
        {
            var f = new double[n];
            double est = 0;
            foreach (var it in items) { est += it.Estimate / items.Count; Vectors.Axpy(1.0 / items.Count, it.Inf, f); }
            return new Item(label, double.NaN, est, f);
        }
        List<double> ShareWeights(IReadOnlyList<int> which)
        {
            double s = which.Sum(j => pgg[cells[j].G]);
            return [.. which.Select(j => pgg[cells[j].G] / s)];
        }

        var post = Enumerable.Range(0, cells.Count).Where(j => cells[j].T >= cells[j].G).ToList();
        var simple = Weighted("overall", double.NaN, post, ShareWeights(post), true);

        var dynItems = new List<Item>();
        foreach (var e in cells.Select(c => c.T - c.G).Distinct().Order())
        {
            var we = Enumerable.Range(0, cells.Count).Where(j => cells[j].T - cells[j].G == e).ToList();
            var it = Weighted(Fmt(e), e, we, ShareWeights(we), true);
            if (we.All(j => cells[j].Reference)) it = it with { Reference = true };
            dynItems.Add(it);
        }
        var dynOverall = Mean("overall", dynItems.Where(i => i.Key >= 0).ToList());

        var groupItems = new List<Item>();
        foreach (var gg in glist)
        {
            var wg = Enumerable.Range(0, cells.Count).Where(j => cells[j].G == gg && cells[j].T >= gg).ToList();
            if (wg.Count == 0) continue;
            groupItems.Add(Weighted(Fmt(gg), gg, wg, [.. wg.Select(_ => 1.0 / wg.Count)], false));
        }
        Item groupOverall;
        {
            double s = groupItems.Sum(it => pgg[it.Key]);
            var f = new double[n];
            double est = 0;
            foreach (var it in groupItems) { double wgt = pgg[it.Key] / s; est += wgt * it.Estimate; Vectors.Axpy(wgt, it.Inf, f); }
            var centeredSum = new double[n];
            foreach (var it in groupItems) for (int a = 0; a < n; a++) centeredSum[a] += (g[a] == it.Key ? 1 : 0) - pgg[it.Key];
            foreach (var it in groupItems)
            {
                double pj = pgg[it.Key];
                for (int a = 0; a < n; a++) f[a] += it.Estimate * (((g[a] == it.Key ? 1 : 0) - pj) / s - centeredSum[a] * pj / (s * s));
            }
            groupOverall = new Item("overall", double.NaN, est, f);
        }

        var calItems = new List<Item>();
        foreach (var tt in p.Periods.Where(t => t >= glist[0]))
        {
            var wt = Enumerable.Range(0, cells.Count).Where(j => cells[j].T == tt && cells[j].G <= tt).ToList();
            if (wt.Count == 0) continue;
            calItems.Add(Weighted(Fmt(tt), tt, wt, ShareWeights(wt), true));
        }
        var calOverall = Mean("overall", calItems);

        // inference: analytical, then optionally the multiplier bootstrap
        double z = Distributions.TQuantile(1 - _o.Alpha / 2, double.PositiveInfinity);
        double SeOf(double[] f)
        {
            double s = 0;
            foreach (var v in f) s += v * v;
            double se = Math.Sqrt(s) / n;
            return se <= Math.Sqrt(2.220446049250313e-16) * 10 ? double.NaN : se;
        }
        var families = new List<List<double[]>>
        {
            cells.Select(c => c.Inf).ToList(),
            dynItems.Select(i => i.Inf).ToList(),
            groupItems.Select(i => i.Inf).ToList(),
            calItems.Select(i => i.Inf).ToList(),
            new List<double[]> { simple.Inf, dynOverall.Inf, groupOverall.Inf, calOverall.Inf },
        };
        var seFam = families.Select(f => f.Select(SeOf).ToArray()).ToList();
        var crit = families.Select(_ => z).ToArray();
        if (_o.BootstrapDraws > 0)
        {
            var boot = new MultiplierBootstrap(n, _o.BootstrapDraws, _o.Seed);
            for (int fi = 0; fi < families.Count; fi++)
            {
                var (se, cv) = boot.Run(families[fi], _o.Alpha);
                for (int j = 0; j < se.Length; j++) if (!double.IsNaN(seFam[fi][j])) seFam[fi][j] = se[j];
                crit[fi] = fi < 4 ? Math.Max(cv, z) : z;
            }
        }

        var attgt = cells.Select((c, j) =>
        {
            double se = c.Reference ? double.NaN : seFam[0][j];
            return new GroupTimeEffect(c.G, c.T, c.Base, c.Att, se, c.Att - z * se, c.Att + z * se,
                _o.BootstrapDraws > 0 ? c.Att - crit[0] * se : double.NaN, _o.BootstrapDraws > 0 ? c.Att + crit[0] * se : double.NaN,
                c.Treated, c.Comparison, c.Reference);
        }).ToImmutableArray();
        AggregateEffect Eff(Item it, double se, double cv) => new(it.Label, it.Key, it.Estimate, it.Reference ? double.NaN : se,
            it.Estimate - z * se, it.Estimate + z * se,
            _o.BootstrapDraws > 0 ? it.Estimate - cv * se : double.NaN, _o.BootstrapDraws > 0 ? it.Estimate + cv * se : double.NaN);
        Aggregation Agg(string type, List<Item> items, int fam, Item overall, int overallIndex) =>
            new(type, [.. items.Select((it, j) => Eff(it, seFam[fam][j], crit[fam]))], Eff(overall, seFam[4][overallIndex], z), crit[fam]);
        var simpleAgg = new Aggregation("simple", [], Eff(simple, seFam[4][0], z), z);
        var dynAgg = Agg("dynamic", dynItems, 1, dynOverall, 1);
        var groupAgg = Agg("group", groupItems, 2, groupOverall, 2);
        var calAgg = Agg("calendar", calItems, 3, calOverall, 3);

        // pre-test: W = a' (Psi'Psi / n^2)^-1 a over pre-treatment cells with non-zero variance
        TestStatistic? pretest = null;
        var pre = Enumerable.Range(0, cells.Count).Where(j => cells[j].G > cells[j].T && !cells[j].Reference && !double.IsNaN(SeOf(cells[j].Inf))).ToList();
        if (pre.Count > 0)
        {
            var v = Covariance(pre.Select(j => cells[j].Inf).ToList(), n);
            var a = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(pre.Count, q => cells[pre[q]].Att);
            var vm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(pre.Count, pre.Count, (r, c) => v[r * pre.Count + c]);
            double w = a * vm.Solve(a);
            pretest = new TestStatistic("Wald pre-test (χ²)", w, Distributions.UpperChiSquared(w, pre.Count), pre.Count, double.NaN,
                "every pre-treatment ATT(g,t) is zero (parallel pre-trends)");
        }

        // the contract: ATT (simple) and the dynamic path, with their influence-function covariance
        var coefItems = new List<Item> { simple };
        coefItems.AddRange(dynItems.Where(i => !i.Reference));
        var names = new List<string> { "ATT" };
        names.AddRange(dynItems.Where(i => !i.Reference).Select(i => "event_time::" + i.Label));
        var ses = new List<double> { seFam[4][0] };
        ses.AddRange(dynItems.Select((it, j) => (it, j)).Where(x => !x.it.Reference).Select(x => seFam[1][x.j]));
        var cov = Covariance(coefItems.Select(i => i.Inf).ToList(), n);
        int kc = coefItems.Count;
        if (_o.BootstrapDraws > 0)
        {
            // keep the analytical correlation, use the bootstrap standard errors
            var an = coefItems.Select(i => SeOf(i.Inf)).ToArray();
            for (int r = 0; r < kc; r++)
                for (int c = 0; c < kc; c++) cov[r * kc + c] *= ses[r] / an[r] * ses[c] / an[c];
        }
        string inference = _o.BootstrapDraws > 0
            ? $"Standard errors: multiplier bootstrap ({_o.BootstrapDraws} draws, Rademacher weights per unit, SplitMix64 seed {_o.Seed}; IQR-based as did's mboot), clustered by unit; normal intervals; uniform bands from the bootstrap distribution of the largest |t|."
            : "Standard errors: analytical, from the influence functions (V = Ψ'Ψ/N, SE = √(V/N)), clustered by unit; normal (z) intervals.";
        var variance = new VcovEstimate([.. cov], double.PositiveInfinity, kc, 1, [(p.Columns.Unit, n)], inference);
        var coefs = Coefficient.FromEstimates(names, [.. coefItems.Select(i => i.Estimate)], variance);
        var path = dynAgg.Effects.Select(e => new EventTimeEstimate((int)e.Key, e.Label, e.Estimate, e.StdError, e.CiLow, e.CiHigh,
            dynItems.First(i => i.Key == e.Key).Reference, false)).ToImmutableArray();
        var nonRef = dynItems.Where(i => !i.Reference).ToList();
        var dynCov = Covariance(nonRef.Select(i => i.Inf).ToList(), n);
        if (_o.BootstrapDraws > 0)
        {
            var an = nonRef.Select(i => SeOf(i.Inf)).ToArray();
            var bs = dynItems.Select((it, j) => (it, j)).Where(x => !x.it.Reference).Select(x => seFam[1][x.j]).ToArray();
            int m = nonRef.Count;
            for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) dynCov[r * m + c] *= bs[r] / an[r] * bs[c] / an[c];
        }
        string formula = $"ATT(g,t) of {_outcome}: unit {p.Columns.Unit}, time {p.Columns.Time}, cohort {p.Columns.Cohort}";
        var sample = new SampleInfo(n * T, 0, 0, [], []);
        return new CallawaySantAnnaResult(formula, coefs, variance, "cluster:" + p.Columns.Unit, sample, attgt,
            simpleAgg, dynAgg, groupAgg, calAgg, pretest, _o, n, alwaysDropped, p.TreatedAfterSample, crit[0], path, [.. dynCov]);
    }

    /// <summary>Ψ′Ψ/N² for the given influence functions (row-major).</summary>
    private static double[] Covariance(IReadOnlyList<double[]> fs, int n)
    {
        int m = fs.Count;
        var v = new double[m * m];
        for (int a = 0; a < m; a++)
            for (int b = a; b < m; b++)
            {
                double s = Vectors.Dot(fs[a], fs[b]) / ((double)n * n);
                v[a * m + b] = s; v[b * m + a] = s;
            }
        return v;
    }

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// The multiplier bootstrap of did's <c>mboot</c>: for draw b, ψ*_bj = N^{−1/2} Σ_i v_bi ψ_ij with Rademacher
/// weights v_bi (one per unit, <see cref="SplitMix64.FillRademacher"/>, draw after draw from one seeded stream);
/// SE_j = (q_.75 − q_.25)/(Φ⁻¹(.75) − Φ⁻¹(.25))/√N from the order statistics ⌈.75B⌉ and ⌈.25B⌉; the uniform
/// critical value is the ⌈(1 − α)B⌉-th order statistic of max_j |ψ*_bj|/σ̂_j (R's quantile type 1).
/// </summary>
internal sealed class MultiplierBootstrap
{
    private readonly int _n, _b;
    private readonly double[] _v;   // B x n

    public MultiplierBootstrap(int n, int draws, ulong seed)
    {
        _n = n; _b = draws;
        _v = new double[n * draws];
        new SplitMix64(seed).FillRademacher(_v);
    }

    public (double[] Se, double Crit) Run(IReadOnlyList<double[]> fs, double alpha)
    {
        int m = fs.Count;
        var bres = new double[m][];
        double sq = Math.Sqrt(_n);
        for (int j = 0; j < m; j++)
        {
            var col = new double[_b];
            var f = fs[j];
            for (int b = 0; b < _b; b++) col[b] = Vectors.Dot(_v.AsSpan(b * _n, _n), f) / sq;
            bres[j] = col;
        }
        double iqrNorm = Distributions.TQuantile(0.75, double.PositiveInfinity) - Distributions.TQuantile(0.25, double.PositiveInfinity);
        var se = new double[m];
        var sigma = new double[m];
        var ok = new bool[m];
        for (int j = 0; j < m; j++)
        {
            double ss = 0;
            foreach (var x in bres[j]) ss += x * x;
            ok[j] = ss > Math.Sqrt(2.220446049250313e-16) * 10;
            if (!ok[j]) { se[j] = double.NaN; continue; }
            var sorted = (double[])bres[j].Clone();
            Array.Sort(sorted);
            sigma[j] = (sorted[(int)Math.Ceiling(0.75 * _b) - 1] - sorted[(int)Math.Ceiling(0.25 * _b) - 1]) / iqrNorm;
            se[j] = sigma[j] / sq;
        }
        var maxT = new List<double>(_b);
        for (int b = 0; b < _b; b++)
        {
            double mx = double.NegativeInfinity;
            for (int j = 0; j < m; j++) if (ok[j] && sigma[j] > 0) mx = Math.Max(mx, Math.Abs(bres[j][b]) / sigma[j]);
            if (double.IsFinite(mx)) maxT.Add(mx);
        }
        if (maxT.Count == 0) return (se, double.NaN);
        maxT.Sort();
        int idx = (int)Math.Ceiling((1 - alpha) * maxT.Count) - 1;
        return (se, maxT[Math.Clamp(idx, 0, maxT.Count - 1)]);
    }
}
