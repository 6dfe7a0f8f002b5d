using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>Choices of an event study beyond the data columns.</summary>
/// <param name="Reference">The omitted event time (default −1, the period before treatment).</param>
/// <param name="BinLow">Event times at or below this are pooled into one end bin (null: no binning).</param>
/// <param name="BinHigh">Event times at or above this are pooled into one end bin.</param>
/// <param name="Controls">Further regressors (column names).</param>
/// <param name="Weights">Weight column, or null.</param>
public sealed record EventStudyOptions(int Reference = -1, int? BinLow = null, int? BinHigh = null,
    ImmutableArray<string> Controls = default, string? Weights = null)
{
    /// <summary>Reference period −1, no end bins, no controls, no weights.</summary>
    public static EventStudyOptions Default { get; } = new();
}

/// <summary>One point of the event-time path (the reference period is included with estimate 0 and no SE).</summary>
public sealed record EventTimeEstimate(int EventTime, string Label, double Estimate, double StdError, double CiLow, double CiHigh, bool IsReference, bool IsBin);

/// <summary>
/// Dynamic difference-in-differences: y_it = Σ_{k≠ref} β_k 1[t − E_i = k] + x_it'γ + α_i + λ_t + ε_it,
/// where E_i is unit i's first treated period. Units never treated have no event time: all their
/// dummies are zero, so they serve as controls throughout. End points may be binned
/// (e.g. ≤ −6 and ≥ 6) so that every dummy is identified. The pre-trend test is the joint Wald test
/// that every lead (k &lt; 0, k ≠ ref) is zero. Under staggered adoption with heterogeneous effects the
/// TWFE event study is biased (Sun and Abraham 2021); use it as the paper's specification and compare
/// with the staggered estimators.
/// </summary>
public static class EventStudy
{
    /// <summary>
    /// From a relative-time column (missing for never-treated units). The first fixed effect names the
    /// unit: a unit with relative time in some rows and none in others is an <see cref="InputException"/>,
    /// because its gap rows would silently become controls.
    /// </summary>
    public static EventStudyResult Fit(ColumnTable data, string outcome, string relativeTime, IReadOnlyList<string> fixedEffects,
        Vcov vcov, EventStudyOptions? options = null)
    {
        options ??= EventStudyOptions.Default;
        if (fixedEffects.Count > 0 && data.HasColumn(relativeTime) && data.HasColumn(fixedEffects[0]))
            CheckMissingOnlyForNeverTreated(data, relativeTime, fixedEffects[0]);
        var formula = BuildFormula(outcome, relativeTime, fixedEffects, options);
        var result = Feols.Fit(data, formula, vcov, new FeolsOptions(options.Weights));
        return EventStudyResult.From(result, relativeTime, options);
    }

    /// <summary>
    /// From the first-treatment period of each row's unit (<paramref name="cohort"/>; 0 or missing =
    /// never treated) and the time column: event time = time − cohort, stored as column <c>event_time</c>.
    /// </summary>
    public static EventStudyResult FitFromCohort(ColumnTable data, string outcome, string cohort, string time,
        IReadOnlyList<string> fixedEffects, Vcov vcov, EventStudyOptions? options = null)
    {
        var c = data.Numeric(cohort);
        var t = data.Numeric(time);
        var rel = new double[data.RowCount];
        for (int i = 0; i < rel.Length; i++)
            rel[i] = double.IsNaN(c[i]) || c[i] == 0 || double.IsNaN(t[i]) ? double.NaN : t[i] - c[i];
        return Fit(data.With("event_time", rel), outcome, "event_time", fixedEffects, vcov, options);
    }

    private static void CheckMissingOnlyForNeverTreated(ColumnTable data, string rel, string unit)
    {
        var r = data.Numeric(rel);
        var u = data.Text(unit);
        var firstMissing = new Dictionary<string, int>(StringComparer.Ordinal);
        var hasValue = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < r.Length; i++)
        {
            if (u[i] is not { } id) continue;
            if (double.IsNaN(r[i])) firstMissing.TryAdd(id, i);
            else hasValue.Add(id);
        }
        var bad = firstMissing.Where(kv => hasValue.Contains(kv.Key)).OrderBy(kv => kv.Value).ToList();
        if (bad.Count > 0)
            throw new InputException($"{data.Source}: '{rel}' is missing in row {bad[0].Value + 1} of {unit} {bad[0].Key}, which has event times in other rows " +
                $"({bad.Count} such unit(s)). A missing event time marks a never-treated unit (every dummy zero); in a treated unit it would silently make the row a control. Fill the gap or drop those rows.");
    }

    internal static string BuildFormula(string outcome, string rel, IReadOnlyList<string> fes, EventStudyOptions o)
    {
        string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        string Q(string name) => name.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.') ? name : "`" + name + "`";
        var bin = o.BinLow is not null || o.BinHigh is not null
            ? $", bin = [{F(o.BinLow ?? int.MinValue / 2)}, {F(o.BinHigh ?? int.MaxValue / 2)}]" : "";
        var rhs = new List<string> { $"i({Q(rel)}, ref = {F(o.Reference)}{bin})" };
        if (!o.Controls.IsDefaultOrEmpty) rhs.AddRange(o.Controls.Select(Q));
        return $"{Q(outcome)} ~ {string.Join(" + ", rhs)}" + (fes.Count > 0 ? " | " + string.Join(" + ", fes.Select(Q)) : "");
    }
}

