using Compendium.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium iv</c>: 2SLS with fixed effects and weak-instrument diagnostics on any CSV
/// (<c>compendium fit</c> dispatches here when the formula has an IV part). A table by default;
/// <c>--json</c> gives the shared machine form: <c>coefficients</c> (name, estimate, std_error, t, p,
/// ci_low, ci_high), <c>nobs</c>, <c>vcov</c> and <c>diagnostics</c> (first stages, weak-instrument and
/// endogeneity tests as {name, statistic, df1, df2, p, null}, Stock–Yogo critical values).
/// </summary>
public sealed class IvCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "iv";
    /// <inheritdoc/>
    public string Summary => "2SLS with fixed effects, first stages and weak-instrument diagnostics (KP, CD, AR, Stock–Yogo)";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium iv --data FILE.csv --formula "y ~ x | fe1 + fe2 | d ~ z1 + z2" [--vcov iid|hetero|cluster:VAR] [--keep-singletons] [--json]
          --formula   fixest-style; the last part 'd1 + d2 ~ z1 + z2 + z3' lists endogenous regressors and excluded instruments
          --vcov      variance estimator; default as 'compendium fit' (clustered by the first fixed effect, iid without)
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
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        var parsed = Formula.Parse(formula);
        var (vcov, data) = DefaultVcov.Choose(vcovSpec, parsed, TableFile.Read(dataPath), stderr);
        var result = Iv2sls.Fit(data, parsed, vcov, new IvOptions(!keepSingletons));
        Write(result, json, stdout);
        return 0;
    }

    /// <summary>Print a result as a table (second stage, first stages, diagnostics) or as JSON.</summary>
    public static void Write(IvResult result, bool json, TextWriter stdout) =>
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable("iv").ToMarkdown());
}
