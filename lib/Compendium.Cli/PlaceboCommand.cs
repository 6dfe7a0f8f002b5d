using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Randomization;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium placebo</c>: randomisation inference for a staggered DID on any panel CSV
/// (<see cref="Placebo"/>): the treatment is reassigned at random, the model re-fitted each time, and the actual
/// estimate compared with the placebo distribution. <c>--json</c> fields: <c>draws</c>, <c>scheme</c>, <c>seed</c>,
/// <c>actual</c> {<c>estimate</c>, <c>t</c>}, <c>p_value</c> (|t|), <c>p_value_estimate</c>, <c>estimates</c>, <c>t_values</c>.
/// </summary>
public sealed class PlaceboCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "placebo";
    /// <inheritdoc/>
    public string Summary => "placebo test / randomisation inference: random treatment draws re-fitted, randomisation p-values";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium placebo --data FILE.csv --formula "y ~ d + x1 | unit + year" --treat d --unit UNIT --time TIME
                                  [--draws 500] [--seed 1] [--scheme units|timing|both] [--years sample|adoption]
                                  [--vcov iid|hetero|cluster:VAR] [--keep-singletons] [--json]
          --treat     the 0/1 staggered treatment (a regressor of the formula; once 1, a unit stays 1)
          --scheme    units: the observed adoption years permuted across units (cohort sizes kept);
                      timing: treated units kept, adoption years drawn at random;
                      both (default): as many random units as are treated, each with a random adoption year
          --years     where random adoption years come from: sample (default; the sample's years except the first)
                      or adoption (the observed adoption years)
          --seed      seed of the SplitMix64 generator: the same draws on any machine
          --vcov      variance estimator of the t statistics (default iid)
          --json      print JSON: draws, scheme, seed, actual {estimate, t}, p_value (|t|), p_value_estimate,
                      estimates (array), t_values (array); a draw whose placebo column is collinear is null
        p-values: (1 + #{draws at least as extreme as the actual, in absolute value}) / (1 + draws), as ritest.
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "keep-singletons"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        var treat = args.Required("treat");
        var unit = args.Required("unit");
        var time = args.Required("time");
        int draws = ParseInt(args.Option("draws") ?? "500", "draws");
        ulong seed = ulong.TryParse(args.Option("seed") ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s : throw new UsageException("--seed must be a non-negative whole number");
        var scheme = (args.Option("scheme") ?? "both") switch
        {
            "units" => PlaceboScheme.Units, "timing" => PlaceboScheme.Timing, "both" => PlaceboScheme.Both,
            var other => throw new UsageException($"--scheme must be units, timing or both, not '{other}'"),
        };
        var years = (args.Option("years") ?? "sample") switch
        {
            "sample" => PlaceboYears.SamplePeriods, "adoption" => PlaceboYears.AdoptionTimes,
            var other => throw new UsageException($"--years must be sample or adoption, not '{other}'"),
        };
        var vcov = Vcov.Parse(args.Option("vcov") ?? "iid");
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        var result = Placebo.Fit(ColumnTableCsv.Read(dataPath), formula, treat, unit, time, vcov,
            new PlaceboOptions(draws, seed, scheme, years, new Econometrics.Estimation.FeolsOptions(DropSingletons: !keepSingletons)));
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable().ToMarkdown());
        return 0;
    }

    private static int ParseInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new UsageException($"--{name} must be a positive whole number, not '{text}'");
}
