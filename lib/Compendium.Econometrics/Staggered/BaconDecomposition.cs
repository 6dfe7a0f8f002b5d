using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Staggered;

/// <summary>The kind of a 2×2 comparison in the Goodman-Bacon decomposition.</summary>
public enum BaconComparison
{
    /// <summary>A timing group against never-treated units.</summary>
    TreatedVsNeverTreated,
    /// <summary>An earlier-treated group against a later-treated one, before the later one is treated.</summary>
    EarlierVsLaterTreated,
    /// <summary>A later-treated group against an earlier-treated one, after the earlier one is treated (the "forbidden" comparison).</summary>
    LaterVsEarlierTreated,
    /// <summary>A timing group against units treated from the first period on.</summary>
    LaterVsAlwaysTreated,
}

/// <summary>One 2×2 difference-in-differences of the decomposition.</summary>
/// <param name="Treated">The timing group whose switch identifies the comparison (its first treated period).</param>
/// <param name="Comparison">The comparison group's first treated period (+∞ for never treated).</param>
/// <param name="Type">The kind of comparison.</param>
/// <param name="Estimate">The 2×2 DiD (coefficient of d in the TWFE regression on the two groups and the window).</param>
/// <param name="Weight">Its weight (the weights sum to one).</param>
/// <param name="WindowStart">First period of the window used.</param>
/// <param name="WindowEnd">Last period of the window used.</param>
public sealed record BaconComponent(double Treated, double Comparison, BaconComparison Type, double Estimate, double Weight, double WindowStart, double WindowEnd);

/// <summary>Total weight and weighted average estimate of one type of comparison.</summary>
/// <param name="Type">The kind of comparison.</param>
/// <param name="Weight">Sum of the weights of its 2×2 comparisons.</param>
/// <param name="Estimate">Their weight-averaged estimate.</param>
/// <param name="Count">Number of 2×2 comparisons.</param>
public sealed record BaconTypeSummary(BaconComparison Type, double Weight, double Estimate, int Count);

/// <summary>
/// Goodman-Bacon (2021, J. Econometrics 225(2)) decomposition of the two-way fixed-effects DID
/// coefficient of y ~ d | unit + time on a balanced panel with staggered, absorbing treatment into all
/// 2×2 comparisons between timing groups (units sharing a first treated period), never-treated and
/// always-treated units: β̂_TWFE = Σ s_kl β̂_kl. The 2×2 estimate β̂_kl is the TWFE coefficient on the two
/// groups and the window where only one of them changes treatment (all periods against never or always
/// treated; t &lt; t*_l for earlier vs later; t ≥ t*_k for later vs earlier). Its weight is proportional to
/// the subsample size and the variance of treatment in it, as in the paper's eq. (10) and bacondecomp 0.1.1
/// (with n the observations and D̄ the treated share of each group within the window):
/// (n_k + n_l)² n_kl(1 − n_kl) D̄_k(1 − D̄_k) against never treated;
/// ((n_k + n_l)(1 − D̄_l))² n_kl(1 − n_kl) (D̄_k − D̄_l)/(1 − D̄_l) · (1 − D̄_k)/(1 − D̄_l) for earlier vs later;
/// ((n_k + n_l) D̄_e)² n_el(1 − n_el) (D̄_k/D̄_e)(D̄_e − D̄_k)/D̄_e for later vs earlier or always treated (e the earlier group);
/// scaled to sum to one. In a balanced panel the weighted sum equals the TWFE coefficient (checked).
/// </summary>
public static class BaconDecomposition
{
    /// <summary>Decompose the TWFE coefficient of <c>y ~ d | unit + time</c> (the formula names the four columns; no other regressors).</summary>
    public static BaconResult Fit(ColumnTable data, string formula)
    {
        var f = Formula.Parse(formula);
        if (f.Regressors.Length != 1 || f.Regressors[0] is not VariableTerm d || f.FixedEffects.Length != 2 || f.Iv is not null ||
            f.FixedEffects.Any(fe => fe.Parts.Length != 1))
            throw new InputException($"'{formula}': the Bacon decomposition needs exactly 'y ~ d | unit + time' (one treatment dummy, unit and time fixed effects, no controls).");
        return Fit(data, f.Outcome.Name, d.Name, f.FixedEffects[0].Parts[0].Name, f.FixedEffects[1].Parts[0].Name);
    }

