using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Matching;

/// <summary>One treated unit's k-th control.</summary>
/// <param name="Group">The matching group (value of <see cref="MatchingOptions.By"/>, or <c>all</c>).</param>
/// <param name="TreatedRow">0-based row of the treated unit in the input data.</param>
/// <param name="Slot">1 for the first (nearest) control, 2 for the second round's, …</param>
/// <param name="ControlRow">0-based row of the control.</param>
public sealed record MatchedPair(string Group, int TreatedRow, int Slot, int ControlRow);

/// <summary>Counts and score model of one matching group.</summary>
/// <param name="Group">Value of the grouping column (or <c>all</c>).</param>
/// <param name="Treated">Treated rows in the group.</param>
/// <param name="TreatedMatched">Treated rows that got at least one control.</param>
/// <param name="ControlsMatched">Distinct control rows used.</param>
/// <param name="Rows">Rows in the group (treated and controls).</param>
/// <param name="Caliper">The caliper applied on the score scale (after conversion from standard deviations), or null.</param>
/// <param name="ScoreModel">The group's propensity-score logit.</param>
public sealed record MatchingGroup(string Group, int Treated, int TreatedMatched, int ControlsMatched, int Rows, double? Caliper, LogitResult ScoreModel)
{
    /// <summary>Treated rows left without a control (off common support within the caliper, or out of controls).</summary>
    public int TreatedUnmatched => Treated - TreatedMatched;
}

