using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Staggered;

/// <summary>One group-time average treatment effect ATT(g,t).</summary>
/// <param name="Group">The cohort g (first treated period).</param>
/// <param name="Time">The period t.</param>
/// <param name="BasePeriod">The period b the change Y_t − Y_b is measured from.</param>
/// <param name="Att">The estimate (0 for the universal base period's reference cell t = g − 1).</param>
/// <param name="StdError">Standard error (analytical, or the multiplier bootstrap's when it was run); NaN for the reference cell.</param>
/// <param name="CiLow">Pointwise interval, Att ∓ z_{1−α/2}·SE.</param>
/// <param name="CiHigh">Upper end of the pointwise interval.</param>
/// <param name="BandLow">Uniform band over all ATT(g,t) (bootstrap critical value); NaN without the bootstrap.</param>
/// <param name="BandHigh">Upper end of the uniform band.</param>
/// <param name="TreatedUnits">Units of cohort g.</param>
/// <param name="ComparisonUnits">Units in the comparison group of this cell.</param>
/// <param name="IsReference">True for the universal base period's cell t = g − 1 (normalised to 0).</param>
public sealed record GroupTimeEffect(double Group, double Time, double BasePeriod, double Att, double StdError, double CiLow, double CiHigh,
    double BandLow, double BandHigh, int TreatedUnits, int ComparisonUnits, bool IsReference)
{
    /// <summary>t ≥ g.</summary>
    public bool IsPost => Time >= Group;
    /// <summary>Event time t − g.</summary>
    public double EventTime => Time - Group;
}

/// <summary>One aggregated effect (an event time, a cohort, a calendar period, or an overall average).</summary>
/// <param name="Label">e.g. "−2", "2006", "overall".</param>
/// <param name="Key">The event time, cohort or period (NaN for an overall average).</param>
/// <param name="Estimate">The weighted average of ATT(g,t).</param>
/// <param name="StdError">Standard error (analytical or bootstrap; NaN for a reference point).</param>
/// <param name="CiLow">Pointwise interval.</param>
/// <param name="CiHigh">Upper end of the pointwise interval.</param>
/// <param name="BandLow">Uniform band over the aggregation's points; NaN without the bootstrap.</param>
/// <param name="BandHigh">Upper end of the uniform band.</param>
public sealed record AggregateEffect(string Label, double Key, double Estimate, double StdError, double CiLow, double CiHigh, double BandLow, double BandHigh);

/// <summary>An aggregation of ATT(g,t) (did's <c>aggte</c>): its points and their overall average.</summary>
/// <param name="Type">simple, dynamic, group or calendar.</param>
/// <param name="Effects">The points (empty for simple).</param>
/// <param name="Overall">The overall average.</param>
/// <param name="CriticalValue">Critical value of the uniform band over <paramref name="Effects"/> (the normal quantile without the bootstrap).</param>
public sealed record Aggregation(string Type, ImmutableArray<AggregateEffect> Effects, AggregateEffect Overall, double CriticalValue);

