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
public sealed class PsmCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "psm";
    /// <inheritdoc/>
    public string Summary => "propensity-score matching (MatchIt's nearest neighbour), balance tests, DID on the matched sample";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium psm --data FILE.csv --treat GROUP --covariates a,b,c [--by year] [--caliper 0.05] [--caliper-sd]
                              [--ratio 1] [--replace] [--formula "y ~ d + a | unit + year"] [--vcov iid|hetero|cluster:VAR] [--json]
          --treat       0/1 treated-group indicator (e.g. pilot), the outcome of the score logit
          --covariates  comma-separated covariates of the logit
          --by          match separately within each value of this column (a logit per year); pooled if absent
          --caliper     largest |score difference| of a match (on the score scale; with --caliper-sd in standard
                        deviations of the score, MatchIt's default)
          --ratio       controls per treated unit (k:1, in k rounds); --replace: controls may be reused
          --formula     the DID fitted on the matched rows (weighted by the matching weights) and on all rows
          --json        print JSON: per_group [{group, treated, treated_matched, controls_matched}],
                        balance [{variable, mean_t_before, mean_c_before, smd_before, pct_bias_before,
                        mean_t_after, mean_c_after, smd_after, pct_bias_after}], n_before, n_after,
                        matched_rows (0-based data rows of the file), did (the estimation JSON, or null)
        Matching follows R MatchIt (method "nearest", distance "glm", m.order "largest"); the SMD uses the treated
        group's SD (MatchIt), % bias the pooled SD of the unmatched samples (psmatch2/pstest).
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "replace", "caliper-sd"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var treat = args.Required("treat");
        var covariates = args.Required("covariates").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var by = args.Option("by");
        double? caliper = args.Option("caliper") is { } c
            ? double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var cv) && cv > 0 ? cv : throw new UsageException($"--caliper must be a positive number, not '{c}'")
            : null;
        int ratio = args.Option("ratio") is { } r
            ? int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0 ? rv : throw new UsageException($"--ratio must be a positive whole number, not '{r}'")
            : 1;
        bool replace = args.Flag("replace"), caliperSd = args.Flag("caliper-sd"), json = args.Flag("json");
        var formula = args.Option("formula");
        var vcov = Vcov.Parse(args.Option("vcov") ?? "iid");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
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
