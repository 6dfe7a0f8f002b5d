using System.CommandLine;
using Compendium.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium iv</c>: 2SLS with fixed effects and weak-instrument diagnostics on any CSV
/// (<c>compendium fit</c> dispatches here when the formula has an IV part). A table by default;
/// <c>--json</c> gives the shared machine form: <c>coefficients</c> (name, estimate, std_error, t, p,
/// ci_low, ci_high), <c>nobs</c>, <c>vcov</c> and <c>diagnostics</c> (first stages, weak-instrument and
/// endogeneity tests as {name, statistic, df1, df2, p, null}, Stock–Yogo critical values).
/// </summary>
public sealed class IvCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "CSV or Apache Parquet (only the columns the model uses are read), or an .xlsx spreadsheet (first sheet, header in row 1)", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "fixest-style \"y ~ x | fe1 + fe2 | d ~ z1 + z2\"; the last part lists endogenous regressors and excluded instruments", required: true, helpName: "FORMULA");
    private readonly Option<string> _vcov = Text("--vcov", "iid, hetero, cluster:VAR or cluster:VAR1+VAR2; default as 'compendium fit' (clustered by the first fixed effect, iid without)", helpName: "VCOV");
    private readonly Option<bool> _keepSingletons = Flag("--keep-singletons", "keep singleton observations of the fixed effects (dropped by default, as reghdfe)");
    private readonly Option<bool> _json = Flag("--json", "print JSON instead of a table");

    /// <inheritdoc/>
    public override string Name => "iv";
    /// <inheritdoc/>
    public override string Summary => "2SLS with fixed effects, first stages and weak-instrument diagnostics (KP, CD, AR, Stock–Yogo)";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _vcov, _keepSingletons, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Formula.Parse(parse.GetRequiredValue(_formula));
        var vcovSpec = parse.GetValue(_vcov);
        var (vcov, data) = DefaultVcov.Choose(vcovSpec, parsed, FitCommand.ReadModelData(parse.GetRequiredValue(_data), parsed, vcovSpec, null), stderr);
        var result = Iv2sls.Fit(data, parsed, vcov, new IvOptions(!parse.GetValue(_keepSingletons)));
        Write(result, parse.GetValue(_json), stdout);
        return 0;
    }

    /// <summary>Print a result as a table (second stage, first stages, diagnostics) or as JSON.</summary>
    public static void Write(IvResult result, bool json, TextWriter stdout) =>
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable("iv").ToMarkdown());
}
