using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Staggered;

/// <summary>The control cohort of the Sun–Abraham regression.</summary>
public enum SunAbrahamControl
{
    /// <summary>Never-treated units (fixest's <c>sunab</c> default when they exist).</summary>
    NeverTreated,
    /// <summary>The last-treated cohort: never-treated units and the periods from that cohort's first treated period on are dropped.</summary>
    LastTreated,
}

/// <summary>Choices of <see cref="SunAbraham"/>.</summary>
/// <param name="Control">Control cohort (default never treated).</param>
/// <param name="Reference">The omitted relative period (default −1, fixest's <c>ref.p</c>).</param>
/// <param name="Covariates">Further regressors.</param>
public sealed record SunAbrahamOptions(SunAbrahamControl Control = SunAbrahamControl.NeverTreated, int Reference = -1,
    ImmutableArray<string> Covariates = default)
{
    /// <summary>Never-treated control, reference period −1, no covariates.</summary>
    public static SunAbrahamOptions Default { get; } = new();
}

/// <summary>One cohort × relative-period interaction of the Sun–Abraham regression.</summary>
/// <param name="Cohort">The cohort.</param>
/// <param name="RelativePeriod">t − cohort.</param>
/// <param name="Estimate">Its coefficient.</param>
/// <param name="StdError">Its clustered standard error.</param>
/// <param name="Observations">Observations in the cell (the aggregation weight).</param>
public sealed record CohortEffect(double Cohort, int RelativePeriod, double Estimate, double StdError, int Observations);

