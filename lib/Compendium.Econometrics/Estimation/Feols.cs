using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Econometrics.Estimation;

/// <summary>Options of <see cref="Feols"/> beyond the formula and the variance estimator.</summary>
/// <param name="Weights">A column of analytic weights (rows with weight 0 or missing are dropped); null for none.</param>
/// <param name="DropSingletons">Drop singleton observations iteratively (default true, as reghdfe; fixest keeps them).</param>
/// <param name="MaxIterations">Iteration limit of the conjugate-gradient within transformation (large networks of fixed
/// effects, see <see cref="Demeaner"/>); reaching it is an <see cref="InputException"/> naming the fixed effects.</param>
/// <param name="OverwriteData">Demean the outcome and regressor columns of the data table in place instead of copying
/// them (saves one copy of the model's data; the table's values are the demeaned ones afterwards). For callers that
/// do not use the table again, such as the command line.</param>
/// <param name="IterativeDemeaning">Solve the fixed effects by conjugate gradients even where the exact direct method
/// would be chosen (for checks and comparisons; see <see cref="Demeaner"/>).</param>
public sealed record FeolsOptions(string? Weights = null, bool DropSingletons = true, int MaxIterations = Demeaner.MaxIterations,
    bool OverwriteData = false, bool IterativeDemeaning = false)
{
    /// <summary>No weights; singletons dropped.</summary>
    public static FeolsOptions Default { get; } = new();
}

/// <summary>
/// Ordinary least squares with any number of absorbed fixed effects (the fixest <c>feols</c> model):
/// y = Xβ + Σ_q D_q α_q + ε, estimated by the within transformation (<see cref="Demeaner"/>) and a QR
/// solve of the transformed regressors (<see cref="Numerics.OlsSolver"/>), with variances from a
/// <see cref="Vcov"/> strategy. Missing values are deleted listwise and counted; singletons are dropped
/// (Correia 2015) and counted; collinear regressors are dropped and named.
/// </summary>
/// <example><code>
/// var r = Feols.Fit(panel, "resilience ~ treat + fdi | city_code + year", Vcov.Cluster("city_code"));
/// var pre = r.Wald("rel_year::-3", "rel_year::-2");
/// </code></example>
public static class Feols
{
    /// <summary>Fit a formula (see <see cref="Formula"/>); default variance: iid.</summary>
    public static FeolsResult Fit(ColumnTable data, string formula, Vcov? vcov = null, FeolsOptions? options = null) =>
        Fit(data, Formula.Parse(formula), vcov, options);

    /// <summary>
    /// Fit a parsed formula: β̂ = (X̃′WX̃)⁻¹X̃′Wỹ with X̃, ỹ the within-transformed (fixed-effects demeaned)
    /// regressors and outcome and W the analytic weights (identity without weights); variance from
    /// <paramref name="vcov"/> (default iid).
    /// </summary>
    /// <param name="data">The data; every variable of the formula must be a column.</param>
    /// <param name="formula">The model (no IV part: use <see cref="Iv2sls"/>).</param>
    /// <param name="vcov">Variance estimator; null for <see cref="Vcov.Iid"/>.</param>
    /// <param name="options">Weights and singleton handling; null for <see cref="FeolsOptions.Default"/>.</param>
    public static FeolsResult Fit(ColumnTable data, Formula formula, Vcov? vcov = null, FeolsOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        return Prepare(data, formula, vcov.Variables, options).Fit(vcov);
    }

    /// <summary>
    /// Evaluate and demean the design once, for several fits: different variance estimators, or a
    /// placebo loop that replaces one regressor (<see cref="DemeanedDesign.WithRegressor"/>).
    /// </summary>
    /// <param name="data">The data; every variable of the formula must be a column.</param>
    /// <param name="formula">The model (no IV part).</param>
    /// <param name="clusterVariables">Variables that later variance estimators will cluster by (they take part in listwise deletion).</param>
    /// <param name="options">Weights and singleton handling; null for <see cref="FeolsOptions.Default"/>.</param>
    public static DemeanedDesign Prepare(ColumnTable data, Formula formula, IEnumerable<string>? clusterVariables = null, FeolsOptions? options = null)
    {
        if (formula.Iv is not null)
            throw Formula.ErrorAt(formula.Text, formula.Text.LastIndexOf('|') + 1, formula.Text.Length - formula.Text.LastIndexOf('|') - 1,
                "this formula has an IV part; estimate it with Iv2sls, not Feols");
        options ??= FeolsOptions.Default;
        var frame = ModelFrame.Build(formula, data, clusterVariables ?? [], options.Weights, options.DropSingletons);
        return new DemeanedDesign(frame, options);
    }

    /// <inheritdoc cref="Prepare(ColumnTable, Formula, IEnumerable{string}?, FeolsOptions?)"/>
    public static DemeanedDesign Prepare(ColumnTable data, string formula, IEnumerable<string>? clusterVariables = null, FeolsOptions? options = null) =>
        Prepare(data, Formula.Parse(formula), clusterVariables, options);
}
