using System.Collections.Immutable;
using System.Globalization;
using Compendium.Inference;
using Compendium.Tables;

namespace Compendium.Estimation;

/// <summary>One estimated coefficient with its inference (t test and 95% interval on t(df)).</summary>
public sealed record Coefficient(string Name, double Estimate, double StdError, double T, double P, double CiLow, double CiHigh)
{
    /// <summary>
    /// The coefficients β̂ with SE = √V̂_jj, t = β̂/SE, two-sided p and 95% interval β̂ ± t_{0.975}(df)·SE on
    /// the variance's degrees of freedom (t(G − 1) when clustered, t(n − K) otherwise): one rule for every estimator.
    /// </summary>
    public static ImmutableArray<Coefficient> FromEstimates(IReadOnlyList<string> names, IReadOnlyList<double> beta, VcovEstimate v)
    {
        int k = names.Count;
        double q = Distributions.TQuantile(0.975, v.DegreesOfFreedom);
        var coefs = ImmutableArray.CreateBuilder<Coefficient>(k);
        for (int j = 0; j < k; j++)
        {
            double se = Math.Sqrt(v.Matrix[j * k + j]), t = beta[j] / se;
            coefs.Add(new Coefficient(names[j], beta[j], se, t, Distributions.TwoSidedT(t, v.DegreesOfFreedom), beta[j] - q * se, beta[j] + q * se));
        }
        return coefs.MoveToImmutable();
    }
}

