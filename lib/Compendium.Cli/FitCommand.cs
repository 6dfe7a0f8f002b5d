using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium fit</c>: fixed-effects OLS on any CSV or Parquet file (only the columns the model needs are read). A readable table by default; <c>--json</c> gives
/// the machine form shared by every estimation command: <c>coefficients</c> (name, estimate,
/// std_error, t, p, ci_low, ci_high), <c>nobs</c>, <c>r2</c>, <c>r2_within</c>, <c>vcov</c> and
/// <c>diagnostics</c>. Numbers are written in the shortest round-trip form; NaN becomes null.
/// </summary>
public sealed class FitCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "fit";
    /// <inheritdoc/>
    public string Summary => "fixed-effects OLS on a CSV, Parquet or .xlsx file: a regression table, or JSON";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium fit --data FILE.csv|FILE.parquet|FILE.xlsx --formula "y ~ x1 + x2 | fe1 + fe2" [--vcov iid|hetero|cluster:VAR|cluster:VAR1+VAR2]
                              [--weights COLUMN] [--keep-singletons] [--fixef-maxiter N] [--fixef-cg] [--json]
          --data           CSV (comma-separated, UTF-8, header line; empty or NA = missing) or Apache Parquet (.parquet);
                           only the columns the model uses are read; or an .xlsx spreadsheet (first sheet, header in row 1)
          --formula        fixest-style: interactions a:b and a*b, event-time dummies i(rel_year, ref = -1, bin = [-6, 6]),
                           fixed effects after '|' (a^b combines two factors)
          --vcov           variance estimator; default as fixest: clustered by the first fixed effect when there are
                           fixed effects (said on stderr), iid without; small-sample corrections follow fixest's defaults
          --fixef-maxiter  iteration limit of the conjugate-gradient fixed-effects solver (default 10000)
          --fixef-cg       solve the fixed effects by conjugate gradients even where the exact direct method applies
          --json           print JSON instead of a table
        Environment: COMPENDIUM_TIMINGS=1 prints the time spent reading and fitting to standard error.
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "keep-singletons", "fixef-cg"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        var vcovSpec = args.Option("vcov");
        var weights = args.Option("weights");
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        bool cg = args.Flag("fixef-cg");
        var maxIterText = args.Option("fixef-maxiter");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        int maxIter = Demeaner.MaxIterations;
        if (maxIterText is not null && (!int.TryParse(maxIterText, System.Globalization.CultureInfo.InvariantCulture, out maxIter) || maxIter < 1))
            throw new UsageException($"--fixef-maxiter expects a positive integer, got '{maxIterText}'");

        var parsed = Formula.Parse(formula);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double startCpu = CpuSeconds();
        var (vcov, data) = DefaultVcov.Choose(vcovSpec, parsed, ReadModelData(dataPath, parsed, vcovSpec, weights), stderr);
        double read = clock.Elapsed.TotalSeconds, readCpu = CpuSeconds();
        long readPeak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
        if (parsed.Iv is not null)
        {
            // An IV part ('| d ~ z') makes it a 2SLS model: same options and output conventions, see IvCommand.
            if (weights is not null) throw new UsageException("--weights is not supported for IV formulas");
            IvCommand.Write(Iv2sls.Fit(data, parsed, vcov, new IvOptions(!keepSingletons)), json, stdout);
            return 0;
        }
        // The table is read for this fit only: demean its columns in place (one copy of the data less).
        var result = Feols.Fit(data, parsed, vcov, new FeolsOptions(weights, !keepSingletons, maxIter, OverwriteData: true, IterativeDemeaning: cg));
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable("fit").ToMarkdown());
        if (Environment.GetEnvironmentVariable("COMPENDIUM_TIMINGS") == "1")
            stderr.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"timings: read {read:F2}s fit {clock.Elapsed.TotalSeconds - read:F2}s (CPU: start-up {startCpu:F2}s read {readCpu - startCpu:F2}s fit {CpuSeconds() - readCpu:F2}s; peak memory {readPeak / 1048576.0:F0} MiB after reading, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB in all; {data.RowCount} rows, {data.ColumnNames.Length} columns read; {result.DemeaningMethod})"));
        return 0;
    }

    private static double CpuSeconds() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>
    /// The columns a model reads (its variables, weights and the cluster variables of <paramref name="vcovSpec"/>;
    /// the default clusters by a fixed effect, already among the variables) from a CSV or Parquet file, or
    /// the whole first sheet of an .xlsx spreadsheet.
    /// </summary>
    internal static ColumnTable ReadModelData(string path, Formula formula, string? vcovSpec, string? weights)
    {
        if (Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path)) return TableFile.Read(path);
        var clusters = vcovSpec is null ? [] : Vcov.Parse(vcovSpec).Variables;
        return DataFile.ReadFor(path, formula.Variables().Select(v => v.Name).Concat(clusters).Concat(weights is null ? [] : [weights]));
    }
}
