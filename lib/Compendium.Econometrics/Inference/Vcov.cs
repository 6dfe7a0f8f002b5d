using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Inference;

/// <summary>Which small-sample conventions a variance estimator follows.</summary>
public enum SmallSampleConvention
{
    /// <summary>
    /// fixest's defaults, <c>ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE, cluster.df = "min", t.df = "min")</c>:
    /// K = k + Σ levels of the fixed effects − (Q − 1); with clustering, each fixed effect nested in a
    /// cluster variable counts 1 instead of its levels. iid: σ̂² = RSS/(n − K); hetero: HC0 × n/(n − K);
    /// cluster: CR0 × G/(G − 1) × (n − 1)/(n − K) with G the smallest number of clusters; t tests use
    /// n − K degrees of freedom, or G − 1 when clustered.
    /// </summary>
    Fixest,
    /// <summary>
    /// Stata reghdfe's: K = k + 1 (the constant reghdfe reports) + Σ over fixed effects not nested in a
    /// cluster variable of (levels − 1); otherwise the same factors as <see cref="Fixest"/>. It differs from
    /// fixest only when no fixed effect is nested in the cluster (reghdfe then does not subtract the
    /// extra redundancies of more than two factors, fixest subtracts Q − 1).
    /// </summary>
    Reghdfe,
}

/// <summary>The inputs every variance estimator needs, on the estimation sample after the within transformation.</summary>
public sealed class VcovContext
{
    internal VcovContext(int nobs, IReadOnlyList<double[]> regressors, double[] residuals, double[] bread,
        IReadOnlyList<Factor> fixedEffects, Func<string, Factor> clusterFactor)
    {
        Nobs = nobs; Regressors = regressors; Residuals = residuals; Bread = bread;
        FixedEffects = fixedEffects; ClusterFactor = clusterFactor;
    }

    /// <summary>Observations n in the estimation sample.</summary>
    public int Nobs { get; }
    /// <summary>Kept regressors, demeaned and multiplied by √w.</summary>
    internal IReadOnlyList<double[]> Regressors { get; }
    internal double[] Residuals { get; }
    /// <summary>(X'X)⁻¹, row-major.</summary>
    internal double[] Bread { get; }
    /// <summary>The absorbed fixed effects (they enter K in the small-sample factor unless nested in a cluster).</summary>
    public IReadOnlyList<Factor> FixedEffects { get; }
    internal Func<string, Factor> ClusterFactor { get; }
    /// <summary>Number of kept (non-collinear) regressors, fixed effects not counted.</summary>
    public int K => Regressors.Count;

    /// <summary>
    /// Fail with a clear message when the sample cannot identify the residual variance:
    /// n − K &lt; 1 with K = regressors + fixed-effect levels − (Q − 1). Every variance estimator divides by n − K.
    /// </summary>
    internal void EnsureResidualDegreesOfFreedom(string formula)
    {
        int k = ParameterCount(SmallSampleConvention.Fixest, []);
        if (Nobs - k < 1)
            throw new InputException($"'{formula}': {Nobs} observation(s) but {k} parameter(s) including fixed effects; no residual degrees of freedom are left to estimate the variance.");
    }

    /// <summary>Number of estimated parameters K for the small-sample factor (see <see cref="SmallSampleConvention"/>).</summary>
    internal int ParameterCount(SmallSampleConvention convention, IReadOnlyList<Factor> clusters)
    {
        var fes = FixedEffects;
        if (fes.Count == 0) return K;
        bool Nested(Factor f) => clusters.Any(f.IsNestedIn);
        if (convention == SmallSampleConvention.Reghdfe)
            return K + 1 + fes.Where(f => !Nested(f)).Sum(f => f.Levels - 1);
        int kfe = fes.Sum(f => f.Levels) - (fes.Count - 1);
        foreach (var f in fes) if (Nested(f)) kfe -= f.Levels - 1;
        return K + kfe;
    }
}

