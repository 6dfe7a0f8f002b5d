using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Resampling;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium boot</c>: the restricted wild cluster bootstrap of one coefficient of a fixed-effects
/// OLS model on any CSV. <c>--json</c>: coefficient, estimate, std_error, t, p, ci_low, ci_high, draws,
/// full_enumeration, cluster, clusters, weights, seed, null, nobs.
/// </summary>
public sealed class BootCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "boot";
    /// <inheritdoc/>
    public string Summary => "wild cluster bootstrap (restricted, Rademacher/Webb) p-value and interval for one coefficient";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium boot --data FILE.csv --formula "y ~ d + x | fe1 + fe2" --coef d --cluster VAR
                               [--draws 9999] [--weights rademacher|webb] [--seed 1] [--null 0] [--alpha 0.05] [--no-ci] [--json]
          --draws     bootstrap draws; with Rademacher weights and 2^G <= draws all sign vectors are enumerated
          --null      the value r of H0: coef = r
          --no-ci     skip the confidence interval (test inversion)
          --json      JSON: coefficient, estimate, std_error, t, p, ci_low, ci_high, draws, full_enumeration, clusters, weights, seed
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "no-ci"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        var coef = args.Required("coef");
        var cluster = args.Required("cluster");
        int draws = args.Int("draws", 9999);
        var weights = args.Option("weights") ?? "rademacher";
        var seedText = args.Option("seed");
        double nul = Number(args.Option("null"), "null", 0);
        double alpha = Number(args.Option("alpha"), "alpha", 0.05);
        bool noCi = args.Flag("no-ci");
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        ulong seed = seedText is null ? 1 : ulong.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s : throw new UsageException($"option --seed: '{seedText}' is not a non-negative integer");
        var w = weights switch
        {
            "rademacher" => WildWeights.Rademacher, "webb" => WildWeights.Webb,
            _ => throw new UsageException($"--weights is rademacher or webb, not '{weights}'"),
        };
        if (!(alpha > 0 && alpha < 1)) throw new UsageException("--alpha must lie in (0, 1)");
        var r = WildClusterBootstrap.Test(ColumnTableCsv.Read(dataPath), formula, coef, cluster,
            new WildBootstrapOptions(draws, w, seed, nul, alpha, !noCi));
        stdout.Write(json ? r.ToJson() + "\n" : r.ToTable().ToMarkdown());
        return 0;
    }

    internal static double Number(string? text, string name, double fallback) =>
        text is null ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new UsageException($"option --{name}: '{text}' is not a number");
}
