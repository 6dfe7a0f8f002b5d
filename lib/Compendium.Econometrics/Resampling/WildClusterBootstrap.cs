using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Resampling;

/// <summary>Distribution of the wild bootstrap weights.</summary>
public enum WildWeights
{
    /// <summary>±1 with probability ½ (all 2^G sign vectors are used when 2^G ≤ the number of draws).</summary>
    Rademacher,
    /// <summary>Webb's six-point distribution ±√1.5, ±1, ±√0.5 (better with few clusters).</summary>
    Webb,
}

/// <summary>Choices of <see cref="WildClusterBootstrap"/>; the defaults are fwildclusterboot's.</summary>
/// <param name="Draws">Bootstrap draws B (default 9,999).</param>
/// <param name="Weights">Weight distribution (default Rademacher).</param>
/// <param name="Seed">Seed of <see cref="SplitMix64"/>.</param>
/// <param name="Null">The value r of H0: β = r (default 0).</param>
/// <param name="Alpha">Level of the confidence interval (default 0.05).</param>
/// <param name="ConfidenceInterval">Invert the test for an interval (default true).</param>
public sealed record WildBootstrapOptions(int Draws = 9999, WildWeights Weights = WildWeights.Rademacher, ulong Seed = 1,
    double Null = 0, double Alpha = 0.05, bool ConfidenceInterval = true)
{
    /// <summary>9,999 Rademacher draws, seed 1, H0: β = 0, 95% interval.</summary>
    public static WildBootstrapOptions Default { get; } = new();
}