/// <summary>
/// The result of <see cref="CallawaySantAnna"/>: every ATT(g,t), the four aggregations, the pre-test,
/// and — as the <see cref="EstimationResult"/> contract — the coefficients <c>ATT</c> (the simple
/// aggregation, comparable with the imputation and Sun–Abraham averages over treated observations)
/// and <c>event_time::e</c> (the dynamic aggregation), with their influence-function covariance.
/// </summary>
public sealed record CallawaySantAnnaResult(
    string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, string VcovName, SampleInfo Sample,
    ImmutableArray<GroupTimeEffect> AttGt,
    Aggregation Simple, Aggregation Dynamic, Aggregation Group, Aggregation Calendar,
    TestStatistic? PreTest,
    CallawaySantAnnaOptions Options,
    int Units, int AlwaysTreatedDropped, int TreatedAfterSample, double UniformCriticalValue,
    ImmutableArray<EventTimeEstimate> Path,
    ImmutableArray<double> DynamicCovariance)
    : EstimationResult(Formula, Coefficients, Variance, VcovName, Sample), IEventTimePath
{
    /// <inheritdoc/>
    public override string Estimator => "callaway-santanna";

    /// <summary>The simple aggregation's overall ATT (the average effect over treated unit-periods, weighted by cohort size).</summary>
    public AggregateEffect Overall => Simple.Overall;

    /// <inheritdoc/>
    public double[,] PathCovariance()
    {
        int m = Path.Count(p => !p.IsReference);
        var v = new double[m, m];
        for (int a = 0; a < m; a++) for (int b = 0; b < m; b++) v[a, b] = DynamicCovariance[a * m + b];
        return v;
    }

    /// <summary>The pre-test.</summary>
    public override IEnumerable<TestStatistic> Tests() => PreTest is { } t ? [t] : [];

    /// <inheritdoc/>
    public override ImmutableArray<string> Notes()
    {
        var notes = new List<string>
        {
            $"Callaway & Sant'Anna (2021) group-time ATTs: {MethodName(Options.Method)}, comparison group: {(Options.Control == ComparisonGroup.NeverTreated ? "never treated" : "not yet treated")}, " +
            $"{(Options.Base == BasePeriod.Varying ? "varying" : "universal")} base period" +
            (Options.CovariateList.Length > 0 ? $", covariates {string.Join(", ", Options.CovariateList)} (in the earlier period of each comparison)." : ", no covariates."),
            Variance.Description,
            "ATT = simple aggregation (post-treatment ATT(g,t) weighted by cohort size); event_time::e = dynamic aggregation.",
        };
        if (AlwaysTreatedDropped > 0) notes.Add($"Dropped: {AlwaysTreatedDropped} unit(s) treated in the first period (always treated).");
        if (TreatedAfterSample > 0) notes.Add($"{TreatedAfterSample} unit(s) first treated after the last period count as never treated.");
        if (PreTest is { } t)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Pre-test of parallel trends (pre-treatment ATT(g,t) jointly zero): χ²({t.Df1}) = {t.Statistic:F3}, p = {t.PValue:F4}."));
        return [.. notes];
    }

    internal static string MethodName(DidMethod m) => m switch
    {
        DidMethod.Regression => "outcome regression",
        DidMethod.Ipw => "inverse probability weighting",
        _ => "doubly robust",
    };

    /// <summary>Every ATT(g,t): group, time, base period, estimate, SE, intervals, numbers of units.</summary>
    public Table AttGtTable(string id = "att_gt", string title = "Group-time average treatment effects ATT(g,t)")
    {
        bool band = Options.BootstrapDraws > 0;
        var head = new List<string> { "Group", "Time", "Base", "ATT(g,t)", "Std. error", "95% CI low", "95% CI high" };
        if (band) head.AddRange(["Band low", "Band high"]);
        head.AddRange(["Treated", "Comparison"]);
        var rows = AttGt.Select(c =>
        {
            var cells = new List<string> { Fmt(c.Group), Fmt(c.Time), Fmt(c.BasePeriod), Num(c.Att), Num(c.StdError), Num(c.CiLow), Num(c.CiHigh) };
            if (band) cells.AddRange([Num(c.BandLow), Num(c.BandHigh)]);
            cells.AddRange([c.TreatedUnits.ToString(CultureInfo.InvariantCulture), c.ComparisonUnits.ToString(CultureInfo.InvariantCulture)]);
            return new TableRow([.. cells]);
        }).ToList();
        return new Table(id, title, [.. head], rows, Notes());
    }

    /// <summary>One aggregation as a table: its points and the overall average (uniform band columns with the bootstrap).</summary>
    public Table AggregationTable(Aggregation agg, string? id = null, string? title = null)
    {
        bool band = Options.BootstrapDraws > 0;
        string first = agg.Type switch { "dynamic" => "Event time", "group" => "Group", "calendar" => "Period", _ => "" };
        var head = new List<string> { first, "Estimate", "Std. error", "95% CI low", "95% CI high" };
        if (band) head.AddRange(["Band low", "Band high"]);
        TableRow Row(AggregateEffect e, bool bold = false)
        {
            var cells = new List<string> { e.Label, Num(e.Estimate), Num(e.StdError), Num(e.CiLow), Num(e.CiHigh) };
            if (band) cells.AddRange([Num(e.BandLow), Num(e.BandHigh)]);
            return new TableRow([.. cells], bold);
        }
        var rows = agg.Effects.Select(e => Row(e)).Append(Row(agg.Overall, true)).ToList();
        var notes = Notes().ToList();
        if (band) notes.Insert(0, string.Create(CultureInfo.InvariantCulture, $"Uniform band critical value {agg.CriticalValue:F3} ({Options.BootstrapDraws} multiplier-bootstrap draws, seed {Options.Seed})."));
        return new Table(id ?? "cs_" + agg.Type, title ?? $"Callaway & Sant'Anna: {agg.Type} aggregation", [.. head], rows, notes);
    }

    /// <summary>The dynamic aggregation (event-time path and its overall average).</summary>
    public override Table ToTable(string? id = null, string? title = null) =>
        AggregationTable(Dynamic, id ?? "callaway_santanna", title ?? "Callaway & Sant'Anna: effects by event time");

    /// <summary>Writes <c>att_gt</c>, <c>dynamic</c>, <c>overall</c> and <c>pretest</c> at the top level of the JSON.</summary>
    protected internal override void WriteJsonMembers(Utf8JsonWriter w)
    {
        w.WriteStartArray("att_gt");
        foreach (var c in AttGt)
        {
            w.WriteStartObject();
            ResultJson.Num(w, "group", c.Group); ResultJson.Num(w, "time", c.Time); ResultJson.Num(w, "base_period", c.BasePeriod);
            ResultJson.Num(w, "att", c.Att); ResultJson.Num(w, "std_error", c.StdError);
            ResultJson.Num(w, "ci_low", c.CiLow); ResultJson.Num(w, "ci_high", c.CiHigh);
            if (Options.BootstrapDraws > 0) { ResultJson.Num(w, "band_low", c.BandLow); ResultJson.Num(w, "band_high", c.BandHigh); }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        StaggeredJson.Dynamic(w, Path, Options.BootstrapDraws > 0 ? Dynamic : null);
        StaggeredJson.Overall(w, Overall.Estimate, Overall.StdError, Overall.CiLow, Overall.CiHigh);
        StaggeredJson.PreTest(w, PreTest);
        foreach (var agg in new[] { Group, Calendar })
        {
            w.WriteStartArray(agg.Type);
            foreach (var e in agg.Effects)
            {
                w.WriteStartObject();
                ResultJson.Num(w, agg.Type == "group" ? "group" : "time", e.Key);
                ResultJson.Num(w, "estimate", e.Estimate); ResultJson.Num(w, "std_error", e.StdError);
                ResultJson.Num(w, "ci_low", e.CiLow); ResultJson.Num(w, "ci_high", e.CiHigh);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    private static string Fmt(double v) => StaggeredPanel.Fmt(v);
}
