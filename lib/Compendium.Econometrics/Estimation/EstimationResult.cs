using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// The estimation sample: what every estimator reports about the rows it used and the ones it did not.
/// </summary>
/// <param name="Nobs">Observations used.</param>
/// <param name="MissingDropped">Rows removed for a missing value in any variable used (listwise deletion).</param>
/// <param name="SingletonsDropped">Singleton observations removed (iteratively, Correia 2015); 0 without fixed effects.</param>
/// <param name="CollinearDropped">Regressors dropped as collinear (with earlier regressors or the fixed effects).</param>
/// <param name="FixedEffects">Absorbed fixed effects and their numbers of levels in the sample.</param>
public sealed record SampleInfo(int Nobs, int MissingDropped, int SingletonsDropped,
    ImmutableArray<string> CollinearDropped, ImmutableArray<(string Name, int Levels)> FixedEffects)
{
    /// <summary>A sample with no fixed effects, no singletons and nothing dropped as collinear.</summary>
    public static SampleInfo Plain(int nobs, int missingDropped) => new(nobs, missingDropped, 0, [], []);

    /// <summary>"Dropped: …" / "Collinear regressors dropped: …" / "Fixed effects absorbed: …" lines for the notes under a table.</summary>
    public IEnumerable<string> Notes(string? demeaningMethod)
    {
        var dropped = new List<string>();
        if (MissingDropped > 0) dropped.Add($"{MissingDropped} rows with missing values");
        if (SingletonsDropped > 0) dropped.Add($"{SingletonsDropped} singleton observations (iteratively, Correia 2015)");
        if (dropped.Count > 0) yield return "Dropped: " + string.Join("; ", dropped) + ".";
        if (CollinearDropped.Length > 0) yield return "Collinear regressors dropped: " + string.Join(", ", CollinearDropped) + ".";
        if (FixedEffects.Length > 0)
            yield return "Fixed effects absorbed: " + string.Join(", ", FixedEffects.Select(f => $"{f.Name} ({f.Levels} levels)")) +
                         (demeaningMethod is null ? "." : $"; within transformation: {demeaningMethod}.");
    }
}

/// <summary>A goodness-of-fit number shown under the coefficients of a table and written to JSON.</summary>
/// <param name="Key">JSON field name (snake_case), e.g. <c>r2</c>.</param>
/// <param name="Label">Row label in tables, e.g. <c>R²</c>.</param>
/// <param name="Value">The value (NaN: not shown).</param>
/// <param name="Digits">Decimals in tables.</param>
public sealed record FitStatistic(string Key, string Label, double Value, int Digits = 4);