/// <summary>
/// The restricted wild cluster bootstrap (WCR; Cameron, Gelbach &amp; Miller 2008; MacKinnon &amp; Webb 2017)
/// for one coefficient of a fixed-effects OLS model, as boottest / fwildclusterboot compute it (Roodman,
/// MacKinnon, Nielsen &amp; Webb 2019). Under H0: β_j = r the model is re-estimated with the restriction,
/// giving residuals ũ(r); bootstrap samples y* = y − ũ(r) + v_g ũ(r) multiply each cluster's residuals by one
/// weight v_g; each sample's cluster-robust t statistic t*_b = (β*_b − r)/SE*_b is compared with the sample's
/// t = (β̂ − r)/SE; p(r) = share of draws with |t*_b| &gt; |t| (draws that reproduce |t|, such as v = ±1, do not
/// count). With Rademacher weights and 2^G ≤ B every sign vector is used once (full enumeration). The
/// confidence interval is {r : p(r) ≥ α}: from β̂, step out by SE·2^e (e = 0, 1, …, 30) until p &lt; α, then bisect
/// to 10⁻¹² relative. Everything is exact and closed-form in r: with z = X̃a_j (X̃ the regressors with the fixed
/// effects partialled out, a_j the j-th row of (X̃′X̃)⁻¹), β*_b − r = Σ_h v_h c_h(r) and the cluster scores are
/// K(r)v with c_h = Σ_{i∈h} z_i ũ_i and K_gh = Σ_{i∈g} z_i [M ũ 1{cluster h}]_i (M the annihilator of the
/// regressors and fixed effects), both linear in r. Small-sample factor G/(G−1)·(N−1)/(N−k) (k slope
/// coefficients), which cancels in p-values and intervals. Checked against a brute-force R script.
/// </summary>
public static class WildClusterBootstrap
{
    /// <summary>Test H0: <paramref name="coefficient"/> = r in the model <paramref name="formula"/>, clustering by <paramref name="cluster"/>.</summary>
    public static WildBootstrapResult Test(ColumnTable data, string formula, string coefficient, string cluster, WildBootstrapOptions? options = null)
    {
        options ??= WildBootstrapOptions.Default;
        if (options.Draws < 1) throw new InputException("the number of bootstrap draws must be positive.");
        var f = Formula.Parse(formula);
        var design = Feols.Prepare(data, f, [cluster]);
        var fit = design.Fit(Vcov.Cluster(cluster));
        var kept = fit.Coefficients.Select(c => c.Name).ToList();
        int j = kept.IndexOf(coefficient);
        if (j < 0)
            throw new InputException($"no coefficient '{coefficient}' in '{formula}'" + (fit.CollinearDropped.Contains(coefficient) ? " (dropped as collinear)" : "") +
                                     $"; coefficients: {string.Join(", ", kept)}");
        int n = design.Nobs, k = kept.Count;
        var x = kept.Select(name => design.Column(name)).ToArray();
        var y = design.Outcome;
        var clusterFactor = design.ClusterFactor(cluster);
        var codes = clusterFactor.Codes;
        int G = clusterFactor.Levels;
        if (G < 2) throw new InputException($"'{cluster}' has {G} cluster(s); the wild cluster bootstrap needs at least two.");

        // (X'X)^-1, z = X a_j
        var xtx = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k, k, (a, b) => Vectors.Dot(x[a], x[b]));
        var ainv = xtx.Inverse();
        var z = new double[n];
        for (int a = 0; a < k; a++) Vectors.Axpy(ainv[j, a], x[a], z);
        double beta = 0;
        for (int a = 0; a < k; a++) beta += ainv[j, a] * Vectors.Dot(x[a], y);
        // residual maker of the other regressors (within the fixed-effects-partialled space)
        var others = Enumerable.Range(0, k).Where(a => a != j).ToArray();
        double[] MOthers(double[] v)
        {
            if (others.Length == 0) return (double[])v.Clone();
            var w = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(others.Length, others.Length, (a, b) => Vectors.Dot(x[others[a]], x[others[b]]));
            var rhs = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(others.Length, a => Vectors.Dot(x[others[a]], v));
            var coef = w.Solve(rhs);
            var r = (double[])v.Clone();
            for (int a = 0; a < others.Length; a++) Vectors.Axpy(-coef[a], x[others[a]], r);
            return r;
        }
        var u0 = MOthers(y);
        var m = MOthers(x[j]);
        // unrestricted residuals and the sample's SE
        var uh = (double[])y.Clone();
        for (int a = 0; a < k; a++)
        {
            double ba = 0;
            for (int b = 0; b < k; b++) ba += ainv[a, b] * Vectors.Dot(x[b], y);
            Vectors.Axpy(-ba, x[a], uh);
        }
        double ssc = G / (G - 1.0) * (n - 1.0) / (n - k);
        var scoreHat = ClusterSums(z, uh, codes, G);
        double se = Math.Sqrt(ssc * scoreHat.Sum(s => s * s));
        var c0 = ClusterSums(z, u0, codes, G);
        var c1 = ClusterSums(z, m, codes, G);
        var k0 = ScoreMatrix(design, x, ainv, z, u0, codes, G);
        var k1 = ScoreMatrix(design, x, ainv, z, m, codes, G);

