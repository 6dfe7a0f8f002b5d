using System.CommandLine;
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
public sealed class DidCommand : CommandDefinition
{
    private readonly Option<string> _estimator = Text("--estimator", "cs (Callaway–Sant'Anna), sa (Sun–Abraham) or bjs (imputation)", required: true, helpName: "cs|sa|bjs");
    private readonly Option<string> _data = Text("--data", "panel CSV", required: true, helpName: "FILE");
    private readonly Option<string> _y = Text("--y", "outcome column", required: true, helpName: "Y");
    private readonly Option<string> _unit = Text("--unit", "unit column", required: true, helpName: "U");
    private readonly Option<string> _time = Text("--time", "period column", required: true, helpName: "T");
    private readonly Option<string> _group = Text("--group", "first treated period of each unit (0 or empty: never treated)", required: true, helpName: "G");
    private readonly Option<string> _control = Text("--control", "cs: never (default) or notyet; sa: never (default) or last (last-treated cohort)", helpName: "never|notyet|last");
    private readonly Option<string> _method = Text("--method", "cs: 2x2 estimator, reg, ipw or dr (default dr, did's default)", helpName: "reg|ipw|dr");
    private readonly Option<string> _covariates = Text("--covariates", "cs: comma-separated covariates (conditional parallel trends)", helpName: "a,b");
    private readonly Option<string> _basePeriod = Text("--base-period", "cs: varying (default) or universal", helpName: "varying|universal");
    private readonly Option<int> _bootstrap = Int("--bootstrap", "cs: multiplier-bootstrap draws (0: analytical SEs) with uniform bands", 0, "B");
    private readonly Option<ulong> _seed = Seed("cs: seed of the multiplier bootstrap");
    private readonly Option<double> _alpha = Number("--alpha", "level of the intervals and bands (1 - alpha)", 0.05, "A");
    private readonly Option<int> _leads = Int("--leads", "bjs: leads in the pre-trend test on untreated observations", 3, "K");
    private readonly Option<bool> _json = Flag("--json", "JSON: att_gt [{group, time, att, std_error}] (cs), dynamic [{event_time, estimate, std_error, ci_low, ci_high}], dynamic_vcov, overall {estimate, std_error}, pretest {statistic, p}");

    /// <inheritdoc/>
    public override string Name => "did";
    /// <inheritdoc/>
    public override string Summary => "staggered DID: Callaway–Sant'Anna, Sun–Abraham or imputation (BJS) on a panel CSV";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_estimator, _data, _y, _unit, _time, _group, _control, _method, _covariates, _basePeriod, _bootstrap, _seed, _alpha, _leads, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var estimator = parse.GetRequiredValue(_estimator);
        var (control, method, covariates, basePeriod) = (parse.GetValue(_control), parse.GetValue(_method), parse.GetValue(_covariates), parse.GetValue(_basePeriod));
        int bootstrap = parse.GetValue(_bootstrap), leads = parse.GetValue(_leads);
        double alpha = Probability(parse, _alpha);
        bool json = parse.GetValue(_json);
        void Only(string est, string option, object? value)
        {
            if (value is not null && estimator != est) throw new UsageException($"option --{option} applies to --estimator {est} only");
        }
        Only("cs", "method", method); Only("cs", "covariates", covariates); Only("cs", "base-period", basePeriod);
        Only("cs", "bootstrap", bootstrap == 0 ? null : bootstrap);
        Only("bjs", "leads", leads == 3 ? null : leads);
        var (y, unit, time, group) = (parse.GetRequiredValue(_y), parse.GetRequiredValue(_unit), parse.GetRequiredValue(_time), parse.GetRequiredValue(_group));
        var data = ColumnTableCsv.Read(parse.GetRequiredValue(_data));
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
                    bootstrap, parse.GetValue(_seed), alpha);
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
        return Write(stdout, json, result.ToJson, () => result.ToTable().ToMarkdown());
    }
}