/// <summary>
/// The result of <see cref="Feols"/>: immutable, with everything a table, a test or a later
/// estimator needs. <see cref="ToTable"/> renders it; <see cref="RegressionTable"/> combines several.
/// </summary>
/// <param name="Formula">The formula as given.</param>
/// <param name="Coefficients">Kept regressors in formula order.</param>
/// <param name="Variance">The variance estimate (matrix, t degrees of freedom, convention text).</param>
/// <param name="VcovName">iid, hetero or cluster:VAR[+VAR].</param>
/// <param name="Nobs">Observations used.</param>
/// <param name="MissingDropped">Rows removed for a missing value in any variable used (listwise deletion).</param>
/// <param name="SingletonsDropped">Singleton rows removed (iteratively).</param>
/// <param name="FixedEffects">Fixed effects and their numbers of levels in the sample.</param>
/// <param name="CollinearDropped">Regressors dropped as collinear (with earlier regressors or the fixed effects).</param>
/// <param name="Rss">Residual sum of squares (weighted when weighted).</param>
/// <param name="R2">1 − RSS/TSS, TSS about the (weighted) mean.</param>
/// <param name="R2Within">1 − RSS/TSS of the demeaned outcome (NaN without fixed effects).</param>
/// <param name="AdjustedR2">1 − (1 − R²)(n − 1)/(n − K).</param>
/// <param name="ResidualDf">n − K with K = regressors + Σ levels − (Q − 1) (fixest's nparams).</param>
/// <param name="FTest">The model F test that all slopes are zero, iid form as fixest's fitstat "f": ((TSS_w − RSS)/k)/(RSS/(n − K)).</param>
/// <param name="DemeaningMethod">How the fixed effects were absorbed.</param>
public sealed record FeolsResult(
    string Formula,
    ImmutableArray<Coefficient> Coefficients,
    VcovEstimate Variance,
    string VcovName,
    int Nobs,
    int MissingDropped,
    int SingletonsDropped,
    ImmutableArray<(string Name, int Levels)> FixedEffects,
    ImmutableArray<string> CollinearDropped,
    double Rss,
    double R2,
    double R2Within,
    double AdjustedR2,
    int ResidualDf,
    TestStatistic FTest,
    string DemeaningMethod)
{
    internal static FeolsResult Create(string formula, string[] names, double[] beta, VcovEstimate v, string vcovName, int n,
        int missing, int singletons, ImmutableArray<(string, int)> fes, ImmutableArray<string> collinear,
        double rss, double tss, double tssWithin, int kFull, string method, bool hasIntercept)
    {
        int k = names.Length;
        var coefs = Coefficient.FromEstimates(names, beta, v);
        int df = n - kFull;
        double r2 = 1 - rss / tss;
        int slopes = hasIntercept ? k - 1 : k;
        double f = slopes > 0 ? ((tssWithin - rss) / slopes) / (rss / df) : double.NaN;
        var ftest = new TestStatistic("F (iid)", f, slopes > 0 ? Distributions.UpperF(f, slopes, df) : double.NaN, slopes, df, "all slope coefficients are zero");
        return new FeolsResult(formula, coefs, v, vcovName, n, missing, singletons, fes, collinear, rss, r2,
            fes.Length > 0 ? 1 - rss / tssWithin : double.NaN, 1 - (1 - r2) * (n - 1) / df, df, ftest, method);
    }

    /// <summary>The coefficient called <paramref name="name"/>; an <see cref="InputException"/> listing the names otherwise.</summary>
    public Coefficient this[string name] => Coefficients.FirstOrDefault(c => c.Name == name)
        ?? throw new InputException($"no coefficient '{name}' in '{Formula}'" + (CollinearDropped.Contains(name) ? " (it was dropped as collinear)" : "") +
                                    $"; coefficients: {string.Join(", ", Coefficients.Select(c => c.Name))}");

    /// <summary>The smallest number of clusters over the cluster variables (the G of the small-sample factor and of t(G − 1)), or null when not clustered; <see cref="VcovEstimate.Clusters"/> lists each.</summary>
    public int? Clusters => Variance.Clusters.Length > 0 ? Variance.Clusters.Min(c => c.Groups) : null;

    /// <summary>The variance matrix as a k×k array (a copy).</summary>
    public double[,] VcovMatrix()
    {
        int k = Coefficients.Length;
        var m = new double[k, k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) m[i, j] = Variance.Matrix[i * k + j];
        return m;
    }

    /// <summary>
    /// Joint Wald test that the named coefficients are all zero (e.g. the pre-treatment leads of an event
    /// study): F = β̂_R'(V̂_R)⁻¹β̂_R / q with the model's variance V̂, referred to F(q, n − K) as fixest's
    /// <c>wald()</c> does, also under clustering (Stata's <c>test</c> after clustered estimation uses
    /// F(q, G − 1), which is more conservative when G is small). The degrees of freedom are printed with the statistic.
    /// </summary>
    public TestStatistic Wald(params string[] names)
    {
        if (names.Length == 0) throw new ArgumentException("name at least one coefficient");
        int k = Coefficients.Length;
        var r = new double[names.Length, k];
        for (int a = 0; a < names.Length; a++)
        {
            var c = this[names[a]];
            r[a, Coefficients.IndexOf(c)] = 1;
        }
        return Wald(r, null, string.Join(" = ", names) + " = 0");
    }

    /// <summary>Wald test of R β = r (R is q×k over <see cref="Coefficients"/> in order).</summary>
    public TestStatistic Wald(double[,] r, double[]? rhs, string nullText) =>
        WaldTest.F(Coefficients.Select(c => c.Estimate).ToArray(), Variance.Matrix, r, rhs, ResidualDf, nullText);

    /// <summary>Notes under a table: the variance convention, samples dropped, demeaning.</summary>
    public ImmutableArray<string> Notes()
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.Add(Variance.Description);
        var dropped = new List<string>();
        if (MissingDropped > 0) dropped.Add($"{MissingDropped} rows with missing values");
        if (SingletonsDropped > 0) dropped.Add($"{SingletonsDropped} singleton observations (iteratively, Correia 2015)");
        if (dropped.Count > 0) notes.Add("Dropped: " + string.Join("; ", dropped) + ".");
        if (CollinearDropped.Length > 0) notes.Add("Collinear regressors dropped: " + string.Join(", ", CollinearDropped) + ".");
        if (FixedEffects.Length > 0) notes.Add("Fixed effects absorbed: " + string.Join(", ", FixedEffects.Select(f => $"{f.Name} ({f.Levels} levels)")) + $"; within transformation: {DemeaningMethod}.");
        return notes.ToImmutable();
    }

    /// <summary>A coefficient table: estimate, SE, t, p, 95% interval; fit statistics below.</summary>
    public Table ToTable(string id = "feols", string? title = null)
    {
        var rows = Coefficients.Select(c => new TableRow(c.Name, Num(c.Estimate), Num(c.StdError), Num(c.T, 3), Num(c.P, 4), Num(c.CiLow), Num(c.CiHigh))).ToList();
        rows.Add(new TableRow(["Observations", Nobs.ToString(CultureInfo.InvariantCulture), "", "", "", "", ""], true));
        rows.Add(new TableRow("R²", Num(R2, 4), "", "", "", "", ""));
        if (FixedEffects.Length > 0) rows.Add(new TableRow("Within R²", Num(R2Within, 4), "", "", "", "", ""));
        return new Table(id, title ?? Formula, ["", "Estimate", "Std. error", "t", "p", "95% CI low", "95% CI high"], rows, Notes());
    }

    internal static string Num(double v, int digits = 4) =>
        double.IsNaN(v) ? "" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The coefficient table (<see cref="ToTable"/>) as Markdown.</summary>
    public override string ToString() => ToTable().ToMarkdown();
}