        // draws
        bool enumerate = options.Weights == WildWeights.Rademacher && G <= 30 && (1L << G) <= options.Draws;
        int draws = enumerate ? 1 << G : options.Draws;
        var rng = new SplitMix64(options.Seed);
        var v = new double[G];
        var kv0 = new double[G];
        var kv1 = new double[G];
        var a0 = new double[draws]; var a1 = new double[draws];
        var q0 = new double[draws]; var q01 = new double[draws]; var q1 = new double[draws];
        for (int b = 0; b < draws; b++)
        {
            if (enumerate) for (int g = 0; g < G; g++) v[g] = ((b >> g) & 1) == 0 ? 1 : -1;
            else if (options.Weights == WildWeights.Rademacher) rng.FillRademacher(v);
            else rng.FillWebb(v);
            a0[b] = Vectors.Dot(c0, v);
            a1[b] = Vectors.Dot(c1, v);
            for (int g = 0; g < G; g++)
            {
                kv0[g] = Vectors.Dot(k0.AsSpan(g * G, G), v);
                kv1[g] = Vectors.Dot(k1.AsSpan(g * G, G), v);
            }
            q0[b] = Vectors.Dot(kv0, kv0);
            q01[b] = Vectors.Dot(kv0, kv1);
            q1[b] = Vectors.Dot(kv1, kv1);
        }
        var stats = new DrawStatistics(beta, se, ssc, a0, a1, q0, q01, q1);
        double p = stats.PValue(options.Null);
        double lo = double.NaN, hi = double.NaN;
        if (options.ConfidenceInterval)
        {
            lo = stats.Bound(-1, options.Alpha);
            hi = stats.Bound(1, options.Alpha);
        }
        return new WildBootstrapResult(fit, coefficient, cluster, beta, se, (beta - options.Null) / se, p, lo, hi, draws, enumerate, G, options);
    }

    private static double[] ClusterSums(double[] z, double[] u, int[] codes, int g)
    {
        var s = new double[g];
        for (int i = 0; i < z.Length; i++) s[codes[i]] += z[i] * u[i];
        return s;
    }

    /// <summary>K_gh = Σ_{i∈g} z_i [M (u 1{cluster h})]_i, row-major G×G; M u = M_FE u − X̃ (X̃′X̃)⁻¹ X̃′ M_FE u.</summary>
    private static double[] ScoreMatrix(DemeanedDesign design, double[][] x, MathNet.Numerics.LinearAlgebra.Matrix<double> ainv, double[] z,
        double[] u, int[] codes, int G)
    {
        int n = z.Length, k = x.Length;
        var kmat = new double[G * G];
        var rowsOf = new List<int>[G];
        for (int g = 0; g < G; g++) rowsOf[g] = [];
        for (int i = 0; i < n; i++) rowsOf[codes[i]].Add(i);
        var uh = new double[n];
        for (int h = 0; h < G; h++)
        {
            Array.Clear(uh);
            foreach (var i in rowsOf[h]) uh[i] = u[i];
            var mu = design.FixedEffects.Count > 0 ? design.Transform(uh) : uh;
            var xtmu = new double[k];
            for (int a = 0; a < k; a++) xtmu[a] = Vectors.Dot(x[a], mu);
            var proj = new double[k];
            for (int a = 0; a < k; a++) { double s = 0; for (int b = 0; b < k; b++) s += ainv[a, b] * xtmu[b]; proj[a] = s; }
            var res = mu == uh ? (double[])uh.Clone() : mu;
            for (int a = 0; a < k; a++) Vectors.Axpy(-proj[a], x[a], res);
            for (int i = 0; i < n; i++) kmat[codes[i] * G + h] += z[i] * res[i];
        }
        return kmat;
    }

    /// <summary>The per-draw numbers that make t*_b(r) closed-form: t*_b(r) = (a0 − r a1)/√(ssc (q0 − 2r q01 + r² q1)).</summary>
    private sealed class DrawStatistics(double beta, double se, double ssc, double[] a0, double[] a1, double[] q0, double[] q01, double[] q1)
    {
        public double PValue(double r)
        {
            double t = Math.Abs((beta - r) / se) * (1 + 1e-9);
            int count = 0;
            for (int b = 0; b < a0.Length; b++)
            {
                double num = a0[b] - r * a1[b];
                double den = ssc * (q0[b] - 2 * r * q01[b] + r * r * q1[b]);
                if (den > 0 && Math.Abs(num) / Math.Sqrt(den) > t) count++;
            }
            return count / (double)a0.Length;
        }

        public double Bound(int side, double alpha)
        {
            double inside = beta, outside = double.NaN;
            for (int e = 0; e <= 30; e++)
            {
                double r = beta + side * Math.Pow(2, e) * se;
                if (PValue(r) < alpha) { outside = r; break; }
                inside = r;
            }
            if (double.IsNaN(outside)) return side * double.PositiveInfinity;
            while (true)
            {
                double mid = (inside + outside) / 2;
                if (Math.Abs(outside - inside) <= 1e-12 * Math.Max(1, Math.Abs(mid))) return mid;
                if (PValue(mid) >= alpha) inside = mid; else outside = mid;
            }
        }
    }
}

