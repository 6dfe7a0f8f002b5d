using Compendium.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium fit</c>: fixed-effects OLS on any CSV. A readable table by default; <c>--json</c> gives
/// the machine form shared by every estimation command: <c>coefficients</c> (name, estimate,
/// std_error, t, p, ci_low, ci_high), <c>nobs</c>, <c>r2</c>, <c>r2_within</c>, <c>vcov</c> and
/// <c>diagnostics</c>. Numbers are written in the shortest round-trip form; NaN becomes null.
/// </summary>
public sealed class FitCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "fit";
    /// <inheritdoc/>
    public string Summary => "fixed-effects OLS on a CSV or .xlsx file: a regression table, or JSON";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium fit --data FILE.csv --formula "y ~ x1 + x2 | fe1 + fe2" [--vcov iid|hetero|cluster:VAR|cluster:VAR1+VAR2]
                              [--weights COLUMN] [--keep-singletons] [--json]
          --formula   fixest-style: interactions a:b and a*b, event-time dummies i(rel_year, ref = -1, bin = [-6, 6]),
                      fixed effects after '|' (a^b combines two factors)
          --data      a CSV file (comma-separated, UTF-8) or an .xlsx spreadsheet (first sheet, header in row 1)
          --vcov      variance estimator; default as fixest: clustered by the first fixed effect when there are
                      fixed effects (said on stderr), iid without; small-sample corrections follow fixest's defaults
          --json      print JSON instead of a table
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "keep-singletons"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        var vcovSpec = args.Option("vcov");
        var weights = args.Option("weights");
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");

        var parsed = Formula.Parse(formula);
        var (vcov, data) = DefaultVcov.Choose(vcovSpec, parsed, TableFile.Read(dataPath), stderr);
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