/// <summary>A variance–covariance matrix of the coefficients and how it was made.</summary>
/// <param name="Matrix">Row-major k×k.</param>
/// <param name="DegreesOfFreedom">Of the Student t distribution used for p-values and intervals; +∞ for normal (z) inference, as in maximum likelihood.</param>
/// <param name="ParameterCount">K in the small-sample factor.</param>
/// <param name="Adjustment">The small-sample factor applied.</param>
/// <param name="Clusters">Cluster variables and their number of groups.</param>
/// <param name="Description">One line for the notes under a table.</param>
/// <param name="EigenvalueFixed">True when a multiway cluster matrix was not positive semidefinite and was rebuilt with its negative eigenvalues set to zero.</param>
public sealed record VcovEstimate(ImmutableArray<double> Matrix, double DegreesOfFreedom, int ParameterCount, double Adjustment,
    ImmutableArray<(string Name, int Groups)> Clusters, string Description, bool EigenvalueFixed = false);

/// <summary>
/// A variance estimator (strategy): <see cref="Iid"/>, <see cref="Hetero"/> (HC1) or
/// <see cref="Cluster(string[])"/> (CR1, one-way or multiway). Small-sample conventions follow
/// <see cref="SmallSampleConvention.Fixest"/> unless <see cref="WithConvention"/> says otherwise.
/// </summary>
public abstract class Vcov
{
    private protected Vcov(SmallSampleConvention convention) { Convention = convention; }

    /// <summary>How K in the small-sample factor counts fixed effects (<see cref="SmallSampleConvention"/>).</summary>
    public SmallSampleConvention Convention { get; }

    /// <summary>Homoskedastic: V = σ̂²(X̃'X̃)⁻¹, σ̂² = RSS/(n − K).</summary>
    public static Vcov Iid { get; } = new IidVcov(SmallSampleConvention.Fixest);
    /// <summary>Heteroskedasticity-robust HC1: V = n/(n − K) · (X̃'X̃)⁻¹ Σ ê²x̃x̃' (X̃'X̃)⁻¹ (White 1980; fixest "hetero").</summary>
    public static Vcov Hetero { get; } = new HeteroVcov(SmallSampleConvention.Fixest);
    /// <summary>
    /// Cluster-robust CR1 by one or more variables (Liang–Zeger 1986; multiway: Cameron, Gelbach and
    /// Miller 2011, J. Bus. Econ. Stat. 29(2), V = Σ over non-empty subsets s of the cluster variables of
    /// (−1)^{|s|+1} V_s, where V_s clusters by the intersection of the variables in s).
    /// </summary>
    public static Vcov Cluster(params string[] variables) => new ClusterVcov(variables.ToImmutableArray(), SmallSampleConvention.Fixest);

    /// <summary>Parse "iid", "hetero" (or "hc1"), "cluster:VAR" or "cluster:VAR1+VAR2".</summary>
    public static Vcov Parse(string spec)
    {
        var s = spec.Trim();
        if (s.Equals("iid", StringComparison.OrdinalIgnoreCase)) return Iid;
        if (s.Equals("hetero", StringComparison.OrdinalIgnoreCase) || s.Equals("hc1", StringComparison.OrdinalIgnoreCase)) return Hetero;
        if (s.StartsWith("cluster:", StringComparison.OrdinalIgnoreCase))
        {
            var vars = s["cluster:".Length..].Split('+', StringSplitOptions.TrimEntries);
            if (vars.Length is >= 1 and <= 4 && vars.All(v => v.Length > 0)) return Cluster(vars);
        }
        throw new InputException($"vcov '{spec}': expected iid, hetero, cluster:VAR or cluster:VAR1+VAR2");
    }

    /// <summary>
    /// True when the estimator assumes homoskedastic, independent errors (iid). Estimators whose
    /// diagnostics differ under that assumption (e.g. Cragg–Donald vs Kleibergen–Paap in 2SLS) ask this,
    /// never the name.
    /// </summary>
    public virtual bool AssumesHomoskedasticity => false;