/// <summary>
/// The result of <see cref="PropensityScoreMatching.Match"/>: scores, matched sets, weights, per-group counts and balance.
/// Arrays indexed by row are aligned with the input data (NaN score / weight 0 for rows not used).
/// </summary>
/// <param name="TreatedGroup">The 0/1 treated-group column.</param>
/// <param name="Covariates">The score model's covariates.</param>
/// <param name="Options">The settings used.</param>
/// <param name="Groups">Counts and score model per group, in group order.</param>
/// <param name="Scores">Propensity score of each input row (NaN if the row was not usable).</param>
/// <param name="Weights">Matching weight of each input row (0 if unmatched or not usable).</param>
/// <param name="IsTreated">Whether each input row belongs to the treated group (false for controls and unusable rows).</param>
/// <param name="Pairs">The matched sets.</param>
/// <param name="Balance">Balance of every covariate and of the score (<c>score</c>, last).</param>
/// <param name="NBefore">Rows usable for matching (non-missing indicator and covariates).</param>
/// <param name="NAfter">Rows in the matched sample (weight &gt; 0).</param>
/// <param name="Source">Name of the data source, for notes.</param>
public sealed record MatchingResult(string TreatedGroup, ImmutableArray<string> Covariates, MatchingOptions Options,
    ImmutableArray<MatchingGroup> Groups, ImmutableArray<double> Scores, ImmutableArray<double> Weights, ImmutableArray<bool> IsTreated, ImmutableArray<MatchedPair> Pairs,
    ImmutableArray<BalanceRow> Balance, int NBefore, int NAfter, string Source)
{
    /// <summary>0-based input rows of the matched sample (weight &gt; 0), ascending.</summary>
    public ImmutableArray<int> MatchedRows => [.. Enumerable.Range(0, Weights.Length).Where(i => Weights[i] > 0)];

    /// <summary>The balance row of <paramref name="variable"/> (a covariate or <c>score</c>).</summary>
    public BalanceRow this[string variable] => Balance.FirstOrDefault(b => b.Variable == variable)
        ?? throw new InputException($"no balance row '{variable}'; variables: {string.Join(", ", Balance.Select(b => b.Variable))}");

    /// <summary>One line describing the matching (method, ratio, replacement, caliper, grouping).</summary>
    public string Description()
    {
        var o = Options;
        string cal = o.Caliper is double c
            ? $", caliper {F(c, 3)}{(o.CaliperInStandardDeviations ? " SD of the score" : " on the score")}" : ", no caliper";
        return $"Propensity scores: logit of {TreatedGroup} on {string.Join(", ", Covariates)}{(o.By is null ? " (pooled)" : $", fitted separately for each {o.By}")}; " +
               $"{o.Ratio}:1 nearest-neighbour matching {(o.Replace ? "with" : "without")} replacement, largest score first{cal} (R MatchIt conventions).";
    }

    /// <summary>Balance table: means, standardised difference and % bias before and after matching, |bias| reduction, t-test p after.</summary>
    public Table BalanceTable(string id = "psm_balance", string title = "Covariate balance before and after matching")
    {
        var rows = Balance.Select(b => new TableRow(b.Variable == "score" ? "Propensity score" : b.Variable,
            F(b.MeanTreatedBefore, 4), F(b.MeanControlBefore, 4), F(b.SmdBefore, 3), F(b.PctBiasBefore, 1), F(b.PBefore, 3),
            F(b.MeanControlAfter, 4), F(b.SmdAfter, 3), F(b.PctBiasAfter, 1), F(b.PAfter, 3), F(b.PctBiasReduction, 1)));
        return new Table(id, title,
            ["Variable", "Mean T", "Mean C (before)", "SMD before", "% bias before", "p before", "Mean C (after)", "SMD after", "% bias after", "p after", "% reduction |bias|"],
            rows,
            [Description(),
             "SMD: standardised mean difference with the treated group's SD in the unmatched sample (MatchIt, ATT). % bias: 100 × difference / √((s²_T + s²_C)/2), variances of the unmatched samples (psmatch2/pstest). p: t-test of the difference (weighted by the matching weights after matching).",
             $"Rows usable: {NBefore}; matched sample: {NAfter} rows. Treated means after matching equal those before when every treated row is matched."]);
    }

    /// <summary>Counts per group: treated, matched, unmatched, controls used.</summary>
    public Table GroupTable(string id = "psm_groups", string title = "Matched and unmatched units per group")
    {
        var rows = Groups.Select(g => new TableRow(g.Group, I(g.Rows), I(g.Treated), I(g.TreatedMatched), I(g.TreatedUnmatched), I(g.ControlsMatched)));
        var total = new TableRow(["Total", I(Groups.Sum(g => g.Rows)), I(Groups.Sum(g => g.Treated)), I(Groups.Sum(g => g.TreatedMatched)),
            I(Groups.Sum(g => g.TreatedUnmatched)), I(Groups.Sum(g => g.ControlsMatched))], true);
        return new Table(id, title, [Options.By ?? "Group", "Rows", "Treated", "Treated matched", "Treated unmatched", "Controls matched"],
            rows.Append(total), [Description()]);
    }

    /// <summary>Members <c>per_group</c>, <c>balance</c>, <c>n_before</c>, <c>n_after</c>, <c>matched_rows</c>.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartArray("per_group");
        foreach (var g in Groups)
        {
            w.WriteStartObject();
            w.WriteString("group", g.Group); w.WriteNumber("treated", g.Treated);
            w.WriteNumber("treated_matched", g.TreatedMatched); w.WriteNumber("controls_matched", g.ControlsMatched);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("balance");
        foreach (var b in Balance)
        {
            w.WriteStartObject();
            w.WriteString("variable", b.Variable);
            ResultJson.Num(w, "mean_t_before", b.MeanTreatedBefore); ResultJson.Num(w, "mean_c_before", b.MeanControlBefore);
            ResultJson.Num(w, "smd_before", b.SmdBefore); ResultJson.Num(w, "pct_bias_before", b.PctBiasBefore);
            ResultJson.Num(w, "mean_t_after", b.MeanTreatedAfter); ResultJson.Num(w, "mean_c_after", b.MeanControlAfter);
            ResultJson.Num(w, "smd_after", b.SmdAfter); ResultJson.Num(w, "pct_bias_after", b.PctBiasAfter);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("n_before", NBefore);
        w.WriteNumber("n_after", NAfter);
        w.WriteStartArray("matched_rows");
        foreach (int r in MatchedRows) w.WriteNumberValue(r);
        w.WriteEndArray();
    }

    internal static string F(double v, int d) => double.IsNaN(v) ? "" : v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// PSM-DID: the matching, the DID fitted on the matched sample (weighted by the matching weights) and on
/// the full sample. Built by <see cref="PropensityScoreMatching.Fit"/>; tables and JSON consume it.
/// </summary>
/// <param name="Matching">Scores, matched sets, weights and balance.</param>
/// <param name="Matched">The DID on the matched rows.</param>
/// <param name="Full">The same model on all rows.</param>
public sealed record PsmDidResult(MatchingResult Matching, FeolsResult Matched, FeolsResult Full)
{
    /// <summary>JSON: the matching members (<see cref="MatchingResult.WriteJson"/>) and <c>did</c>, the matched-sample estimation in the shared estimation form.</summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        Matching.WriteJson(w);
        w.WritePropertyName("did");
        w.WriteStartObject();
        ResultJson.Write(w, Matched);
        w.WriteEndObject();
    });
}
