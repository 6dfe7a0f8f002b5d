using System.Collections.Immutable;
using System.Text.Json;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// The result of <see cref="Feols"/>: immutable, with everything a table, a test or a later
/// estimator needs (the <see cref="EstimationResult"/> contract plus the fit statistics of least squares).
/// </summary>
/// <param name="Formula">The formula as given.</param>
/// <param name="Coefficients">Kept regressors in formula order.</param>
/// <param name="Variance">The variance estimate (matrix, t degrees of freedom, convention text).</param>
/// <param name="VcovName">iid, hetero or cluster:VAR[+VAR].</param>
/// <param name="Sample">Observations used, rows dropped (missing, singletons), collinear regressors dropped, fixed effects.</param>
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
    SampleInfo Sample,
    double Rss,
    double R2,
    double R2Within,
    double AdjustedR2,
    int ResidualDf,
    TestStatistic FTest,
    string DemeaningMethod) : EstimationResult(Formula, Coefficients, Variance, VcovName, Sample)
{
    /// <inheritdoc/>
    public override string Estimator => "feols";

    internal static FeolsResult Create(string formula, string[] names, double[] beta, VcovEstimate v, string vcovName, SampleInfo sample,
        double rss, double tss, double tssWithin, int kFull, string method, bool hasIntercept, double ySumSquares = double.NaN)
    {
        int k = names.Length, n = sample.Nobs;
        var coefs = Coefficient.FromEstimates(names, beta, v);
        int df = n - kFull;
        double r2 = 1 - rss / tss;
        int slopes = hasIntercept ? k - 1 : k;
        double f = slopes > 0 ? ((tssWithin - rss) / slopes) / (rss / df) : double.NaN;
        var ftest = new TestStatistic("F (iid)", f, slopes > 0 ? Distributions.UpperF(f, slopes, df) : double.NaN, slopes, df, "all slope coefficients are zero");
        // Rounding leaves sums of squares of order n·(ε·|y|)² where the true value is 0, so they are compared with Σy².
        double noise = 1e-20 * (double.IsNaN(ySumSquares) ? tss : ySumSquares);
        string? why = df <= 0 ? $"no residual degrees of freedom (n − K = {df})"
            : tss <= noise ? "the outcome does not vary"
            : sample.FixedEffects.Length > 0 && tssWithin <= noise ? "the outcome does not vary within the fixed effects"
            : rss <= noise || rss <= 1e-12 * tss ? "the model fits the outcome exactly (no residual variation)"
            : null;
        // R² is undefined (not −∞) when the outcome does not vary.
        if (tss <= noise) r2 = double.NaN;
        double r2Within = sample.FixedEffects.Length > 0 && tssWithin > noise ? 1 - rss / tssWithin : double.NaN;
        return new FeolsResult(formula, coefs, v, vcovName, sample, rss, r2, r2Within, 1 - (1 - r2) * (n - 1) / df, df,
            why is null ? ftest : ftest with { Reason = why }, method) { InferenceNotComputableReason = why };
    }

    /// <summary>
    /// Joint Wald tests (<see cref="EstimationResult.Wald(string[])"/>) refer F to F(q, n − K) as fixest's
    /// <c>wald()</c> does, also under clustering (Stata's <c>test</c> after clustered estimation uses
    /// F(q, G − 1), which is more conservative when G is small). The degrees of freedom are printed with the statistic.
    /// </summary>
    protected override double WaldDenominatorDf => ResidualDf;

    /// <summary>
    /// No inference when there is nothing left to estimate a variance from: no residual degrees of freedom
    /// (n ≤ K), an outcome that does not vary (TSS ≤ 10⁻²⁰ Σy², i.e. rounding), nor within the fixed effects,
    /// or an exact fit (RSS ≤ 10⁻¹² TSS).
    /// </summary>
    public override string? InferenceNotComputable => InferenceNotComputableReason;

    /// <summary>The reason behind <see cref="InferenceNotComputable"/>, decided when the model is fitted (null: inference is computable).</summary>
    public string? InferenceNotComputableReason { get; init; }

    /// <summary>R² and, with fixed effects, the within R².</summary>
    public override IEnumerable<FitStatistic> FitStatistics() =>
        [new("r2", "R²", R2), new("r2_within", "Within R²", R2Within)];

    /// <summary>Notes under a table: the variance convention, samples dropped, demeaning.</summary>
    public override ImmutableArray<string> Notes() => [Variance.Description, .. Sample.Notes(DemeaningMethod)];

    /// <inheritdoc/>
    protected internal override void WriteJsonDiagnostics(Utf8JsonWriter w)
    {
        ResultJson.Num(w, "r2_adjusted", AdjustedR2);
        ResultJson.Num(w, "rss", Rss);
        w.WriteNumber("residual_df", ResidualDf);
        w.WritePropertyName("f_test");
        ResultJson.Test(w, FTest);
        w.WriteString("demeaning", DemeaningMethod);
    }
}
