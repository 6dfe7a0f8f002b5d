using System.CommandLine;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Matching;
using Compendium.Econometrics.Output;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium psm</c>: propensity-score matching (R MatchIt's nearest neighbour) with balance tables, and the
/// DID on the matched sample beside the full sample (<see cref="PropensityScoreMatching"/>). <c>--json</c> fields:
/// <c>per_group</c> [{<c>group</c>, <c>treated</c>, <c>treated_matched</c>, <c>controls_matched</c>}], <c>balance</c>
/// [{<c>variable</c>, <c>mean_t_before</c>, <c>mean_c_before</c>, <c>smd_before</c>, <c>pct_bias_before</c>,
/// <c>mean_t_after</c>, <c>mean_c_after</c>, <c>smd_after</c>, <c>pct_bias_after</c>}], <c>n_before</c>,
/// <c>n_after</c>, <c>matched_rows</c>, <c>did</c> (the estimation JSON of the matched-sample fit; null without --formula).
/// </summary>
public sealed class PsmCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "CSV file", required: true, helpName: "FILE");
    private readonly Option<string> _treat = Text("--treat", "0/1 treated-group indicator (e.g. pilot), the outcome of the score logit", required: true, helpName: "GROUP");
    private readonly Option<string> _covariates = Text("--covariates", "comma-separated covariates of the logit", required: true, helpName: "a,b,c");
    private readonly Option<string> _by = Text("--by", "match separately within each value of this column (a logit per year); pooled if absent", helpName: "VAR");
    private readonly Option<double?> _caliper = OptionalNumber("--caliper", "largest |score difference| of a match (on the score scale; with --caliper-sd in standard deviations of the score, MatchIt's default)");
    private readonly Option<bool> _caliperSd = Flag("--caliper-sd", "--caliper is in standard deviations of the score");
    private readonly Option<int> _ratio = Int("--ratio", "controls per treated unit (k:1, in k rounds)", 1, "K");
    private readonly Option<bool> _replace = Flag("--replace", "controls may be reused");
    private readonly Option<string> _formula = Text("--formula", "the DID fitted on the matched rows (weighted by the matching weights) and on all rows, e.g. \"y ~ d + a | unit + year\"", helpName: "FORMULA");
    private readonly Option<string> _vcov = Text("--vcov", "variance estimator of the DID", helpName: "iid|hetero|cluster:VAR", defaultValue: "iid");
    private readonly Option<bool> _json = Flag("--json", "print JSON: per_group [{group, treated, treated_matched, controls_matched}], balance [{variable, mean_t_before, mean_c_before, smd_before, pct_bias_before, mean_t_after, mean_c_after, smd_after, pct_bias_after}], n_before, n_after, matched_rows (0-based data rows of the file), did (the estimation JSON, or null)");

    /// <inheritdoc/>
    public override string Name => "psm";
    /// <inheritdoc/>
    public override string Summary => "propensity-score matching (MatchIt's nearest neighbour), balance tests, DID on the matched sample";
    /// <inheritdoc/>
    public override string Details => """
        Matching follows R MatchIt (method "nearest", distance "glm", m.order "largest"); the SMD uses the treated group's SD (MatchIt), % bias the pooled SD of the unmatched samples (psmatch2/pstest).
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _treat, _covariates, _by, _caliper, _caliperSd, _ratio, _replace, _formula, _vcov, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = parse.GetRequiredValue(_data);
        var treat = parse.GetRequiredValue(_treat);
        var covariates = parse.GetRequiredValue(_covariates).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var by = parse.GetValue(_by);
        double? caliper = parse.GetValue(_caliper) is { } c
            ? c > 0 ? c : throw new UsageException($"--caliper must be a positive number, not '{c.ToString(CultureInfo.InvariantCulture)}'")
            : null;
        int ratio = AtLeast(parse, _ratio, 1);
        bool replace = parse.GetValue(_replace), caliperSd = parse.GetValue(_caliperSd), json = parse.GetValue(_json);
        var formula = parse.GetValue(_formula);
        var vcov = Vcov.Parse(parse.GetRequiredValue(_vcov));
        if (caliperSd && caliper is null) throw new UsageException("--caliper-sd needs --caliper");
        var data = ColumnTableCsv.Read(dataPath);
        var options = new MatchingOptions(by, caliper, caliperSd, ratio, replace);
        if (formula is null)
        {
            var m = PropensityScoreMatching.Match(data, treat, covariates, options);
            if (json) stdout.Write(ResultJson.Object(w => { m.WriteJson(w); w.WriteNull("did"); }) + "\n");
            else stdout.Write(m.GroupTable().ToMarkdown() + "\n" + m.BalanceTable().ToMarkdown());
            return 0;
        }
        var result = PropensityScoreMatching.Fit(data, treat, covariates, formula, vcov, options);
        if (json) { stdout.Write(result.ToJson() + "\n"); return 0; }
        stdout.Write(result.Matching.GroupTable().ToMarkdown() + "\n" + result.Matching.BalanceTable().ToMarkdown() + "\n" +
            RegressionTable.Build("psm_did", "DID on the full and on the matched sample", [result.Full, result.Matched],
                new RegressionTable.Options(ColumnTitles: ["Full sample", "Matched sample"])).ToMarkdown());
        return 0;
    }
}