/// <summary>
/// Sun &amp; Abraham (2021, J. Econometrics 225(2)) interaction-weighted event study, as fixest's
/// <c>sunab()</c>: the TWFE regression y_it = Σ_{c ∉ C} Σ_{r ≠ ref} δ_{c,r} 1[E_i = c] 1[t − c = r] + α_i + λ_t + ε_it
/// (C the control cohort: never treated, or the last-treated cohort), with the cohort-specific effects
/// averaged per relative period with weights equal to each cohort's share of the observations at that
/// period, β_r = Σ_c w_{c,r} δ_{c,r}; V(β) = W V(δ) W′ with V(δ) the cluster-robust (by unit) variance of
/// <see cref="Feols"/> (fixest conventions). The ATT is the average over relative periods ≥ 0 with
/// weights ∝ the cell observations (fixest's <c>aggregate(m, "ATT")</c>). Units treated in the first
/// period (always treated) are dropped. The pre-trend test is the Wald test that the aggregated leads
/// (r &lt; ref) are zero, F on F(q, n − K) as fixest's <c>wald()</c>.
/// </summary>
public static class SunAbraham
{
    /// <summary>Estimate from a long table: <paramref name="cohort"/> is each unit's first treated period (0 or missing: never treated).</summary>
    public static SunAbrahamResult Fit(ColumnTable data, string outcome, string unit, string time, string cohort, SunAbrahamOptions? options = null)
    {
        options ??= SunAbrahamOptions.Default;
        data = data.Only(new[] { outcome, unit, time, cohort }.Concat(options.Covariates.IsDefault ? [] : options.Covariates));   // the row subset below copies only these
        var panel = StaggeredPanel.Build(data, unit, time, cohort);
        var t = data.Numeric(time);
        var ids = data.Text(unit);
        var unitIndex = panel.Units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => x.i, StringComparer.Ordinal);
        var g = new double[data.RowCount];
        for (int r = 0; r < g.Length; r++) g[r] = panel.Cohorts[unitIndex[ids[r]!]];
        double first = panel.Periods[0];
        var keep = new bool[data.RowCount];
        double control = 0;
        var treatedCohorts = panel.TreatedCohorts.Where(c => c > first).ToList();
        if (treatedCohorts.Count == 0) throw new InputException($"{data.Source}: no unit is first treated after the first period; nothing to estimate.");
        if (options.Control == SunAbrahamControl.LastTreated)
        {
            control = treatedCohorts[^1];
            treatedCohorts.RemoveAt(treatedCohorts.Count - 1);
            if (treatedCohorts.Count == 0) throw new InputException($"{data.Source}: only one treated cohort; the last-treated control leaves no cohort to estimate.");
        }
        else if (!panel.Cohorts.Any(c => c == 0))
            throw new InputException($"{data.Source}: no never-treated units; use the last-treated cohort as the control.");
        int alwaysDropped = 0;
        for (int r = 0; r < keep.Length; r++)
        {
            bool always = g[r] != 0 && g[r] <= first;
            if (always) { alwaysDropped++; continue; }
            keep[r] = options.Control == SunAbrahamControl.NeverTreated || (g[r] != 0 && t[r] < control);
        }
        var d = data.Where(keep);
        var gd = g.Where((_, r) => keep[r]).ToArray();
        var td = d.Numeric(time);
        // interaction dummies: every (cohort, relative period) present, except the reference period
        var cells = new SortedSet<(double C, int R)>();
        for (int r = 0; r < gd.Length; r++)
            if (treatedCohorts.Contains(gd[r]))
            {
                int rel = (int)(td[r] - gd[r]);
                if (rel != options.Reference) cells.Add((gd[r], rel));
            }
        var names = new List<string>();
        var obs = new Dictionary<string, int>(StringComparer.Ordinal);
        var cellOf = new Dictionary<string, (double C, int R)>(StringComparer.Ordinal);
        foreach (var (c, rel) in cells.OrderBy(x => x.R).ThenBy(x => x.C))
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"sunab::{rel}:cohort::{StaggeredPanel.Fmt(c)}");
            var col = new double[gd.Length];
            int count = 0;
            for (int r = 0; r < gd.Length; r++) if (gd[r] == c && (int)(td[r] - gd[r]) == rel) { col[r] = 1; count++; }
            d = d.With(name, col);
            names.Add(name); obs[name] = count; cellOf[name] = (c, rel);
        }
        var covs = options.Covariates.IsDefault ? [] : options.Covariates;
        string Q(string s) => "`" + s + "`";
        var formula = $"{Q(outcome)} ~ {string.Join(" + ", names.Select(Q).Concat(covs.Select(Q)))} | {Q(unit)} + {Q(time)}";
        var reg = Feols.Fit(d, formula, Vcov.Cluster(unit));

        // aggregation: W (relative periods x kept interactions), cohort shares of the observations
        var kept = names.Where(n => reg.Coefficients.Any(c => c.Name == n)).ToList();
        var rels = kept.Select(n => cellOf[n].R).Distinct().Order().ToList();
        int k = reg.Coefficients.Length;
        var idx = kept.Select(n => reg.Coefficients.IndexOf(reg[n])).ToArray();
        var rows = new List<double[]>();
        var rowNames = new List<string>();
        double[] WeightRow(Func<int, bool> select)
        {
            var w = new double[kept.Count];
            double s = 0;
            for (int j = 0; j < kept.Count; j++) if (select(cellOf[kept[j]].R)) { w[j] = obs[kept[j]]; s += w[j]; }
            for (int j = 0; j < kept.Count; j++) w[j] /= s;
            return w;
        }
        if (rels.Any(r => r >= 0)) { rows.Add(WeightRow(r => r >= 0)); rowNames.Add("ATT"); }
        foreach (var rr in rels) { rows.Add(WeightRow(r => r == rr)); rowNames.Add("event_time::" + rr.ToString(CultureInfo.InvariantCulture)); }
        int m = rows.Count;
        var beta = new double[m];
        var vagg = new double[m * m];
        for (int a = 0; a < m; a++)
        {
            for (int j = 0; j < kept.Count; j++) beta[a] += rows[a][j] * reg.Coefficients[idx[j]].Estimate;
            for (int b = 0; b < m; b++)
            {
                double s = 0;
                for (int i = 0; i < kept.Count; i++)
                {
                    if (rows[a][i] == 0) continue;
                    for (int j = 0; j < kept.Count; j++) s += rows[a][i] * reg.Variance.Matrix[idx[i] * k + idx[j]] * rows[b][j];
                }
                vagg[a * m + b] = s;
            }
        }
        var variance = reg.Variance with { Matrix = [.. vagg] };
        var coefs = Coefficient.FromEstimates(rowNames, beta, variance);
        var path = new List<EventTimeEstimate>();
        foreach (var c in coefs.Where(c => c.Name.StartsWith("event_time::", StringComparison.Ordinal)))
        {
            int e = int.Parse(c.Name["event_time::".Length..], CultureInfo.InvariantCulture);
            path.Add(new EventTimeEstimate(e, e.ToString(CultureInfo.InvariantCulture), c.Estimate, c.StdError, c.CiLow, c.CiHigh, false, false));
        }
        path.Add(new EventTimeEstimate(options.Reference, options.Reference.ToString(CultureInfo.InvariantCulture), 0, double.NaN, double.NaN, double.NaN, true, false));
        path.Sort((a, b) => a.EventTime.CompareTo(b.EventTime));
        var interactions = kept.Select(n =>
        {
            var c = reg[n];
            return new CohortEffect(cellOf[n].C, cellOf[n].R, c.Estimate, c.StdError, obs[n]);
        }).ToImmutableArray();
        var result = new SunAbrahamResult($"Sun-Abraham: {formula}", coefs, variance, reg.VcovName, reg.Sample, reg, interactions,
            [.. path], null, options, control, alwaysDropped);
        var leads = coefs.Where(c => c.Name.StartsWith("event_time::", StringComparison.Ordinal) &&
                                     int.Parse(c.Name["event_time::".Length..], CultureInfo.InvariantCulture) < options.Reference).Select(c => c.Name).ToArray();
        return leads.Length > 0 ? result with { PreTrend = result.Wald(leads) with { Name = "Pre-trend test (aggregated leads, F)", Null = "all aggregated leads are zero" } } : result;
    }
}

