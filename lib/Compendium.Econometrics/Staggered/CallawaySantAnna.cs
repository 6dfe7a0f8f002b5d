using System.Collections.Immutable;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Staggered;

/// <summary>Which units serve as the comparison group of ATT(g,t).</summary>
public enum ComparisonGroup
{
    /// <summary>Units never treated in the sample (did's <c>control_group = "nevertreated"</c>).</summary>
    NeverTreated,
    /// <summary>Never-treated units and units not yet treated by max(t, base period) (did's <c>"notyettreated"</c>).</summary>
    NotYetTreated,
}

/// <summary>The 2×2 estimator of each ATT(g,t).</summary>
public enum DidMethod
{
    /// <summary>Outcome regression (Heckman, Ichimura &amp; Todd 1997; DRDID's <c>reg_did_panel</c>).</summary>
    Regression,
    /// <summary>Normalised inverse probability weighting (Abadie 2005; DRDID's <c>std_ipw_did_panel</c>).</summary>
    Ipw,
    /// <summary>Doubly robust (Sant'Anna &amp; Zhao 2020; DRDID's <c>drdid_panel</c>, did's default).</summary>
    DoublyRobust,
}

/// <summary>The base period of pre-treatment ATT(g,t).</summary>
public enum BasePeriod
{
    /// <summary>The period just before t (did's default): pre-treatment cells are one-period placebo changes.</summary>
    Varying,
    /// <summary>g − 1 for every t: pre-treatment cells are comparable with the post-treatment ones, and ATT(g, g − 1) = 0 is the reference.</summary>
    Universal,
}

/// <summary>Choices of <see cref="CallawaySantAnna"/>; the defaults are did 2.x's.</summary>
/// <param name="Control">Comparison group (default never treated).</param>
/// <param name="Method">2×2 estimator (default doubly robust; without covariates all three coincide).</param>
/// <param name="Covariates">Covariates of the conditional parallel-trends assumption, taken in the earlier period of each 2×2 comparison.</param>
/// <param name="Base">Base period (default varying).</param>
/// <param name="BootstrapDraws">Multiplier-bootstrap draws (0: analytical standard errors only, no uniform bands).</param>
/// <param name="Seed">Seed of the multiplier bootstrap (<see cref="SplitMix64"/>).</param>
/// <param name="Alpha">Level of the intervals and bands (default 0.05).</param>
public sealed record CallawaySantAnnaOptions(
    ComparisonGroup Control = ComparisonGroup.NeverTreated,
    DidMethod Method = DidMethod.DoublyRobust,
    ImmutableArray<string> Covariates = default,
    BasePeriod Base = BasePeriod.Varying,
    int BootstrapDraws = 0,
    ulong Seed = 1,
    double Alpha = 0.05)
{
    /// <summary>did's defaults: never treated, doubly robust, no covariates, varying base period, analytical SEs.</summary>
    public static CallawaySantAnnaOptions Default { get; } = new();

    /// <summary>The covariates (empty when none).</summary>
    public ImmutableArray<string> CovariateList => Covariates.IsDefault ? [] : Covariates;
}

