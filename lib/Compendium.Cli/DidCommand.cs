using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Staggered;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium did</c>: heterogeneity-robust staggered DID on any panel CSV — Callaway &amp; Sant'Anna
/// (<c>cs</c>), Sun &amp; Abraham (<c>sa</c>) or the imputation estimator of Borusyak, Jaravel &amp; Spiess
/// (<c>bjs</c>). <c>--json</c> writes the shared estimation JSON plus <c>att_gt</c> [{group, time, att,
/// std_error, …}] (cs only), <c>dynamic</c> [{event_time, estimate, std_error, ci_low, ci_high}],
/// <c>dynamic_vcov</c> (cs, sa), <c>overall</c> {estimate, std_error, ci_low, ci_high} and
/// <c>pretest</c> {name, statistic, df1, df2, p, null}.
/// </summary>
public sealed class DidCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "did";
    /// <inheritdoc/>
    public string Summary => "staggered DID: Callaway–Sant'Anna, Sun–Abraham or imputation (BJS) on a panel CSV";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium did --estimator cs|sa|bjs --data FILE.csv --y Y --unit U --time T --group G
                              [--control never|notyet|last] [--method reg|ipw|dr] [--covariates a,b]
                              [--base-period varying|universal] [--bootstrap B] [--seed S] [--alpha A] [--leads K] [--json]
          --group        first treated period of each unit (0 or empty: never treated)
          --control      cs: never (default) or notyet; sa: never (default) or last (last-treated cohort)
          --method       cs: 2x2 estimator, reg, ipw or dr (default dr, did's default)
          --covariates   cs: comma-separated covariates (conditional parallel trends)
          --base-period  cs: varying (default) or universal
          --bootstrap    cs: multiplier-bootstrap draws (default 0: analytical SEs) with uniform bands; --seed (default 1)
          --leads        bjs: leads in the pre-trend test on untreated observations (default 3)
          --json         JSON: att_gt [{group, time, att, std_error}] (cs), dynamic [{event_time, estimate,
                         std_error, ci_low, ci_high}], dynamic_vcov, overall {estimate, std_error}, pretest {statistic, p}
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var estimator = args.Required("estimator");
        var dataPath = args.Required("data");
        var y = args.Required("y");
        var unit = args.Required("unit");
        var time = args.Required("time");
        var group = args.Required("group");
        var control = args.Option("control");
        var method = args.Option("method");
        var covariates = args.Option("covariates");
        var basePeriod = args.Option("base-period");
        int bootstrap = args.Int("bootstrap", 0);
        var seedText = args.Option("seed");
        var alphaText = args.Option("alpha");
        int leads = args.Int("leads", 3);
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        ulong seed = seedText is null ? 1 : ulong.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s : throw new UsageException($"option --seed: '{seedText}' is not a non-negative integer");
        double alpha = alphaText is null ? 0.05 : double.TryParse(alphaText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a > 0 && a < 1
            ? a : throw new UsageException($"option --alpha: '{alphaText}' is not a number in (0, 1)");
        void Only(string est, string option, object? value)
        {
            if (value is not null && estimator != est) throw new UsageException($"option --{option} applies to --estimator {est} only");
        }
        Only("cs", "method", method); Only("cs", "covariates", covariates); Only("cs", "base-period", basePeriod);
        Only("cs", "bootstrap", bootstrap == 0 ? null : bootstrap);
        Only("bjs", "leads", leads == 3 ? null : leads);
        var data = ColumnTableCsv.Read(dataPath);
        EstimationResult result;
        switch (estimator)
        {
            case "cs":
            {
                var o = new CallawaySantAnnaOptions(
                    control switch { null or "never" => ComparisonGroup.NeverTreated, "notyet" => ComparisonGroup.NotYetTreated,
                        _ => throw new UsageException($"--control for cs is never or notyet, not '{control}'") },
                    method switch { null or "dr" => DidMethod.DoublyRobust, "reg" => DidMethod.Regression, "ipw" => DidMethod.Ipw,
                        _ => throw new UsageException($"--method is reg, ipw or dr, not '{method}'") },
                    covariates is null ? [] : [.. covariates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                    basePeriod switch { null or "varying" => BasePeriod.Varying, "universal" => BasePeriod.Universal,
                        _ => throw new UsageException($"--base-period is varying or universal, not '{basePeriod}'") },
                    bootstrap, seed, alpha);
                var cs = CallawaySantAnna.Fit(data, y, unit, time, group, o);
                if (!json) stdout.Write(cs.AttGtTable().ToMarkdown() + "\n");
                result = cs;
                break;
            }
            case "sa":
            {
                var o = new SunAbrahamOptions(control switch
                {
                    null or "never" => SunAbrahamControl.NeverTreated, "last" => SunAbrahamControl.LastTreated,
                    _ => throw new UsageException($"--control for sa is never or last, not '{control}'"),
                });
                result = SunAbraham.Fit(data, y, unit, time, group, o);
                break;
            }
            case "bjs":
                if (control is not null) throw new UsageException("--control does not apply to bjs: every untreated observation is used");
                result = ImputationDid.Fit(data, y, unit, time, group, new ImputationDidOptions(leads));
                break;
            default:
                throw new UsageException($"--estimator is cs, sa or bjs, not '{estimator}'");
        }
        stdout.Write(json ? result.ToJson() + "\n" : result.ToTable().ToMarkdown());
        return 0;
    }
}