/// <summary>The result of <see cref="WildClusterBootstrap"/>.</summary>
/// <param name="Model">The fixed-effects regression (clustered CR1 inference).</param>
/// <param name="Coefficient">The tested coefficient.</param>
/// <param name="Cluster">The cluster variable.</param>
/// <param name="Estimate">β̂.</param>
/// <param name="StdError">Its CR1 standard error with the bootstrap's small-sample factor (fixed effects not counted in k).</param>
/// <param name="T">(β̂ − r)/SE.</param>
/// <param name="PValue">Bootstrap p-value of H0: β = r.</param>
/// <param name="CiLow">Lower end of the test-inversion interval (NaN when not computed).</param>
/// <param name="CiHigh">Upper end.</param>
/// <param name="Draws">Draws used (2^G under full enumeration).</param>
/// <param name="FullEnumeration">True when every Rademacher sign vector was used.</param>
/// <param name="Clusters">Number of clusters G.</param>
/// <param name="Options">The options used.</param>
public sealed record WildBootstrapResult(FeolsResult Model, string Coefficient, string Cluster, double Estimate, double StdError, double T,
    double PValue, double CiLow, double CiHigh, int Draws, bool FullEnumeration, int Clusters, WildBootstrapOptions Options)
{
    /// <summary>Notes under the table.</summary>
    public ImmutableArray<string> Notes() =>
    [
        FormattableString.Invariant($"Restricted wild cluster bootstrap (WCR) of H0: {Coefficient} = {Options.Null:G6}, clustered by {Cluster} ({Clusters} clusters), ") +
            (FullEnumeration ? FormattableString.Invariant($"Rademacher weights, full enumeration of all {Draws} sign vectors.")
                             : FormattableString.Invariant($"{Draws} draws of {Options.Weights} weights (SplitMix64 seed {Options.Seed}).")),
        "p = share of bootstrap |t*| above the sample's |t| (fwildclusterboot's two-tailed p); interval by test inversion {r : p(r) ≥ α}.",
    ];

    /// <summary>One row: estimate, CR1 SE and p, bootstrap p and interval.</summary>
    public Table ToTable(string id = "wild_bootstrap", string title = "Wild cluster bootstrap")
    {
        var c = Model[Coefficient];
        string F(double v, int d = 4) => double.IsNaN(v) ? "" : double.IsInfinity(v) ? (v > 0 ? "+∞" : "−∞") : v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return new Table(id, title, ["Coefficient", "Estimate", "CR1 SE", "CR1 p", "Bootstrap p", $"{100 * (1 - Options.Alpha):G3}% CI low", $"{100 * (1 - Options.Alpha):G3}% CI high", "Draws"],
            [new TableRow(Coefficient, F(Estimate), F(c.StdError), F(c.P), F(PValue), F(CiLow), F(CiHigh), Draws.ToString(CultureInfo.InvariantCulture))], Notes());
    }

    /// <summary>JSON: coefficient, estimate, std_error, t, p, ci_low, ci_high, draws, full_enumeration, clusters, weights, seed, null.</summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        w.WriteString("formula", Model.Formula);
        w.WriteString("estimator", "wild-cluster-bootstrap");
        w.WriteString("coefficient", Coefficient);
        ResultJson.Num(w, "estimate", Estimate); ResultJson.Num(w, "std_error", StdError); ResultJson.Num(w, "t", T);
        ResultJson.Num(w, "p", PValue); ResultJson.Num(w, "ci_low", CiLow); ResultJson.Num(w, "ci_high", CiHigh);
        w.WriteNumber("draws", Draws);
        w.WriteBoolean("full_enumeration", FullEnumeration);
        w.WriteString("cluster", Cluster);
        w.WriteNumber("clusters", Clusters);
        w.WriteString("weights", Options.Weights == WildWeights.Rademacher ? "rademacher" : "webb");
        w.WriteNumber("seed", Options.Seed);
        ResultJson.Num(w, "null", Options.Null);
        w.WriteNumber("nobs", Model.Nobs);
    });

    /// <summary>The table as Markdown.</summary>
    public override string ToString() => ToTable().ToMarkdown();
}