/// <summary>
/// The contract every estimator's result implements: the specification, the coefficients with their
/// inference (SE, t or z, p, 95% interval), the variance estimate and how it was made, the sample,
/// notes, fit statistics, tests, a name indexer with one error type and Wald tests. Regression tables
/// (<c>Output.RegressionTable</c>), the JSON of every command (<see cref="ToJson"/>) and coefficient plots
/// consume this contract, so a new estimator appears in all of them without new output code.
/// </summary>
/// <param name="Formula">The model as given (a formula, or a description of the specification).</param>
/// <param name="Coefficients">The estimated coefficients in display order.</param>
/// <param name="Variance">Their variance estimate (matrix in the order of <paramref name="Coefficients"/>, t degrees of freedom, convention text).</param>
/// <param name="VcovName">The variance estimator's short name: iid, hetero, cluster:VAR[+VAR], or the estimator's own (e.g. <c>mle</c>).</param>
/// <param name="Sample">Observations used and dropped.</param>
public abstract record EstimationResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance,
    string VcovName, SampleInfo Sample)
{
    /// <summary>Short machine name of the estimator (<c>ols</c>, <c>2sls</c>, <c>logit</c>, …), written to JSON.</summary>
    public abstract string Estimator { get; }

    /// <summary>Observations used (<see cref="SampleInfo.Nobs"/>).</summary>
    public int Nobs => Sample.Nobs;
    /// <summary>Rows dropped for missing values (<see cref="SampleInfo.MissingDropped"/>).</summary>
    public int MissingDropped => Sample.MissingDropped;
    /// <summary>Singleton rows dropped (<see cref="SampleInfo.SingletonsDropped"/>).</summary>
    public int SingletonsDropped => Sample.SingletonsDropped;
    /// <summary>Regressors dropped as collinear (<see cref="SampleInfo.CollinearDropped"/>).</summary>
    public ImmutableArray<string> CollinearDropped => Sample.CollinearDropped;
    /// <summary>Absorbed fixed effects and their levels (<see cref="SampleInfo.FixedEffects"/>).</summary>
    public ImmutableArray<(string Name, int Levels)> FixedEffects => Sample.FixedEffects;

    /// <summary>The smallest number of clusters over the cluster variables (the G of the small-sample factor and of t(G − 1)), or null when not clustered.</summary>
    public int? Clusters => Variance.Clusters.Length > 0 ? Variance.Clusters.Min(c => c.Groups) : null;

    /// <summary>The coefficient called <paramref name="name"/>; an <see cref="InputException"/> listing the names otherwise.</summary>
    public Coefficient this[string name] => Coefficients.FirstOrDefault(c => c.Name == name)
        ?? throw new InputException($"no coefficient '{name}' in '{Formula}'" + (CollinearDropped.Contains(name) ? " (it was dropped as collinear)" : "") +
                                    $"; coefficients: {string.Join(", ", Coefficients.Select(c => c.Name))}");

    /// <summary>Denominator degrees of freedom of <see cref="Wald(double[,], double[], string)"/>'s F (the variance's t degrees of freedom unless the estimator says otherwise); +∞ gives the χ²(q)/q form.</summary>
    protected virtual double WaldDenominatorDf => Variance.DegreesOfFreedom;

    /// <summary>
    /// Why no inference of this fit can be computed (every standard error, test and interval), or null:
    /// e.g. an outcome that does not vary, an exact fit, no residual degrees of freedom. Estimators override it.
    /// </summary>
    public virtual string? InferenceNotComputable => null;

    /// <summary>Why coefficient <paramref name="c"/>'s inference cannot be computed (<see cref="InferenceNotComputable"/>, else <see cref="Coefficient.NotComputable"/>), or null.</summary>
    public string? NotComputable(Coefficient c) => InferenceNotComputable ?? c.NotComputable;

    /// <summary>Joint Wald test that the named coefficients are all zero, with this result's variance.</summary>
    public TestStatistic Wald(params string[] names)
    {
        if (names.Length == 0) throw new ArgumentException("name at least one coefficient");
        int k = Coefficients.Length;
        var r = new double[names.Length, k];
        for (int a = 0; a < names.Length; a++) r[a, Coefficients.IndexOf(this[names[a]])] = 1;
        return Wald(r, null, string.Join(" = ", names) + " = 0");
    }

    /// <summary>Wald test of R β = r (R is q×k over <see cref="Coefficients"/> in order): F = (Rβ̂ − r)'(R V̂ R')⁻¹(Rβ̂ − r)/q on F(q, <see cref="WaldDenominatorDf"/>).</summary>
    public TestStatistic Wald(double[,] r, double[]? rhs, string nullText) =>
        WaldTest.F(Coefficients.Select(c => c.Estimate).ToArray(), Variance.Matrix, r, rhs, WaldDenominatorDf, nullText) with { Reason = InferenceNotComputable };

    /// <summary>Goodness of fit shown under the coefficients (R², log-likelihood, …); NaN values are skipped by tables.</summary>
    public virtual IEnumerable<FitStatistic> FitStatistics() => [];

    /// <summary>Tests that belong to the fit (model F, weak-instrument statistics, pre-trend tests, …).</summary>
    public virtual IEnumerable<TestStatistic> Tests() => [];

    /// <summary>Notes under a table: the variance convention, then the sample (<see cref="SampleInfo.Notes"/>).</summary>
    public virtual ImmutableArray<string> Notes() => [Variance.Description, .. Sample.Notes(null)];

    /// <summary>A coefficient table (estimate, SE, t, p, 95% interval), observations, fit statistics and tests below, <see cref="Notes"/> under it.</summary>
    public virtual Table ToTable(string? id = null, string? title = null)
    {
        var rows = Coefficients.Select(c => CoefficientRow(c, NotComputable(c))).Concat(DetailRows()).ToList();
        rows.Add(new TableRow(["Observations", Nobs.ToString(CultureInfo.InvariantCulture), "", "", "", "", ""], true));
        foreach (var f in FitStatistics().Where(f => !double.IsNaN(f.Value)))
            rows.Add(new TableRow(f.Label, Num(f.Value, f.Digits), "", "", "", "", ""));
        foreach (var t in Tests())
            rows.Add(t.NotComputable is { } why
                ? new TableRow(t.Name, "not computable: " + why, "", "", "", "", "")
                : new TableRow(t.Name, Num(t.Statistic, 3), "", "", double.IsNaN(t.PValue) ? "" : Num(t.PValue, 4), "", ""));
        return new Table(id ?? Estimator, title ?? Formula, ["", "Estimate", "Std. error", StatisticLabel, "p", "95% CI low", "95% CI high"], rows, Notes());
    }

    /// <summary>Rows between the coefficients and the observation count (e.g. the first stages of 2SLS).</summary>
    protected virtual IEnumerable<TableRow> DetailRows() => [];

    /// <summary>Column header of the coefficient test statistic: t, or z under normal inference.</summary>
    protected string StatisticLabel => double.IsPositiveInfinity(Variance.DegreesOfFreedom) ? "z" : "t";

    /// <summary>The JSON form shared by every estimator (see <see cref="ResultJson"/>).</summary>
    public string ToJson() => ResultJson.Object(w => ResultJson.Write(w, this));

    /// <summary>Members of the JSON <c>diagnostics</c> object particular to this estimator (written after the sample and variance fields).</summary>
    protected internal virtual void WriteJsonDiagnostics(Utf8JsonWriter w) { }

    /// <summary>Top-level JSON members particular to this estimator (written after <c>diagnostics</c>), e.g. the event-time path of a staggered-adoption estimator.</summary>
    protected internal virtual void WriteJsonMembers(Utf8JsonWriter w) { }

    /// <summary>One row of a coefficient table: name, estimate, SE, t, p, interval.</summary>
    protected static TableRow CoefficientRow(Coefficient c) => CoefficientRow(c, c.NotComputable);

    /// <summary>One row of a coefficient table; when <paramref name="notComputable"/> is set, the estimate and "not computable: REASON" instead of SE, t, p and interval.</summary>
    protected static TableRow CoefficientRow(Coefficient c, string? notComputable) => notComputable is null
        ? new(c.Name, Num(c.Estimate), Num(c.StdError), Num(c.T, 3), Num(c.P, 4), Num(c.CiLow), Num(c.CiHigh))
        : new(c.Name, Num(c.Estimate), "not computable: " + notComputable, "", "", "", "");

    /// <summary>Fixed decimals, invariant culture; NaN as an empty cell.</summary>
    protected internal static string Num(double v, int digits = 4) =>
        double.IsNaN(v) ? "" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The table (<see cref="ToTable"/>) as Markdown.</summary>
    public sealed override string ToString() => ToTable().ToMarkdown();
}