    /// <summary>The data columns the estimator needs (cluster variables); missing values there drop the row.</summary>
    public virtual ImmutableArray<string> Variables => [];

    /// <summary>The same estimator under another small-sample convention.</summary>
    public abstract Vcov WithConvention(SmallSampleConvention convention);

    /// <summary>Compute the estimate for a fitted model.</summary>
    public abstract VcovEstimate Compute(VcovContext context);

    /// <summary>Short name used in JSON and table notes: iid, hetero, cluster:a+b.</summary>
    public abstract string Name { get; }

    /// <summary>The short name (<see cref="Name"/>).</summary>
    public override string ToString() => Name;

    private protected string ConventionText => Convention == SmallSampleConvention.Fixest ? "fixest" : "reghdfe";

    // B M B for a meat matrix M (k×k row-major).
    private protected static double[] Sandwich(double[] bread, double[] meat, int k)
    {
        var tmp = new double[k * k];
        var v = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) { double s = 0; for (int m = 0; m < k; m++) s += bread[i * k + m] * meat[m * k + j]; tmp[i * k + j] = s; }
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) { double s = 0; for (int m = 0; m < k; m++) s += tmp[i * k + m] * bread[m * k + j]; v[i * k + j] = s; }
        // exact symmetry
        for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) { double a = 0.5 * (v[i * k + j] + v[j * k + i]); v[i * k + j] = a; v[j * k + i] = a; }
        return v;
    }

}

internal sealed class IidVcov(SmallSampleConvention c) : Vcov(c)
{
    public override string Name => "iid";
    public override bool AssumesHomoskedasticity => true;
    public override Vcov WithConvention(SmallSampleConvention convention) => new IidVcov(convention);
    public override VcovEstimate Compute(VcovContext ctx)
    {
        int n = ctx.Nobs, k = ctx.K;
        int K = ctx.ParameterCount(Convention, []);
        double rss = Vectors.Dot(ctx.Residuals, ctx.Residuals);
        double s2 = rss / (n - K);
        var v = ctx.Bread.Select(b => b * s2).ToImmutableArray();
        return new VcovEstimate(v, n - K, K, 1.0, [],
            $"Standard errors: iid, σ² = RSS/(n − K), K = {K} ({ConventionText} convention); t({n - K}) for p-values and 95% intervals.");
    }
}

internal sealed class HeteroVcov(SmallSampleConvention c) : Vcov(c)
{
    public override string Name => "hetero";
    public override Vcov WithConvention(SmallSampleConvention convention) => new HeteroVcov(convention);
    public override VcovEstimate Compute(VcovContext ctx)
    {
        int n = ctx.Nobs, k = ctx.K;
        int K = ctx.ParameterCount(Convention, []);
        var meat = new double[k * k];
        var e2 = ctx.Residuals.Select(e => e * e).ToArray();
        var x = ctx.Regressors;
        Parallel.For(0, k, a =>
        {
            for (int b = 0; b <= a; b++)
            {
                double s = 0;
                var xa = x[a]; var xb = x[b];
                for (int i = 0; i < n; i++) s += xa[i] * xb[i] * e2[i];
                meat[a * k + b] = s; meat[b * k + a] = s;
            }
        });
        double adj = (double)n / (n - K);
        var v = Sandwich(ctx.Bread, meat, k).Select(z => z * adj).ToImmutableArray();
        return new VcovEstimate(v, n - K, K, adj, [],
            $"Standard errors: heteroskedasticity-robust (HC1), HC0 × n/(n − K), K = {K} ({ConventionText} convention); t({n - K}) for p-values and 95% intervals.");
    }
}

internal sealed class ClusterVcov(ImmutableArray<string> variables, SmallSampleConvention c) : Vcov(c)
{
    public override ImmutableArray<string> Variables => variables;
    public override string Name => "cluster:" + string.Join("+", variables);
    public override Vcov WithConvention(SmallSampleConvention convention) => new ClusterVcov(variables, convention);

