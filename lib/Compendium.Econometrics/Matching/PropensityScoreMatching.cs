using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Econometrics.Matching;

/// <summary>Settings of <see cref="PropensityScoreMatching"/>; the defaults are MatchIt's 1:1 nearest-neighbour matching without replacement.</summary>
/// <param name="By">Match separately within each value of this column (e.g. <c>year</c>: a logit and a matching per year); null: one pooled logit and matching over all rows.</param>
/// <param name="Caliper">Largest allowed |score difference| between a treated unit and its control; null for none.</param>
/// <param name="CaliperInStandardDeviations">Read <paramref name="Caliper"/> in standard deviations of the score in each group (MatchIt's default <c>std.caliper = TRUE</c>) instead of on the score scale (psmatch2's, and this default).</param>
/// <param name="Ratio">Controls per treated unit (k:1 matching, in k rounds).</param>
/// <param name="Replace">Match with replacement: a control may serve several treated units (then the matched-sample regression is weighted).</param>
/// <param name="Logit">Settings of the propensity-score logit.</param>
public sealed record MatchingOptions(string? By = null, double? Caliper = null, bool CaliperInStandardDeviations = false,
    int Ratio = 1, bool Replace = false, LogitOptions? Logit = null);

/// <summary>
/// Propensity-score matching of a treated group to controls, with balance statistics, and the
/// difference-in-differences on the matched sample (PSM-DID): R MatchIt's
/// <c>matchit(method = "nearest", distance = "glm", link = "logit", m.order = "largest")</c>, which
/// is the reference (tests/reference/psm).
/// </summary>
/// <remarks>
/// <para><b>Score.</b> A logit (<see cref="Logit"/>) of the 0/1 group indicator on the covariates, in
/// each group of <see cref="MatchingOptions.By"/> separately (year-by-year matching, as PSM-DID papers
/// with annual matching do) or pooled; the score is the fitted probability. Rows with a missing
/// group indicator or covariate take no part.</para>
/// <para><b>Matching.</b> Greedy nearest neighbour on the score (<see cref="NearestNeighbour"/>): treated
/// units in decreasing order of the score, each takes the closest available control (the lower one on
/// a tie), within the caliper if one is set; k:1 in k rounds; without replacement by default.</para>
/// <para><b>Weights</b> (MatchIt's): a matched treated unit has weight 1; a control gets Σ 1/k_i over the
/// treated units i it serves (k_i = controls unit i got); within each group the control weights are
/// scaled to sum to the number of distinct matched controls. Unmatched rows have weight 0.</para>
/// <para><b>Balance</b> (<see cref="BalanceRow"/>), on the stacked rows of all groups, before matching
/// (all rows, weight 1) and after (matched rows, matching weights): MatchIt's standardised mean
/// difference (treated SD of the unmatched sample; p(1 − p) for 0/1 variables) and psmatch2/pstest's
/// % bias (pooled SD of the unmatched samples), and a weighted two-group t-test.</para>
/// <para><b>MatchIt 4.5.1</b> (the Debian package) has a defect that makes the lower neighbour always win
/// and calipers never bind (integer <c>abs</c> on score differences); the reference values come from
/// MatchIt 4.5.5's matcher, which Compendium follows (see tests/reference/psm/README.md).</para>
/// </remarks>
/// <example><code>
/// var m = PropensityScoreMatching.Fit(panel, "pilot", ["econ_density", "fdi"],
///     "resilience ~ treat + econ_density + fdi | city_code + year", Vcov.Cluster("city_code"), new MatchingOptions(By: "year"));
/// double did = m.Matched["treat"].Estimate;
/// </code></example>
public static class PropensityScoreMatching
{
    /// <summary>Match only (scores, matched sets, weights, balance), no outcome regression.</summary>
    /// <param name="data">The data; one row per unit (per unit and period when matching by period).</param>
    /// <param name="treatedGroup">0/1 column: 1 for the treated group (e.g. <c>pilot</c>), 0 for potential controls.</param>
    /// <param name="covariates">Numeric columns of the score model.</param>
    /// <param name="options">Grouping, caliper, ratio, replacement.</param>
    public static MatchingResult Match(ColumnTable data, string treatedGroup, IReadOnlyList<string> covariates, MatchingOptions? options = null)
    {
        options ??= new MatchingOptions();
        Check(data, treatedGroup, covariates, options);
        var t = data.Numeric(treatedGroup);
        var xs = covariates.Select(data.Numeric).ToArray();
        int n = data.RowCount;
        var usable = new bool[n];
        for (int i = 0; i < n; i++)
        {
            usable[i] = !double.IsNaN(t[i]) && xs.All(x => !double.IsNaN(x[i]));
            if (usable[i] && t[i] != 0 && t[i] != 1)
                throw new InputException($"{data.Source}: row {i + 1}, column '{treatedGroup}': the treated-group indicator must be 0 or 1, found {t[i].ToString(CultureInfo.InvariantCulture)}.");
        }
        var groups = GroupRows(data, options.By, usable);
        var score = Enumerable.Repeat(double.NaN, n).ToArray();
        var weight = new double[n];
        var pairs = ImmutableArray.CreateBuilder<MatchedPair>();
        var summaries = ImmutableArray.CreateBuilder<MatchingGroup>();
        foreach (var (key, rows) in groups)
        {
            var sub = Subset(data, rows, [treatedGroup, .. covariates]);
            LogitResult logit;
            try { logit = Logit.Fit(sub, treatedGroup, covariates, options.Logit); }
            catch (InputException e) when (options.By is not null)
            { throw new InputException($"propensity-score logit for {options.By} = {key}: {e.Message}"); }
            var s = logit.Fitted;
            var isT = rows.Select(i => t[i] == 1).ToArray();
            double? caliper = options.Caliper is double c ? (options.CaliperInStandardDeviations ? c * SampleSd(s) : c) : null;
            var matches = NearestNeighbour.Match(isT, s, options.Ratio, options.Replace, caliper);
            var w = Weights(matches, isT);
            int treatedMatched = 0;
            for (int j = 0; j < rows.Length; j++)
            {
                score[rows[j]] = s[j];
                weight[rows[j]] = w[j];
                if (matches[j] is { } m)
                {
                    if (m.Length > 0) treatedMatched++;
                    for (int slot = 0; slot < m.Length; slot++) pairs.Add(new MatchedPair(key, rows[j], slot + 1, rows[m[slot]]));
                }
            }
            summaries.Add(new MatchingGroup(key, isT.Count(b => b), treatedMatched, Enumerable.Range(0, rows.Length).Count(j => !isT[j] && w[j] > 0),
                rows.Length, caliper, logit));
        }
        var balance = Balance.Compute(covariates.Select((v, j) => (v, xs[j])).Append(("score", score)).ToList(), t, weight, usable);
        var isTreated = Enumerable.Range(0, n).Select(i => usable[i] && t[i] == 1).ToImmutableArray();
        return new MatchingResult(treatedGroup, [.. covariates], options, summaries.ToImmutable(), [.. score], [.. weight], isTreated, pairs.ToImmutable(),
            balance, usable.Count(b => b), weight.Count(v => v > 0), data.Source);
    }