/// <summary>
/// Callaway &amp; Sant'Anna (2021, J. Econometrics 225(2)) group-time average treatment effects for staggered
/// adoption on a balanced panel. For each cohort g (first treated period) and period t,
/// ATT(g,t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | C], with b = g − 1 for t ≥ g (and for every t with
/// a universal base period) and b = t − 1 for pre-treatment cells with the varying base period, and C the
/// comparison units; with covariates the 2×2 comparison is made by outcome regression, IPW or the doubly
/// robust estimator of Sant'Anna &amp; Zhao (2020), exactly as the R packages did 2.x and DRDID compute them
/// (propensity scores capped at 1 − 10⁻⁶, comparison units with p ≥ 0.995 trimmed). Every ATT(g,t) has an
/// influence function ψ over the N units (scaled by N/N_gt); V = Ψ′Ψ/N and SE = √(V_jj/N) are the
/// analytical standard errors, clustered by unit. Aggregations (did's <c>aggte</c>): simple (weights
/// P(G = g) over post-treatment cells), dynamic (event time e = t − g; overall = mean over e ≥ 0), group
/// (mean over a cohort's post-treatment cells; overall weighted by P(G = g)) and calendar time, with the
/// estimated-weights term in their influence functions. The multiplier bootstrap (Rademacher weights per
/// unit from <see cref="SplitMix64"/>) gives IQR-based standard errors and uniform (simultaneous) bands
/// (did's <c>mboot</c>). The pre-test is the Wald statistic N a′V⁻¹a over the pre-treatment cells, χ²(q).
/// Units treated in the first period (always treated) are dropped, as did does.
/// </summary>
/// <example><code>
/// var cs = CallawaySantAnna.Fit(mpdta, "lemp", "countyreal", "year", "first.treat",
///     new CallawaySantAnnaOptions(Method: DidMethod.Regression));
/// cs.Dynamic.Overall.Estimate;   // −0.0772
/// </code></example>
public static class CallawaySantAnna
{
    /// <summary>Estimate from a long table: <paramref name="cohort"/> is each unit's first treated period (0 or missing: never treated).</summary>
    public static CallawaySantAnnaResult Fit(ColumnTable data, string outcome, string unit, string time, string cohort,
        CallawaySantAnnaOptions? options = null) =>
        Fit(StaggeredPanel.Build(data, unit, time, cohort), outcome, options);

    /// <summary>Estimate on a checked panel.</summary>
    public static CallawaySantAnnaResult Fit(StaggeredPanel panel, string outcome, CallawaySantAnnaOptions? options = null)
    {
        options ??= CallawaySantAnnaOptions.Default;
        if (options.BootstrapDraws < 0) throw new InputException("BootstrapDraws must be 0 (analytical) or positive.");
        if (!(options.Alpha > 0 && options.Alpha < 1)) throw new InputException($"Alpha must lie in (0, 1); got {options.Alpha}.");
        var engine = new GroupTimeEngine(panel, outcome, options);
        return engine.Run();
    }

    // ---- the 2x2 estimators (DRDID) ---------------------------------------------------------------