/// <summary>
/// The event-time path, the pre-trend test and the underlying regression. Implements the
/// <see cref="EstimationResult"/> contract with the regression's coefficients, variance and sample, so
/// an event study appears in regression tables and JSON like any other fit.
/// </summary>
/// <param name="Regression">The TWFE regression with the event-time dummies.</param>
/// <param name="Path">One estimate per event time, the reference period included (as 0).</param>
/// <param name="PreTrend">Joint Wald test that every lead is zero (null without leads).</param>
/// <param name="Reference">The omitted event time.</param>
public sealed record EventStudyResult(FeolsResult Regression, ImmutableArray<EventTimeEstimate> Path, TestStatistic? PreTrend, int Reference)
    : EstimationResult(Regression.Formula, Regression.Coefficients, Regression.Variance, Regression.VcovName, Regression.Sample), IEventTimePath
{
    /// <inheritdoc/>
    public override string Estimator => "event-study";

    /// <summary>The regression's covariance of the event-time coefficients, in path order (the reference period excluded).</summary>
    public double[,] PathCovariance()
    {
        var prefix = Regression.Coefficients.First(c => Path.Any(p => !p.IsReference && c.Name.EndsWith("::" + p.Label, StringComparison.Ordinal))).Name;
        prefix = prefix[..(prefix.IndexOf("::", StringComparison.Ordinal) + 2)];
        return EventTimePaths.FromVariance(this, [.. Path.Where(p => !p.IsReference).Select(p => prefix + p.Label)]);
    }

    /// <summary>As the regression's (F on F(q, n − K)).</summary>
    protected override double WaldDenominatorDf => Regression.ResidualDf;

    /// <inheritdoc/>
    public override IEnumerable<FitStatistic> FitStatistics() => Regression.FitStatistics();

    /// <summary>The pre-trend test, when there are leads.</summary>
    public override IEnumerable<TestStatistic> Tests() => PreTrend is { } t ? [t] : [];

    /// <summary>The regression's notes.</summary>
    public override ImmutableArray<string> Notes() => Regression.Notes();

    /// <summary>As the regression's.</summary>
    public override string? InferenceNotComputable => Regression.InferenceNotComputable;

    internal static EventStudyResult From(FeolsResult r, string rel, EventStudyOptions o)
    {
        string prefix = rel + "::";
        var path = new List<EventTimeEstimate>();
        foreach (var c in r.Coefficients.Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var label = c.Name[prefix.Length..];
            bool bin = label.StartsWith("<=") || label.StartsWith(">=");
            int k = (int)double.Parse(bin ? label[2..] : label, CultureInfo.InvariantCulture);
            path.Add(new EventTimeEstimate(k, label, c.Estimate, c.StdError, c.CiLow, c.CiHigh, false, bin));
        }
        path.Add(new EventTimeEstimate(o.Reference, o.Reference.ToString(CultureInfo.InvariantCulture), 0, double.NaN, double.NaN, double.NaN, true, false));
        path.Sort((a, b) => a.EventTime.CompareTo(b.EventTime));
        var leads = path.Where(p => p.EventTime < 0 && !p.IsReference).Select(p => prefix + p.Label).ToArray();
        var pre = leads.Length > 0 ? r.Wald(leads) with { Null = "all pre-treatment coefficients (leads) are zero" } : null;
        return new EventStudyResult(r, path.ToImmutableArray(), pre, o.Reference);
    }

    /// <summary>Why the inference of event time <paramref name="p"/> cannot be computed, or null (always null for the reference period, which is 0 by construction).</summary>
    public string? NotComputable(EventTimeEstimate p) =>
        p.IsReference ? null
        : InferenceNotComputable
          ?? (double.IsNaN(p.StdError) || double.IsInfinity(p.StdError) ? "no standard error (a singular variance, or no residual degrees of freedom)"
              : p.StdError == 0 ? "the standard error is zero (no residual variation)" : null);

    /// <summary>Event time, estimate, SE and 95% interval, one row per period (reference period marked), with the pre-trend test in the notes.</summary>
    public override Table ToTable(string? id = null, string? title = null)
    {
        id ??= "event_study";
        title ??= "Event study";
        var rows = Path.Select(p => NotComputable(p) is { } why
            ? new TableRow(p.Label, Num(p.Estimate), "not computable: " + why, "", "")
            : new TableRow(p.Label + (p.IsReference ? " (reference)" : ""), Num(p.Estimate), Num(p.StdError), Num(p.CiLow), Num(p.CiHigh)));
        var notes = Regression.Notes().ToList();
        if (PreTrend is { } t)
            notes.Insert(0, t.NotComputable is { } why
                ? $"Pre-trend test (leads jointly zero): not computable: {why}."
                : string.Create(CultureInfo.InvariantCulture, $"Pre-trend test (leads jointly zero): F({t.Df1}, {t.Df2}) = {t.Statistic:F3}, p = {t.PValue:F4}."));
        notes.Insert(0, $"Reference period: {Reference}; never-treated units have every event-time dummy equal to zero.");
        return new Table(id, title, ["Event time", "Estimate", "Std. error", "95% CI low", "95% CI high"], rows, notes);
    }
}
