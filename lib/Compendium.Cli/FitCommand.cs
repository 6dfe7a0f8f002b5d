using System.CommandLine;
using Compendium.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium fit</c>: fixed-effects OLS on any CSV or spreadsheet. A readable table by default;
/// <c>--json</c> gives the machine form shared by every estimation command: <c>coefficients</c> (name,
/// estimate, std_error, t, p, ci_low, ci_high, and not_computable when they cannot be computed),
/// <c>nobs</c>, <c>r2</c>, <c>r2_within</c>, <c>vcov</c> and <c>diagnostics</c>. Numbers are written in the
/// shortest round-trip form; NaN becomes null.
/// </summary>
public sealed class FitCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "a CSV file (comma-separated, UTF-8) or an .xlsx spreadsheet (first sheet, header in row 1)", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "fixest-style \"y ~ x1 + x2 | fe1 + fe2\": interactions a:b and a*b, event-time dummies i(rel_year, ref = -1, bin = [-6, 6]), fixed effects after '|' (a^b combines two factors), an IV part '| d ~ z' makes it 2SLS", required: true, helpName: "FORMULA");
    private readonly Option<string> _vcov = Text("--vcov", "iid, hetero, cluster:VAR or cluster:VAR1+VAR2; default as fixest: clustered by the first fixed effect when there are fixed effects (said on stderr), iid without", helpName: "VCOV");
    private readonly Option<string> _weights = Text("--weights", "column of analytic weights", helpName: "COLUMN");
    private readonly Option<bool> _keepSingletons = Flag("--keep-singletons", "keep singleton observations of the fixed effects (dropped by default, as reghdfe)");
    private readonly Option<bool> _json = Flag("--json", "print JSON instead of a table");

    /// <inheritdoc/>
    public override string Name => "fit";
    /// <inheritdoc/>
    public override string Summary => "fixed-effects OLS on a CSV or .xlsx file: a regression table, or JSON";
    /// <inheritdoc/>
    public override string Details => "Small-sample corrections follow fixest's defaults; a statistic that cannot be computed is shown as \"not computable: REASON\".";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _vcov, _weights, _keepSingletons, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Formula.Parse(parse.GetRequiredValue(_formula));
        var weights = parse.GetValue(_weights);
        bool json = parse.GetValue(_json), keepSingletons = parse.GetValue(_keepSingletons);
        var (vcov, data) = DefaultVcov.Choose(parse.GetValue(_vcov), parsed, TableFile.Read(parse.GetRequiredValue(_data)), stderr);
        if (parsed.Iv is not null)
        {
            // An IV part ('| d ~ z') makes it a 2SLS model: same options and output conventions, see IvCommand.
            if (weights is not null) throw new UsageException("--weights is not supported for IV formulas");
            IvCommand.Write(Iv2sls.Fit(data, parsed, vcov, new IvOptions(!keepSingletons)), json, stdout);
            return 0;
        }
        var result = Feols.Fit(data, parsed, vcov, new FeolsOptions(weights, !keepSingletons));
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable("fit").ToMarkdown());
        return 0;
    }
}