    /// <summary>Decompose the TWFE coefficient of <paramref name="treatment"/> in <paramref name="outcome"/> ~ <paramref name="treatment"/> | unit + time.</summary>
    public static BaconResult Fit(ColumnTable data, string outcome, string treatment, string unit, string time)
    {
        // timing groups from the treatment dummy: the first period with d = 1
        var dcol = data.Numeric(treatment);
        var ids = data.Text(unit);
        var tcol = data.Numeric(time);
        for (int r = 0; r < dcol.Length; r++)
            if (!(dcol[r] == 0 || dcol[r] == 1))
                throw new InputException($"{data.Source}: row {r + 2}: '{treatment}' is {StaggeredPanel.Fmt(dcol[r])}; the decomposition needs a 0/1 treatment dummy.");
        var firstTreated = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int r = 0; r < dcol.Length; r++)
            if (dcol[r] == 1 && ids[r] is { } id && !double.IsNaN(tcol[r]))
                firstTreated[id] = Math.Min(firstTreated.GetValueOrDefault(id, double.PositiveInfinity), tcol[r]);
        var cohort = new double[data.RowCount];
        for (int r = 0; r < cohort.Length; r++) cohort[r] = ids[r] is { } id && firstTreated.TryGetValue(id, out var ft) ? ft : 0;
        var panel = StaggeredPanel.Build(data.With(".bacon_cohort", cohort), unit, time, ".bacon_cohort");
        for (int r = 0; r < dcol.Length; r++)
            if (cohort[r] != 0 && tcol[r] >= cohort[r] && dcol[r] != 1)
                throw new InputException($"{data.Source}: row {r + 2}: {unit} {ids[r]} is treated from {time} {StaggeredPanel.Fmt(cohort[r])} but '{treatment}' is 0 in {StaggeredPanel.Fmt(tcol[r])}; " +
                                         "the decomposition needs an absorbing treatment (once treated, always treated).");
        var y = panel.Matrix(outcome);
        int N = panel.N, T = panel.T;
        double first = panel.Periods[0];
        var groups = panel.Cohorts.Distinct().Order().ToList();   // 0 = never treated
        var components = new List<BaconComponent>();
        foreach (var k in groups.Where(g => g != 0 && g != first))
        {
            foreach (var l in groups.Where(g => g != k))
            {
                BaconComparison type;
                int lo = 0, hi = T - 1;
                if (l == 0) type = BaconComparison.TreatedVsNeverTreated;
                else if (l == first) type = BaconComparison.LaterVsAlwaysTreated;
                else if (k < l) { type = BaconComparison.EarlierVsLaterTreated; hi = panel.PeriodIndexBefore(l); }
                else { type = BaconComparison.LaterVsEarlierTreated; lo = panel.PeriodIndexAtOrAfter(l); }
                if (hi < lo) continue;
                var (est, w) = TwoByTwo(panel, y, k, l, lo, hi, type);
                if (w > 0) components.Add(new BaconComponent(k, l == 0 ? double.PositiveInfinity : l, type, est, w, panel.Periods[lo], panel.Periods[hi]));
            }
        }
        if (components.Count == 0) throw new InputException($"{data.Source}: no 2×2 comparison: the treatment never switches on within the panel.");
        double total = components.Sum(c => c.Weight);
        components = [.. components.Select(c => c with { Weight = c.Weight / total })];
        var twfe = Feols.Fit(data, $"`{outcome}` ~ `{treatment}` | `{unit}` + `{time}`", Vcov.Cluster(unit));
        var summaries = components.GroupBy(c => c.Type).OrderBy(g => g.Key)
            .Select(g => new BaconTypeSummary(g.Key, g.Sum(c => c.Weight), g.Sum(c => c.Weight * c.Estimate) / g.Sum(c => c.Weight), g.Count()))
            .ToImmutableArray();
        return new BaconResult(twfe, [.. components], summaries, components.Sum(c => c.Weight * c.Estimate), outcome, treatment, unit, time);
    }

    /// <summary>The 2×2 DiD of group k (switching) against group l on periods lo..hi, and its unnormalised weight.</summary>
    private static (double Estimate, double Weight) TwoByTwo(StaggeredPanel p, double[] y, double k, double l, int lo, int hi, BaconComparison type)
    {
        int T = p.T;
        double preK = 0, postK = 0, preL = 0, postL = 0;
        int nPre = 0, nPost = 0, unitsK = 0, unitsL = 0;
        // the switch: k's first treated period (k < l or vs never/always) — for later vs earlier the switch is also k's
        for (int t = lo; t <= hi; t++) { if (p.Periods[t] >= k) nPost++; else nPre++; }
        for (int i = 0; i < p.N; i++)
        {
            double c = p.Cohorts[i];
            if (c != k && c != l) continue;
            double pre = 0, post = 0;
            for (int t = lo; t <= hi; t++) { if (p.Periods[t] >= k) post += y[i * T + t]; else pre += y[i * T + t]; }
            if (c == k) { preK += pre; postK += post; unitsK++; }
            else { preL += pre; postL += post; unitsL++; }
        }
        double est = (postK / (unitsK * nPost) - preK / (unitsK * nPre)) - (postL / (unitsL * nPost) - preL / (unitsL * nPre));
        int len = hi - lo + 1;
        double nk = unitsK * (double)len, nl = unitsL * (double)len;
        double dk = nPost / (double)len;                                  // treated share of k in the window
        double dl = l == 0 ? 0 : CountTreated(p, l, lo, hi) / (double)len; // of l
        double w;
        switch (type)
        {
            case BaconComparison.TreatedVsNeverTreated:
            {
                double nkl = nk / (nk + nl);
                w = (nk + nl) * (nk + nl) * nkl * (1 - nkl) * dk * (1 - dk);
                break;
            }
            case BaconComparison.EarlierVsLaterTreated:
            {
                double nkl = nk / (nk + nl);
                w = Math.Pow((nk + nl) * (1 - dl), 2) * nkl * (1 - nkl) * (dk - dl) / (1 - dl) * (1 - dk) / (1 - dl);
                break;
            }
            default:
            {
                double ne = nl / (nk + nl);
                w = Math.Pow((nk + nl) * dl, 2) * ne * (1 - ne) * (dk / dl) * (dl - dk) / dl;
                break;
            }
        }
        return (est, w);
    }

    private static int CountTreated(StaggeredPanel p, double cohort, int lo, int hi)
    {
        int c = 0;
        for (int t = lo; t <= hi; t++) if (p.Periods[t] >= cohort) c++;
        return c;
    }
}

