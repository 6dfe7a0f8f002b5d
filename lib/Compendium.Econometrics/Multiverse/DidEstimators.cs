using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Staggered;

namespace Compendium.Econometrics.Multiverse;

/// <summary>
/// A difference-in-differences specification on a unit × time panel, in column names: what an estimator
/// adapter needs to fit the effect of <see cref="Treatment"/> on <see cref="Outcome"/>.
/// </summary>
/// <param name="Outcome">Outcome column.</param>
/// <param name="Controls">Control columns (may be empty).</param>
/// <param name="FixedEffects">Absorbed fixed effects in formula syntax (<c>city_code</c>, <c>province^year</c>); the first is the unit's.</param>
/// <param name="Cluster">Cluster variable of the standard errors.</param>
/// <param name="Treatment">The 0/1 treatment column (unit treated and period ≥ its first treated period).</param>
/// <param name="Unit">Unit identifier column.</param>
/// <param name="Time">Time column.</param>
/// <param name="Cohort">First treated period of the row's unit (0 or missing: never treated), for the staggered-adoption estimators.</param>
/// <param name="RelativeTime">Event time (time − first treated period; missing for never-treated units).</param>
public sealed record DidDesign(string Outcome, ImmutableArray<string> Controls, ImmutableArray<string> FixedEffects, string Cluster,
    string Treatment, string Unit, string Time, string Cohort, string RelativeTime)
{
    /// <summary>True when the fixed effects are exactly unit + time (what the staggered-adoption estimators assume).</summary>
    public bool TwoWay => FixedEffects.Length == 2 && FixedEffects[0] == Unit && FixedEffects[1] == Time;

    /// <summary>The controls as a formula fragment with a leading <c> + </c> (empty for none).</summary>
    public string ControlsTerm => Controls.IsDefaultOrEmpty ? "" : " + " + string.Join(" + ", Controls);

    /// <summary>The fixed effects as a formula part (<c>city_code + year</c>).</summary>
    public string FixedEffectsTerm => string.Join(" + ", FixedEffects);

    /// <summary>The TWFE formula: <c>y ~ treat + controls | fe1 + fe2</c>.</summary>
    public string TwfeFormula => $"{Outcome} ~ {Treatment}{ControlsTerm} | {FixedEffectsTerm}";
}

/// <summary>
/// An estimator of the effect of a <see cref="DidDesign"/>'s treatment: the adapter through which any
/// estimator joins a specification curve or a design diagnosis.
/// </summary>
/// <param name="Name">Machine name (the option of the curve's <c>estimator</c> choice).</param>
/// <param name="Label">Display name.</param>
/// <param name="Fit">The estimate on a panel under a design.</param>
/// <param name="Unavailable">Null when the estimator can fit the design, else why not (e.g. fixed effects it cannot absorb).</param>
public sealed record DidEstimator(string Name, string Label, Func<ColumnTable, DidDesign, EffectEstimate> Fit, Func<DidDesign, string?> Unavailable)
{
    /// <summary>The estimator as a diagnosis entry on a fixed design.</summary>
    public DiagnosisEstimator<ColumnTable> ForDiagnosis(DidDesign design) =>
        new(Name, Label, data => DiagnosisDraw.Of(Fit(data, design)));
}

/// <summary>
/// Adapters of this library's estimators to <see cref="DidEstimator"/>. Each is a few lines: fit, then
/// <see cref="EffectEstimate.From"/> on the treatment coefficient. Estimators added to the library join
/// the curve and the diagnosis by one more adapter.
/// </summary>
public static class DidEstimators
{
    /// <summary>
    /// Two-way fixed-effects DID by <see cref="Feols"/>: y ~ treat + controls | fixed effects, standard errors
    /// clustered by the design's cluster variable (CR1, t(G − 1)).
    /// </summary>
    public static DidEstimator Twfe { get; } = new("twfe", "TWFE (Feols)",
        (data, d) => EffectEstimate.From(Feols.Fit(data, d.TwfeFormula, Vcov.Cluster(d.Cluster)), d.Treatment),
        _ => null);

    /// <summary>
    /// <see cref="Twfe"/> for a robustness grid: per panel, fixed effects, treatment and cluster variable, the
    /// union of <paramref name="columns"/> (every outcome and control the grid uses) is demeaned once, and each
    /// specification's model is selected from it (<see cref="DemeanedDesign.Select"/>, fixest's multiple
    /// estimation). The estimates equal <see cref="Twfe"/>'s to the last bit. A specification the shared design
    /// cannot serve is fitted by <see cref="Twfe"/>: a column outside <paramref name="columns"/>, rows dropped for
    /// missing values, iteratively solved fixed effects, or a shared design that could not be built.
    /// </summary>
    /// <param name="columns">The outcomes and controls of the grid (the treatment is added).</param>
    public static DidEstimator TwfeShared(IEnumerable<string> columns)
    {
        var union = columns.Distinct(StringComparer.Ordinal).ToImmutableArray();
        var known = union.ToHashSet(StringComparer.Ordinal);
        var designs = new ConditionalWeakTable<ColumnTable, ConcurrentDictionary<(string, string, string), Lazy<DemeanedDesign?>>>();
        DemeanedDesign? Shared(ColumnTable data, DidDesign d) =>
            designs.GetOrCreateValue(data).GetOrAdd((d.FixedEffectsTerm, d.Treatment, d.Cluster), _ => new Lazy<DemeanedDesign?>(() =>
            {
                var others = union.Where(c => c != d.Treatment).ToList();
                if (others.Count == 0) return null;
                var formula = $"{others[0]} ~ {string.Join(" + ", others.Skip(1).Prepend(d.Treatment))} | {d.FixedEffectsTerm}";
                try { return Feols.Prepare(data, formula, [d.Cluster]) is { SupportsSelect: true } design ? design : null; }
                catch (InputException) { return null; }   // the specification's own fit says what is wrong
            })).Value;
        return new("twfe", "TWFE (Feols)", (data, d) =>
        {
            DemeanedDesign? selected = null;
            if (d.Controls.Append(d.Outcome).All(known.Contains) && Shared(data, d) is { } shared)
                try { selected = shared.Select(d.TwfeFormula); }
                catch (InputException) { }   // e.g. a text control, which expands into dummies: fitted on its own below
            return selected is null ? Twfe.Fit(data, d) : EffectEstimate.From(selected.Fit(Vcov.Cluster(d.Cluster)), d.Treatment);
        }, _ => null);
    }

