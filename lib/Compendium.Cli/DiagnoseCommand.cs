using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Compendium.Data;
using Compendium.Econometrics.Multiverse;
using Compendium.Multiverse;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium diagnose</c>: the paper's design diagnosed by simulation — R worlds from the calibrated
/// simulator (and the same worlds without the policy), the paper's pipeline in each, and per estimator
/// bias, RMSE, coverage, power and size; optionally the same while the data-generating process's knobs change.
/// </summary>
public sealed class DiagnoseCommand : CommandDefinition
{
    private readonly Option<int> _worlds = Int("--worlds", "simulated worlds per scenario; world w uses seed SEED + w − 1", 200, "R");
    private readonly Option<int> _seed = Int("--seed", "first seed", 1, "S");
    private readonly Option<int> _threads = Int("--threads", "worlds simulated at once (0: one per core); the result does not depend on it", 0);
    private readonly Option<bool> _knobs = Flag("--knobs", "also repeat the diagnosis while the build-up speed, the spillover share and the cohort heterogeneity take three values each (the same seeds for every value)");
    private readonly Option<int?> _knobWorlds = new("--knob-worlds") { Description = "worlds per knob value (default: --worlds)", HelpName = "N" };
    private readonly Option<bool> _draws = Flag("--draws", "with --json, include every draw");
    private readonly Option<string> _facts = Text("--facts", "folder with cities.csv, pilot_zones.csv, national.csv (default: the repository's data/)", helpName: "DIR");
    private readonly Option<bool> _json = Flag("--json", "print JSON instead of tables. Fields: worlds; first_seed; scenarios [{name, label, zero_effect}]; estimators [{name, label, is_test}]; diagnosis [{estimator, scenario, worlds, failures, mean_estimate, mean_truth, bias, bias_mcse, rmse, sd_estimate, sd_error, mean_std_error, coverage, rejection_rate}]; with --draws, draws [{seed, scenario, estimator, truth, estimate, std_error, ci_low, ci_high, p, failure}]; with --knobs, knobs {runs [{knob, value, diagnosis {…}}]}");

    /// <inheritdoc/>
    public override string Name => "diagnose";
    /// <inheritdoc/>
    public override string Summary => "Monte Carlo diagnosis of the paper's design on simulated worlds (bias, RMSE, coverage, power, size)";
    /// <inheritdoc/>
    public override string Details => """
        Scenarios: 'calibrated' (the simulator's calibration; truth = each world's ATT on the index) and 'zero' (the same world's untreated potential outcomes; truth 0). Every number comes from synthetic data made by the simulator.
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_worlds, _seed, _threads, _knobs, _knobWorlds, _draws, _facts, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        int worlds = parse.GetValue(_worlds), seed = parse.GetValue(_seed), threads = parse.GetValue(_threads);
        bool knobs = parse.GetValue(_knobs), draws = parse.GetValue(_draws), json = parse.GetValue(_json);
        int knobWorlds = parse.GetValue(_knobWorlds) ?? worlds;
        var factsDir = parse.GetValue(_facts) ?? StudyFacts.DefaultDataDir();
        if (worlds < 1 || knobWorlds < 1) throw new UsageException("--worlds and --knob-worlds must be at least 1");
        if (threads < 0) throw new UsageException("--threads must be 0 (all cores) or more");
        if (draws && !json) throw new UsageException("--draws needs --json");

        var facts = StudyFacts.Load(factsDir);
        var clock = Stopwatch.StartNew();
        var result = StudyDiagnosis.Run(facts, new DesignDiagnosisOptions(worlds, seed, threads));
        double main = clock.Elapsed.TotalSeconds;
        DiagnosisSweep? sweep = knobs
            ? StudyDiagnosis.Sweep(facts, new DesignDiagnosisOptions(knobWorlds, seed, threads), baseline: result)
            : null;
        if (json)
        {
            stdout.Write(Econometrics.Estimation.ResultJson.Object(w =>
            {
                result.WriteJsonMembers(w, draws);
                if (sweep is null) return;
                w.WriteStartObject("knobs");
                sweep.WriteJsonMembers(w);
                w.WriteEndObject();
            }) + "\n");
        }
        else
        {
            stdout.WriteLine("Synthetic data: every world is made by the compendium's simulator, not the paper's data.\n");
            stdout.Write(result.ToTable().ToMarkdown());
            if (sweep is not null) { stdout.WriteLine(); stdout.Write(sweep.ToTable().ToMarkdown()); }
        }
        stderr.WriteLine($"diagnose: {worlds} worlds × {result.Scenarios.Length} scenarios × {result.Estimators.Length} estimators in " +
            $"{main.ToString("0.0", CultureInfo.InvariantCulture)} s" + (sweep is null ? "" : $"; knobs {(clock.Elapsed.TotalSeconds - main).ToString("0.0", CultureInfo.InvariantCulture)} s"));
        return 0;
    }
}