    /// <summary>ATT and influence function (length n, DRDID scaling) of one 2×2 comparison.</summary>
    internal static (double Att, double[] Inf) TwoByTwo(double[] dY, double[] d, double[][] x, DidMethod method)
    {
        int n = d.Length, k = x[0].Length;
        double[]? outDelta = null;
        double[][]? alrOls = null;
        if (method != DidMethod.Ipw)
        {
            // OLS of dY on X among comparison units
            var xtx = new double[k * k];
            var xty = new double[k];
            for (int i = 0; i < n; i++)
            {
                if (d[i] != 0) continue;
                var xi = x[i];
                for (int a = 0; a < k; a++)
                {
                    xty[a] += xi[a] * dY[i];
                    for (int b = 0; b < k; b++) xtx[a * k + b] += xi[a] * xi[b];
                }
            }
            var inv = Invert(xtx, k, "the outcome regression among comparison units (covariates collinear or constant there)");
            var beta = MulVec(inv, xty, k);
            outDelta = new double[n];
            for (int i = 0; i < n; i++) outDelta[i] = Dot(x[i], beta);
            // asymptotic linear representation of the OLS coefficients: (1 - D)(dY - X b) X' (X'WX/n)^-1
            alrOls = new double[n][];
            for (int i = 0; i < n; i++)
            {
                var r = new double[k];
                if (d[i] == 0)
                {
                    double e = dY[i] - outDelta[i];
                    for (int b = 0; b < k; b++)
                    {
                        double s = 0;
                        for (int a = 0; a < k; a++) s += x[i][a] * e * inv[a * k + b] * n;
                        r[b] = s;
                    }
                }
                alrOls[i] = r;
            }
        }
        if (method == DidMethod.Regression)
        {
            double mt = Mean(d);
            double etaT = 0, etaC = 0;
            for (int i = 0; i < n; i++) { etaT += d[i] * dY[i]; etaC += d[i] * outDelta![i]; }
            etaT /= n * mt; etaC /= n * mt;
            var m1 = new double[k];
            for (int i = 0; i < n; i++) for (int a = 0; a < k; a++) m1[a] += d[i] * x[i][a] / n;
            var inf = new double[n];
            for (int i = 0; i < n; i++)
            {
                double infT = (d[i] * dY[i] - d[i] * etaT) / mt;
                double infC = (d[i] * outDelta![i] - d[i] * etaC + Dot(alrOls![i], m1)) / mt;
                inf[i] = infT - infC;
            }
            return (etaT - etaC, inf);
        }
        // propensity score (logit of D on X, all units), capped at 1 - 1e-6; n (X'WX)^-1 at the capped scores
        var ps = LogitFit(d, x);
        var trim = new bool[n];
        var hh = new double[k * k];
        for (int i = 0; i < n; i++)
        {
            ps[i] = Math.Min(ps[i], 1 - 1e-6);
            trim[i] = d[i] != 0 || ps[i] < 0.995;
            double w = ps[i] * (1 - ps[i]);
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) hh[a * k + b] += w * x[i][a] * x[i][b];
        }
        var hessInvN = Invert(hh, k, "the propensity-score logit");
        for (int a = 0; a < hessInvN.Length; a++) hessInvN[a] *= n;
        var wT = new double[n];
        var wC = new double[n];
        for (int i = 0; i < n; i++)
        {
            wT[i] = trim[i] ? d[i] : 0;
            wC[i] = trim[i] ? ps[i] * (1 - d[i]) / (1 - ps[i]) : 0;
        }
        double mwT = Mean(wT), mwC = Mean(wC);
        var alrPs = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var r = new double[k];
            double sc = d[i] - ps[i];
            for (int b = 0; b < k; b++)
            {
                double s = 0;
                for (int a = 0; a < k; a++) s += sc * x[i][a] * hessInvN[a * k + b];
                r[b] = s;
            }
            alrPs[i] = r;
        }
        var resid = new double[n];
        for (int i = 0; i < n; i++) resid[i] = method == DidMethod.Ipw ? dY[i] : dY[i] - outDelta![i];
        double eT = 0, eC = 0;
        for (int i = 0; i < n; i++) { eT += wT[i] * resid[i]; eC += wC[i] * resid[i]; }
        eT /= n * mwT; eC /= n * mwC;
        var m2 = new double[k];
        for (int i = 0; i < n; i++) for (int a = 0; a < k; a++) m2[a] += wC[i] * (resid[i] - eC) * x[i][a] / n;
        var infl = new double[n];
        if (method == DidMethod.Ipw)
        {
            for (int i = 0; i < n; i++)
            {
                double infT = (wT[i] * resid[i] - wT[i] * eT) / mwT;
                double infC = (wC[i] * resid[i] - wC[i] * eC + Dot(alrPs[i], m2)) / mwC;
                infl[i] = infT - infC;
            }
            return (eT - eC, infl);
        }
        var m1d = new double[k];
        var m3 = new double[k];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++) { m1d[a] += wT[i] * x[i][a] / n; m3[a] += wC[i] * x[i][a] / n; }
        for (int i = 0; i < n; i++)
        {
            double infT = (wT[i] * resid[i] - wT[i] * eT - Dot(alrOls![i], m1d)) / mwT;
            double infC = (wC[i] * resid[i] - wC[i] * eC + Dot(alrPs[i], m2) - Dot(alrOls![i], m3)) / mwC;
            infl[i] = infT - infC;
        }
        return (eT - eC, infl);
    }

    /// <summary>Logit of d on x by Newton–Raphson to machine precision; the fitted probabilities.</summary>
    private static double[] LogitFit(double[] d, double[][] x)
    {
        int n = d.Length, k = x[0].Length;
        var beta = new double[k];
        double mean = Mean(d);
        if (mean <= 0 || mean >= 1) throw new InputException("the propensity score needs both treated and comparison units in every 2×2 comparison.");
        beta[0] = Math.Log(mean / (1 - mean)) / (x[0][0] == 0 ? 1 : x[0][0]);
        var p = new double[n];
        for (int iter = 0; iter < 100; iter++)
        {
            var h = new double[k * k];
            var g = new double[k];
            for (int i = 0; i < n; i++)
            {
                double e = Dot(x[i], beta);
                p[i] = e >= 0 ? 1 / (1 + Math.Exp(-e)) : Math.Exp(e) / (1 + Math.Exp(e));
                double w = p[i] * (1 - p[i]);
                for (int a = 0; a < k; a++)
                {
                    g[a] += (d[i] - p[i]) * x[i][a];
                    for (int b = 0; b < k; b++) h[a * k + b] += w * x[i][a] * x[i][b];
                }
            }
            var hinv = Invert(h, k, "the propensity-score logit (covariates collinear or perfectly separating the treated units)");
            var step = MulVec(hinv, g, k);
            double change = 0;
            for (int a = 0; a < k; a++) { beta[a] += step[a]; change = Math.Max(change, Math.Abs(step[a]) / (1 + Math.Abs(beta[a]))); }
            if (change < 1e-13) break;
            if (iter == 99) throw new InputException("the propensity-score logit did not converge in 100 iterations (separation?).");
        }
        for (int i = 0; i < n; i++)
        {
            double e = Dot(x[i], beta);
            p[i] = e >= 0 ? 1 / (1 + Math.Exp(-e)) : Math.Exp(e) / (1 + Math.Exp(e));
        }
        return p;
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    internal static double Mean(double[] a)
    {
        double s = 0;
        foreach (var v in a) s += v;
        return s / a.Length;
    }

    private static double[] MulVec(double[] m, double[] v, int k)
    {
        var r = new double[k];
        for (int a = 0; a < k; a++) { double s = 0; for (int b = 0; b < k; b++) s += m[a * k + b] * v[b]; r[a] = s; }
        return r;
    }

    /// <summary>Inverse of a small symmetric positive definite matrix (Gauss–Jordan with partial pivoting); an <see cref="InputException"/> when singular.</summary>
    internal static double[] Invert(double[] a, int k, string what)
    {
        var m = (double[])a.Clone();
        var inv = new double[k * k];
        for (int i = 0; i < k; i++) inv[i * k + i] = 1;
        double scale = 0;
        for (int i = 0; i < k; i++) scale = Math.Max(scale, Math.Abs(m[i * k + i]));
        for (int c = 0; c < k; c++)
        {
            int piv = c;
            for (int r = c + 1; r < k; r++) if (Math.Abs(m[r * k + c]) > Math.Abs(m[piv * k + c])) piv = r;
            if (Math.Abs(m[piv * k + c]) <= 1e-12 * Math.Max(scale, 1e-300))
                throw new InputException($"singular design in {what}.");
            if (piv != c)
                for (int j = 0; j < k; j++)
                {
                    (m[c * k + j], m[piv * k + j]) = (m[piv * k + j], m[c * k + j]);
                    (inv[c * k + j], inv[piv * k + j]) = (inv[piv * k + j], inv[c * k + j]);
                }
            double p = m[c * k + c];
            for (int j = 0; j < k; j++) { m[c * k + j] /= p; inv[c * k + j] /= p; }
            for (int r = 0; r < k; r++)
            {
                if (r == c) continue;
                double f = m[r * k + c];
                if (f == 0) continue;
                for (int j = 0; j < k; j++) { m[r * k + j] -= f * m[c * k + j]; inv[r * k + j] -= f * inv[c * k + j]; }
            }
        }
        return inv;
    }
}