    /// <summary>
    /// Match, then fit <paramref name="formula"/> by <see cref="Feols"/> on the matched rows (weighted by the
    /// matching weights, which are all 1 for 1:1 matching without replacement and without a caliper) and on
    /// all rows, for comparison.
    /// </summary>
    /// <param name="data">The panel.</param>
    /// <param name="treatedGroup">0/1 treated-group column (time-invariant in a panel, e.g. <c>pilot</c>).</param>
    /// <param name="covariates">Columns of the score model.</param>
    /// <param name="formula">The DID model, e.g. <c>resilience ~ treat + x | city_code + year</c>.</param>
    /// <param name="vcov">Variance estimator of both fits (default iid).</param>
    /// <param name="options">Matching settings.</param>
    public static PsmDidResult Fit(ColumnTable data, string treatedGroup, IReadOnlyList<string> covariates, string formula,
        Vcov? vcov = null, MatchingOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        var parsed = Formula.Parse(formula);
        if (parsed.Iv is not null) throw new InputException($"'{formula}': PSM-DID fits an OLS model; remove the IV part.");
        var matching = Match(data, treatedGroup, covariates, options);
        var full = Feols.Fit(data, parsed, vcov);
        const string wname = "(matching weight)";
        var keep = matching.Weights.Select(w => w > 0).ToArray();
        var matchedData = data.With(wname, [.. matching.Weights]).Where(keep);
        var matched = Feols.Fit(matchedData, parsed, vcov, new FeolsOptions(Weights: wname));
        return new PsmDidResult(matching, matched, full);
    }

