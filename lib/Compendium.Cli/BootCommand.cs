using System.CommandLine;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Resampling;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium boot</c>: the restricted wild cluster bootstrap of one coefficient of a fixed-effects
/// OLS model on any CSV. <c>--json</c>: coefficient, estimate, std_error, t, p, ci_low, ci_high, draws,
/// full_enumeration, cluster, clusters, weights, seed, null, nobs.
/// </summary>
public sealed class BootCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "CSV file", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "fixest-style \"y ~ d + x | fe1 + fe2\"", required: true, helpName: "FORMULA");
    private readonly Option<string> _coef = Text("--coef", "the coefficient tested", required: true, helpName: "NAME");
    private readonly Option<string> _cluster = Text("--cluster", "the cluster variable", required: true, helpName: "VAR");
    private readonly Option<int> _draws = Int("--draws", "bootstrap draws; with Rademacher weights and 2^G <= draws all sign vectors are enumerated", 9999);
    private readonly Option<string> _weights = Text("--weights", "rademacher or webb", helpName: "rademacher|webb", defaultValue: "rademacher");
    private readonly Option<ulong> _seed = Seed("seed of the random stream");
    private readonly Option<double> _null = Number("--null", "the value r of H0: coef = r", 0, "R");
    private readonly Option<double> _alpha = Number("--alpha", "level of the confidence interval (1 - alpha)", 0.05, "A");
    private readonly Option<bool> _noCi = Flag("--no-ci", "skip the confidence interval (test inversion)");
    private readonly Option<bool> _json = Flag("--json", "JSON: coefficient, estimate, std_error, t, p, ci_low, ci_high, draws, full_enumeration, clusters, weights, seed");

    /// <inheritdoc/>
    public override string Name => "boot";
    /// <inheritdoc/>
    public override string Summary => "wild cluster bootstrap (restricted, Rademacher/Webb) p-value and interval for one coefficient";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _coef, _cluster, _draws, _weights, _seed, _null, _alpha, _noCi, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var weights = parse.GetValue(_weights);
        var w = weights switch
        {
            "rademacher" => WildWeights.Rademacher, "webb" => WildWeights.Webb,
            _ => throw new UsageException($"--weights is rademacher or webb, not '{weights}'"),
        };
        var options = new WildBootstrapOptions(parse.GetValue(_draws), w, parse.GetValue(_seed), parse.GetValue(_null), Probability(parse, _alpha), !parse.GetValue(_noCi));
        var r = WildClusterBootstrap.Test(ColumnTableCsv.Read(parse.GetRequiredValue(_data)), parse.GetRequiredValue(_formula),
            parse.GetRequiredValue(_coef), parse.GetRequiredValue(_cluster), options);
        return Write(stdout, parse.GetValue(_json), r.ToJson, () => r.ToTable().ToMarkdown());
    }
}