    /// <summary>
    /// 2SLS by <see cref="Iv2sls"/> with <paramref name="instrument"/> for the treatment:
    /// y ~ controls | fixed effects | treat ~ instrument, clustered as the design says.
    /// </summary>
    public static DidEstimator Iv(string instrument) => new("iv", $"2SLS ({instrument})",
        (data, d) => EffectEstimate.From(Iv2sls.Fit(data,
            $"{d.Outcome} ~ {(d.Controls.IsDefaultOrEmpty ? "1" : string.Join(" + ", d.Controls))} | {d.FixedEffectsTerm} | {d.Treatment} ~ {instrument}",
            Vcov.Cluster(d.Cluster)), d.Treatment),
        _ => null);

    /// <summary>
    /// Callaway and Sant'Anna (2021) by <see cref="Staggered.CallawaySantAnna"/>: the simple aggregation of ATT(g,t)
    /// (the <c>ATT</c> coefficient), never-treated comparison units, doubly robust with the design's controls
    /// as covariates (taken in each comparison's earlier period; outcome regression without them), analytical
    /// standard errors clustered by unit. Defined for unit + time fixed effects and clustering by unit only.
    /// </summary>
    public static DidEstimator CallawaySantAnna { get; } = new("cs", "Callaway–Sant'Anna",
        (data, d) => EffectEstimate.From(Staggered.CallawaySantAnna.Fit(data, d.Outcome, d.Unit, d.Time, d.Cohort,
            new CallawaySantAnnaOptions(Covariates: d.Controls)), "ATT"),
        d => StaggeredUnavailable(d));

    /// <summary>
    /// Sun and Abraham (2021) by <see cref="Staggered.SunAbraham"/>: the interaction-weighted ATT over relative periods ≥ 0,
    /// never-treated control cohort, the design's controls as further regressors, standard errors clustered by
    /// unit. Defined for unit + time fixed effects and clustering by unit only.
    /// </summary>
    public static DidEstimator SunAbraham { get; } = new("sa", "Sun–Abraham",
        (data, d) => EffectEstimate.From(Staggered.SunAbraham.Fit(data, d.Outcome, d.Unit, d.Time, d.Cohort,
            new SunAbrahamOptions(Covariates: d.Controls)), "ATT"),
        d => StaggeredUnavailable(d));

    /// <summary>
    /// The imputation estimator of Borusyak, Jaravel and Spiess (2024) by <see cref="ImputationDid"/>: the mean
    /// imputed effect over treated observations, conservative variance clustered by unit. Defined for unit + time
    /// fixed effects, clustering by unit and no controls (the library's implementation takes no covariates).
    /// </summary>
    public static DidEstimator Imputation { get; } = new("bjs", "Imputation (BJS)",
        (data, d) => EffectEstimate.From(ImputationDid.Fit(data, d.Outcome, d.Unit, d.Time, d.Cohort), "ATT"),
        d => StaggeredUnavailable(d) ?? (d.Controls.IsDefaultOrEmpty ? null : "takes no controls (the library's imputation estimator has no covariates)"));

    private static string? StaggeredUnavailable(DidDesign d) =>
        !d.TwoWay ? "absorbs unit and period effects only (no other fixed effects)"
        : d.Cluster != d.Unit ? "clusters its standard errors by unit only"
        : null;

    /// <summary>
    /// The event-study pre-trend test as a diagnosis entry: the p-value of the joint Wald test that every lead
    /// is zero (<see cref="EventStudy"/>, reference −1, end points binned at <paramref name="binLow"/> and
    /// <paramref name="binHigh"/>, the design's controls, fixed effects and clustering).
    /// </summary>
    public static DiagnosisEstimator<ColumnTable> EventStudyPreTrend(DidDesign design, int binLow = -4, int binHigh = 6) =>
        new("pretrend", "Event-study pre-trend test", data =>
        {
            var es = EventStudy.Fit(data, design.Outcome, design.RelativeTime, [.. design.FixedEffects], Vcov.Cluster(design.Cluster),
                new EventStudyOptions(-1, binLow, binHigh, design.Controls));
            return DiagnosisDraw.Test(es.PreTrend?.PValue ?? throw new InputException("the event study has no leads to test"));
        }, IsTest: true);
}
