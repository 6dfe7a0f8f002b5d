using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Matching;
using Compendium.Tests.Estimation;
using Xunit;
using Xunit.Abstractions;

namespace Compendium.Tests.Matching;

/// <summary>
/// PropensityScoreMatching against tests/reference/psm (R MatchIt 4.5.5's nearest-neighbour matcher,
/// MatchIt's summary() for the SMD, pstest's % bias, lm + sandwich for the matched-sample DID; see the
/// README there): matched sets and weights identical, scores, balance statistics and the DID at 1e-6.
/// </summary>
public class PsmReferenceTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private static string PsmPath(string file) => Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "psm", file);
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")));
    private static readonly Lazy<ColumnTable> Lalonde = new(() => ColumnTableCsv.Read(PsmPath("lalonde.csv")));
    private static readonly Lazy<Dictionary<(string, string), double>> Values = new(() => LongCsv("psm_reference.csv", "key", "value"));

    private static readonly string[] Controls = ["econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];
    private static readonly string[] LalondeCovariates = ["age", "educ", "black", "hispan", "married", "nodegree", "re74", "re75"];
    private const string PanelDid = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
    private const string LalondeDid = "re78 ~ treat + age + educ + black + hispan + married + nodegree + re74 + re75";

    public static TheoryData<string, string?, double?, bool, int, bool> Cases => new()
    {
        { "panel_year", "year", null, false, 1, false },
        { "panel_year_caliper", "year", 0.05, false, 1, false },
        { "panel_year_replace", "year", null, false, 1, true },
        { "panel_year_ratio2", "year", null, false, 2, false },
        { "panel_year_ratio2_replace_caliper", "year", 0.05, false, 2, true },
        { "panel_pooled", null, null, false, 1, false },
        { "lalonde", null, null, false, 1, false },
        { "lalonde_caliper", null, 0.05, false, 1, false },
        { "lalonde_caliper_sd", null, 0.2, true, 1, false },
        { "lalonde_replace", null, null, false, 1, true },
        { "lalonde_ratio2", null, null, false, 2, false },
        { "lalonde_ratio3_caliper", null, 0.05, false, 3, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMatchIt(string @case, string? by, double? caliper, bool caliperSd, int ratio, bool replace)
    {
        bool panel = @case.StartsWith("panel", StringComparison.Ordinal);
        var data = panel ? Panel.Value : Lalonde.Value;
        var options = new MatchingOptions(By: by, Caliper: caliper, CaliperInStandardDeviations: caliperSd, Ratio: ratio, Replace: replace);
        var r = panel
            ? PropensityScoreMatching.Fit(data, "pilot", Controls, PanelDid, Vcov.Cluster("city_code"), options)
            : PropensityScoreMatching.Fit(data, "treat", LalondeCovariates, LalondeDid, Vcov.Hetero, options);
        var m = r.Matching;
        var v = Values.Value;
        double Ref(string key) => v.TryGetValue((@case, key), out var x) ? x : throw new KeyNotFoundException($"{@case}/{key}");

        // Matched sets: identical.
        var expected = ReadRows("psm_matches.csv", @case).Select(f => (f[1], int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture)))
            .OrderBy(x => x.Item2).ThenBy(x => x.Item3).ToList();
        var actual = m.Pairs.Select(p => (p.Group, p.TreatedRow, p.Slot, p.ControlRow)).OrderBy(x => x.TreatedRow).ThenBy(x => x.Slot).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);

        // Weights: same rows, values at 1e-12.
        var weights = ReadRows("psm_weights.csv", @case).ToDictionary(f => int.Parse(f[1], CultureInfo.InvariantCulture), f => double.Parse(f[2], CultureInfo.InvariantCulture));
        Assert.Equal(weights.Keys.Order(), m.MatchedRows);
        foreach (var (row, w) in weights) Assert.True(Math.Abs(m.Weights[row] - w) <= 1e-12 * w, $"weight of row {row}: {m.Weights[row]} vs {w}");

        // Counts.
        foreach (var g in m.Groups)
        {
            Assert.Equal(Ref($"group:{g.Group}:treated"), g.Treated);
            Assert.Equal(Ref($"group:{g.Group}:treated_matched"), g.TreatedMatched);
            Assert.Equal(Ref($"group:{g.Group}:controls_matched"), g.ControlsMatched);
            foreach (var c in g.ScoreModel.Coefficients) Close(Ref($"logit:{g.Group}:{c.Name}"), c.Estimate, $"logit {g.Group} {c.Name}");
        }
        Assert.Equal(Ref("n_before"), m.NBefore);
        Assert.Equal(Ref("n_after"), m.NAfter);

        // Balance.
        double worst = 0;
        foreach (var b in m.Balance)
        {
            foreach (var (q, val) in new (string, double)[]
            {
                ("mean_t_before", b.MeanTreatedBefore), ("mean_c_before", b.MeanControlBefore), ("smd_before", b.SmdBefore), ("pct_bias_before", b.PctBiasBefore),
                ("t_before", b.TBefore), ("p_before", b.PBefore), ("mean_t_after", b.MeanTreatedAfter), ("mean_c_after", b.MeanControlAfter),
                ("smd_after", b.SmdAfter), ("pct_bias_after", b.PctBiasAfter), ("t_after", b.TAfter), ("p_after", b.PAfter),
            })
                worst = Math.Max(worst, Close(Ref($"balance:{b.Variable}:{q}"), val, $"{b.Variable} {q}"));
        }

        // Matched-sample DID.
        var c0 = r.Matched["treat"];
        Assert.Equal(Ref("did:nobs"), r.Matched.Nobs);
        Assert.Equal(Ref("did:n_singletons"), r.Matched.SingletonsDropped);
        worst = Math.Max(worst, Close(Ref("did:coef:treat:estimate"), c0.Estimate, "DID estimate"));
        worst = Math.Max(worst, Close(Ref("did:coef:treat:std_error"), c0.StdError, "DID SE"));
        worst = Math.Max(worst, Close(Ref("did:coef:treat:t"), c0.T, "DID t"));
        worst = Math.Max(worst, Close(Ref("did:coef:treat:p"), c0.P, "DID p"));
        output.WriteLine($"{@case}: {m.Pairs.Length} pairs identical; max relative deviation of balance and DID {worst:E2}");
    }

    [Theory]
    [InlineData("panel_year", "year")]
    [InlineData("panel_pooled", null)]
    [InlineData("lalonde", null)]
    public void ScoresMatchGlm(string @case, string? by)
    {
        bool panel = @case.StartsWith("panel", StringComparison.Ordinal);
        var m = panel
            ? PropensityScoreMatching.Match(Panel.Value, "pilot", Controls, new MatchingOptions(By: by))
            : PropensityScoreMatching.Match(Lalonde.Value, "treat", LalondeCovariates);
        double worst = 0;
        foreach (var f in ReadRows("psm_scores.csv", @case))
            worst = Math.Max(worst, Close(double.Parse(f[2], CultureInfo.InvariantCulture), m.Scores[int.Parse(f[1], CultureInfo.InvariantCulture)], "score"));
        output.WriteLine($"{@case}: max relative deviation of the scores {worst:E2}");
        Assert.True(worst < 1e-8);
    }

    [Fact]
    public void FullSampleDidEqualsBaseline()
    {
        var r = PropensityScoreMatching.Fit(Panel.Value, "pilot", Controls, PanelDid, Vcov.Cluster("city_code"), new MatchingOptions(By: "year"));
        Close(Values.Value[("panel_full", "did:coef:treat:estimate")], r.Full["treat"].Estimate, "full");
        Close(Values.Value[("panel_full", "did:coef:treat:std_error")], r.Full["treat"].StdError, "full SE");
    }

    private static double Close(double expected, double actual, string what)
    {
        double rel = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        double abs = Math.Abs(actual - expected);
        // p-values far in the tail and differences that are zero up to rounding are compared absolutely.
        Assert.True(rel <= Tol || abs <= 1e-12, $"{what}: expected {expected:R}, got {actual:R} (relative {rel:E2})");
        return double.IsFinite(rel) ? rel : 0;
    }

    private static IEnumerable<string[]> ReadRows(string file, string @case) =>
        File.ReadLines(PsmPath(file)).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == @case);

    private static Dictionary<(string, string), double> LongCsv(string file, string key, string value) =>
        File.ReadLines(PsmPath(file)).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (f[0], f[1]), f => double.Parse(f[2], CultureInfo.InvariantCulture));
}