    private static void Check(ColumnTable data, string treatedGroup, IReadOnlyList<string> covariates, MatchingOptions o)
    {
        if (covariates.Count == 0) throw new InputException("propensity-score matching needs at least one covariate.");
        foreach (var v in covariates.Prepend(treatedGroup).Concat(o.By is null ? [] : [o.By]))
            if (!data.HasColumn(v)) throw data.Missing(v);
        if (covariates.Contains(treatedGroup)) throw new InputException($"'{treatedGroup}' is the treated-group indicator and cannot also be a covariate.");
        if (o.Ratio < 1) throw new InputException($"ratio must be at least 1 (controls per treated unit), got {o.Ratio}.");
        if (o.Caliper is double c && !(c > 0)) throw new InputException($"caliper must be positive, got {c.ToString(CultureInfo.InvariantCulture)}.");
    }

    // Groups in order of first appearance of the key; keys as text (numbers in invariant format).
    private static List<(string Key, int[] Rows)> GroupRows(ColumnTable data, string? by, bool[] usable)
    {
        var rows = Enumerable.Range(0, data.RowCount).Where(i => usable[i]);
        if (by is null) return [("all", rows.ToArray())];
        Func<int, string?> key = data.IsNumeric(by)
            ? (i => double.IsNaN(data.Numeric(by)[i]) ? null : data.Numeric(by)[i].ToString("R", CultureInfo.InvariantCulture))
            : (i => data.Text(by)[i]);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (int i in rows)
        {
            var k = key(i) ?? throw new InputException($"{data.Source}: row {i + 1}, column '{by}': missing value; every row used for matching needs a group.");
            if (!groups.TryGetValue(k, out var l)) { groups[k] = l = []; order.Add(k); }
            l.Add(i);
        }
        // numeric keys in numeric order, text keys in ordinal order: stable and readable
        var sorted = data.IsNumeric(by)
            ? order.OrderBy(k => double.Parse(k, CultureInfo.InvariantCulture)).ToList()
            : order.OrderBy(k => k, StringComparer.Ordinal).ToList();
        return sorted.Select(k => (k, groups[k].ToArray())).ToList();
    }

    private static ColumnTable Subset(ColumnTable data, int[] rows, IEnumerable<string> columns) =>
        ColumnTable.FromColumns(columns.Distinct().Select(c => KeyValuePair.Create(c, rows.Select(i => data.Numeric(c)[i]).ToArray())), data.Source);

    private static double SampleSd(IReadOnlyList<double> x)
    {
        double m = x.Average(), ss = 0;
        foreach (var v in x) ss += (v - m) * (v - m);
        return Math.Sqrt(ss / (x.Count - 1));
    }

    // MatchIt's weights_matrixC.
    private static double[] Weights(int[]?[] matches, bool[] treated)
    {
        var w = new double[treated.Length];
        for (int i = 0; i < treated.Length; i++)
        {
            if (matches[i] is not { Length: > 0 } m) continue;
            foreach (int c in m) w[c] += 1.0 / m.Length;
            w[i] = 1;
        }
        double sum = 0; int used = 0;
        for (int i = 0; i < w.Length; i++) if (!treated[i]) { sum += w[i]; if (w[i] > 0) used++; }
        if (sum > 0) for (int i = 0; i < w.Length; i++) if (!treated[i]) w[i] = w[i] * used / sum;
        return w;
    }
}