    public override VcovEstimate Compute(VcovContext ctx)
    {
        int n = ctx.Nobs, k = ctx.K;
        var factors = variables.Select(ctx.ClusterFactor).ToArray();
        int K = ctx.ParameterCount(Convention, factors);
        var meat = new double[k * k];
        // Inclusion–exclusion over the non-empty subsets of the cluster variables (CGM 2011).
        int m = factors.Length;
        foreach (var (f, sign) in Factor.InclusionExclusion(factors))
        {
            var part = ClusterMeat(f, ctx.Regressors, ctx.Residuals, k);
            for (int i = 0; i < meat.Length; i++) meat[i] += sign * part[i];
        }
        int gmin = factors.Min(f => f.Levels);
        if (gmin < 2) throw new InputException($"cluster-robust standard errors need at least two clusters; '{factors.First(f => f.Levels == gmin).Name}' has {gmin}.");
        double adj = (double)gmin / (gmin - 1) * (n - 1) / (n - K);
        var v = Sandwich(ctx.Bread, meat, k).Select(z => z * adj).ToArray();
        bool fixedEig = m > 1 && EigenFix(v, k);
        var clusters = factors.Select(f => (f.Name, f.Levels)).ToImmutableArray();
        string groups = string.Join(", ", clusters.Select(c => $"{c.Name}: {c.Levels}"));
        string text = m == 1
            ? $"Standard errors: clustered by {variables[0]} ({gmin} clusters), CR1 = CR0 × G/(G − 1) × (n − 1)/(n − K), K = {K} (fixed effects nested in the cluster count 1; {ConventionText} convention); t({gmin - 1}) for p-values and 95% intervals."
            : $"Standard errors: multiway clustered by {string.Join(" and ", variables)} ({groups}; Cameron–Gelbach–Miller), × Gmin/(Gmin − 1) × (n − 1)/(n − K), Gmin = {gmin}, K = {K} ({ConventionText} convention){(fixedEig ? "; negative eigenvalues set to zero" : "")}; t({gmin - 1}) for p-values and 95% intervals.";
        return new VcovEstimate(v.ToImmutableArray(), gmin - 1, K, adj, clusters, text, fixedEig);
    }

    private static double[] ClusterMeat(Factor f, IReadOnlyList<double[]> x, double[] e, int k)
    {
        int g = f.Levels, n = e.Length;
        var codes = f.Codes;
        var sums = new double[g * k];
        // one pass: each row adds its score x_i e_i to its cluster's sum
        for (int i = 0; i < n; i++)
        {
            int off = codes[i] * k;
            double ei = e[i];
            for (int a = 0; a < k; a++) sums[off + a] += x[a][i] * ei;
        }
        var meat = new double[k * k];
        for (int c = 0; c < g; c++)
            for (int a = 0; a < k; a++)
            {
                double sa = sums[c * k + a];
                for (int b = 0; b <= a; b++) meat[a * k + b] += sa * sums[c * k + b];
            }
        for (int a = 0; a < k; a++) for (int b = 0; b < a; b++) meat[b * k + a] = meat[a * k + b];
        return meat;
    }

    // Multiway matrices can fail to be positive semidefinite; like fixest (vcov.fix) and CGM (2011,
    // section 2.3) we then rebuild V from its eigen decomposition with negative eigenvalues set to zero.
    private static bool EigenFix(double[] v, int k)
    {
        var mat = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k, k, (i, j) => v[i * k + j]);
        var evd = mat.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(z => z.Real).ToArray();
        if (values.All(z => z >= 0)) return false;
        var u = evd.EigenVectors;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double s = 0;
                for (int h = 0; h < k; h++) s += u[i, h] * Math.Max(values[h], 0) * u[j, h];
                v[i * k + j] = s;
            }
        return true;
    }
}