/// <summary>The Goodman-Bacon decomposition: every 2×2 comparison, totals by type, and the TWFE regression it decomposes.</summary>
/// <param name="Twfe">The two-way fixed-effects regression y ~ d | unit + time (clustered by unit).</param>
/// <param name="Components">Every 2×2 comparison with its weight.</param>
/// <param name="ByType">Weight and weighted estimate by type of comparison.</param>
/// <param name="WeightedSum">Σ weight × estimate (equals the TWFE coefficient in a balanced panel).</param>
/// <param name="Outcome">Outcome column.</param>
/// <param name="Treatment">Treatment dummy column.</param>
/// <param name="Unit">Unit column.</param>
/// <param name="Time">Time column.</param>
public sealed record BaconResult(FeolsResult Twfe, ImmutableArray<BaconComponent> Components, ImmutableArray<BaconTypeSummary> ByType,
    double WeightedSum, string Outcome, string Treatment, string Unit, string Time)
{
    /// <summary>The TWFE coefficient being decomposed.</summary>
    public double TwfeEstimate => Twfe[Treatment].Estimate;

    /// <summary>The type's summary (zero weight when the design has no such comparison).</summary>
    public BaconTypeSummary this[BaconComparison type] => ByType.FirstOrDefault(s => s.Type == type) ?? new BaconTypeSummary(type, 0, double.NaN, 0);

    /// <summary>Readable name of a comparison type.</summary>
    public static string TypeName(BaconComparison t) => t switch
    {
        BaconComparison.TreatedVsNeverTreated => "Treated vs never treated",
        BaconComparison.EarlierVsLaterTreated => "Earlier vs later treated",
        BaconComparison.LaterVsEarlierTreated => "Later vs earlier treated",
        _ => "Later vs always treated",
    };

    /// <summary>Machine name of a comparison type (JSON).</summary>
    public static string TypeKey(BaconComparison t) => t switch
    {
        BaconComparison.TreatedVsNeverTreated => "treated_vs_never",
        BaconComparison.EarlierVsLaterTreated => "earlier_vs_later",
        BaconComparison.LaterVsEarlierTreated => "later_vs_earlier",
        _ => "later_vs_always",
    };

    private static string G(double g) => double.IsPositiveInfinity(g) ? "never" : StaggeredPanel.Fmt(g);

    /// <summary>Notes under the tables.</summary>
    public ImmutableArray<string> Notes() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"Goodman-Bacon (2021) decomposition of the TWFE coefficient of {Treatment} ({TwfeEstimate:F6}) into {Components.Length} 2×2 comparisons; Σ weight × estimate = {WeightedSum:F6}."),
        "Weights: subsample size × variance of treatment within the 2×2 window (Goodman-Bacon 2021, eq. 10; bacondecomp 0.1.1), scaled to sum to one. Later vs earlier treated comparisons use already-treated units as controls and are biased when effects change over time.",
    ];

    /// <summary>Weight and average estimate by type, and the TWFE coefficient.</summary>
    public Table ToTable(string id = "bacon", string title = "Goodman-Bacon decomposition of the TWFE estimate")
    {
        var rows = ByType.Select(s => new TableRow(TypeName(s.Type), Fmt(s.Weight, 5), Fmt(s.Estimate, 5), s.Count.ToString(CultureInfo.InvariantCulture))).ToList();
        rows.Add(new TableRow(["TWFE estimate (= Σ weight × estimate)", "1.00000", Fmt(TwfeEstimate, 5), Components.Length.ToString(CultureInfo.InvariantCulture)], true));
        return new Table(id, title, ["Comparison", "Weight", "Average estimate", "2×2 comparisons"], rows, Notes());
    }

    /// <summary>Every 2×2 comparison.</summary>
    public Table ComponentTable(string id = "bacon_components", string title = "Goodman-Bacon decomposition: every 2×2 comparison")
    {
        var rows = Components.Select(c => new TableRow(G(c.Treated), G(c.Comparison), TypeName(c.Type),
            $"{StaggeredPanel.Fmt(c.WindowStart)}–{StaggeredPanel.Fmt(c.WindowEnd)}", Fmt(c.Weight, 5), Fmt(c.Estimate, 5)));
        return new Table(id, title, ["Treated group", "Comparison group", "Type", "Window", "Weight", "Estimate"], rows, Notes());
    }

    /// <summary>
    /// JSON: <c>twfe</c> {estimate, std_error}, <c>components</c> [{type, treated, comparison, weight, estimate}],
    /// <c>by_type</c> [{type, weight, estimate, count}], <c>weighted_sum</c>.
    /// </summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        w.WriteString("formula", $"{Outcome} ~ {Treatment} | {Unit} + {Time}");
        w.WriteString("estimator", "bacon");
        var c = Twfe[Treatment];
        w.WriteStartObject("twfe");
        ResultJson.Num(w, "estimate", c.Estimate); ResultJson.Num(w, "std_error", c.StdError);
        w.WriteNumber("nobs", Twfe.Nobs);
        w.WriteString("vcov", Twfe.VcovName);
        w.WriteEndObject();
        w.WriteStartArray("components");
        foreach (var x in Components)
        {
            w.WriteStartObject();
            w.WriteString("type", TypeKey(x.Type));
            ResultJson.Num(w, "treated", x.Treated);
            if (double.IsPositiveInfinity(x.Comparison)) w.WriteString("comparison", "never"); else ResultJson.Num(w, "comparison", x.Comparison);
            ResultJson.Num(w, "weight", x.Weight); ResultJson.Num(w, "estimate", x.Estimate);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("by_type");
        foreach (var s in ByType)
        {
            w.WriteStartObject();
            w.WriteString("type", TypeKey(s.Type));
            ResultJson.Num(w, "weight", s.Weight); ResultJson.Num(w, "estimate", s.Estimate); w.WriteNumber("count", s.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        ResultJson.Num(w, "weighted_sum", WeightedSum);
    });

    private static string Fmt(double v, int d) => double.IsNaN(v) ? "" : v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The by-type table as Markdown.</summary>
    public override string ToString() => ToTable().ToMarkdown();
}