/// <summary>The result of <see cref="SunAbraham"/>: coefficients <c>ATT</c> and <c>event_time::r</c> with their delta-method variance.</summary>
/// <param name="Formula">Description of the regression.</param>
/// <param name="Coefficients">ATT and the event-time path (reference excluded).</param>
/// <param name="Variance">W V W′ with the regression's clustered V.</param>
/// <param name="VcovName">The regression's variance name.</param>
/// <param name="Sample">The regression's sample.</param>
/// <param name="Regression">The regression with the cohort × relative-period interactions.</param>
/// <param name="Interactions">The cohort-specific effects and their cell sizes.</param>
/// <param name="Path">The event-time path, the reference period included as 0.</param>
/// <param name="PreTrend">Wald test of the aggregated leads (null without leads).</param>
/// <param name="Options">The options used.</param>
/// <param name="ControlCohort">The last-treated control cohort, or 0 for never-treated controls.</param>
/// <param name="AlwaysTreatedDropped">Rows of always-treated units dropped.</param>
public sealed record SunAbrahamResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, string VcovName, SampleInfo Sample,
    FeolsResult Regression, ImmutableArray<CohortEffect> Interactions, ImmutableArray<EventTimeEstimate> Path, TestStatistic? PreTrend,
    SunAbrahamOptions Options, double ControlCohort, int AlwaysTreatedDropped)
    : EstimationResult(Formula, Coefficients, Variance, VcovName, Sample), IEventTimePath
{
    /// <inheritdoc/>
    public override string Estimator => "sun-abraham";

    /// <summary>As the regression's (F on F(q, n − K), fixest's <c>wald()</c>).</summary>
    protected override double WaldDenominatorDf => Regression.ResidualDf;

    /// <summary>The ATT (cohort-share-weighted average over relative periods ≥ 0).</summary>
    public Coefficient Att => this["ATT"];

    /// <inheritdoc/>
    public double[,] PathCovariance() => EventTimePaths.FromVariance(this, [.. Path.Where(p => !p.IsReference).Select(p => "event_time::" + p.Label)]);

    /// <inheritdoc/>
    public override IEnumerable<TestStatistic> Tests() => PreTrend is { } t ? [t] : [];

    /// <inheritdoc/>
    public override ImmutableArray<string> Notes()
    {
        var notes = new List<string>
        {
            "Sun & Abraham (2021) interaction-weighted estimator: cohort × relative-period interactions in a TWFE regression, averaged per relative period with each cohort's share of the observations (fixest's sunab); " +
            (Options.Control == SunAbrahamControl.NeverTreated ? "never-treated units are the control." : $"the last-treated cohort ({StaggeredPanel.Fmt(ControlCohort)}) is the control; never-treated units and periods from {StaggeredPanel.Fmt(ControlCohort)} on are dropped."),
            $"Reference period {Options.Reference}; variance W V W′ with V the regression's.",
        };
        notes.AddRange(Regression.Notes());
        if (AlwaysTreatedDropped > 0) notes.Add($"Dropped: {AlwaysTreatedDropped} rows of units treated in the first period (always treated).");
        return [.. notes];
    }

    /// <summary>The cohort × relative-period interactions as a table.</summary>
    public Table InteractionTable(string id = "sunab_interactions", string title = "Sun–Abraham: cohort-specific effects")
    {
        var rows = Interactions.Select(c => new TableRow(StaggeredPanel.Fmt(c.Cohort), c.RelativePeriod.ToString(CultureInfo.InvariantCulture),
            Num(c.Estimate), Num(c.StdError), c.Observations.ToString(CultureInfo.InvariantCulture)));
        return new Table(id, title, ["Cohort", "Relative period", "Estimate", "Std. error", "Observations"], rows, Notes());
    }

    /// <summary>Writes <c>dynamic</c>, <c>overall</c> and <c>pretest</c> at the top level of the JSON.</summary>
    protected internal override void WriteJsonMembers(Utf8JsonWriter w)
    {
        StaggeredJson.Dynamic(w, Path);
        StaggeredJson.PathCovariance(w, PathCovariance());
        if (Coefficients.Any(c => c.Name == "ATT")) StaggeredJson.Overall(w, Att.Estimate, Att.StdError, Att.CiLow, Att.CiHigh);
        StaggeredJson.PreTest(w, PreTrend);
    }
}
