using System.CommandLine;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Randomization;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium placebo</c>: randomisation inference for a staggered DID on any panel CSV
/// (<see cref="Placebo"/>): the treatment is reassigned at random, the model re-fitted each time, and the actual
/// estimate compared with the placebo distribution. <c>--json</c> fields: <c>draws</c>, <c>scheme</c>, <c>seed</c>,
/// <c>actual</c> {<c>estimate</c>, <c>t</c>}, <c>p_value</c> (|t|), <c>p_value_estimate</c>, <c>estimates</c>, <c>t_values</c>.
/// </summary>
public sealed class PlaceboCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "panel CSV", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "fixest-style \"y ~ d + x1 | unit + year\"", required: true, helpName: "FORMULA");
    private readonly Option<string> _treat = Text("--treat", "the 0/1 staggered treatment (a regressor of the formula; once 1, a unit stays 1)", required: true, helpName: "VAR");
    private readonly Option<string> _unit = Text("--unit", "unit column", required: true, helpName: "UNIT");
    private readonly Option<string> _time = Text("--time", "period column", required: true, helpName: "TIME");
    private readonly Option<int> _draws = Int("--draws", "placebo draws (at least 1)", 500);
    private readonly Option<ulong> _seed = Seed("seed of the SplitMix64 generator: the same draws on any machine");
    private readonly Option<string> _scheme = Text("--scheme", "units: the observed adoption years permuted across units (cohort sizes kept); timing: treated units kept, adoption years drawn at random; both: as many random units as are treated, each with a random adoption year", helpName: "units|timing|both", defaultValue: "both");
    private readonly Option<string> _years = Text("--years", "where random adoption years come from: sample (the sample's years except the first) or adoption (the observed adoption years)", helpName: "sample|adoption", defaultValue: "sample");
    private readonly Option<string> _vcov = Text("--vcov", "variance estimator of the t statistics; default as 'compendium fit': clustered by the first fixed effect (said on stderr), iid without fixed effects", helpName: "iid|hetero|cluster:VAR");
    private readonly Option<bool> _keepSingletons = Flag("--keep-singletons", "keep singleton observations of the fixed effects (dropped by default, as reghdfe)");
    private readonly Option<bool> _json = Flag("--json", "print JSON: draws, scheme, seed, actual {estimate, t}, p_value (|t|), p_value_estimate, estimates (array), t_values (array); a draw whose placebo column is collinear is null");

    /// <inheritdoc/>
    public override string Name => "placebo";
    /// <inheritdoc/>
    public override string Summary => "placebo test / randomisation inference: random treatment draws re-fitted, randomisation p-values";
    /// <inheritdoc/>
    public override string Details => "p-values: (1 + #{draws at least as extreme as the actual, in absolute value}) / (1 + draws), as ritest.";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _treat, _unit, _time, _draws, _seed, _scheme, _years, _vcov, _keepSingletons, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        int draws = AtLeast(parse, _draws, 1);
        var scheme = parse.GetValue(_scheme) switch
        {
            "units" => PlaceboScheme.Units, "timing" => PlaceboScheme.Timing, "both" => PlaceboScheme.Both,
            var other => throw new UsageException($"--scheme must be units, timing or both, not '{other}'"),
        };
        var years = parse.GetValue(_years) switch
        {
            "sample" => PlaceboYears.SamplePeriods, "adoption" => PlaceboYears.AdoptionTimes,
            var other => throw new UsageException($"--years must be sample or adoption, not '{other}'"),
        };
        var formula = parse.GetRequiredValue(_formula);
        var (vcov, data) = DefaultVcov.Choose(parse.GetValue(_vcov), Formula.Parse(formula), ColumnTableCsv.Read(parse.GetRequiredValue(_data)), stderr);
        var result = Placebo.Fit(data, formula, parse.GetRequiredValue(_treat),
            parse.GetRequiredValue(_unit), parse.GetRequiredValue(_time), vcov,
            new PlaceboOptions(draws, parse.GetValue(_seed), scheme, years, new Econometrics.Estimation.FeolsOptions(DropSingletons: !parse.GetValue(_keepSingletons))));
        return Write(stdout, parse.GetValue(_json), result.ToJson, () => result.ToTable().ToMarkdown());
    }
}
