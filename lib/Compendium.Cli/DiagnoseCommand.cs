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
public sealed class DiagnoseCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "diagnose";
    /// <inheritdoc/>
    public string Summary => "Monte Carlo diagnosis of the paper's design on simulated worlds (bias, RMSE, coverage, power, size)";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium diagnose [--worlds 200] [--seed 1] [--threads N] [--knobs] [--knob-worlds N] [--draws] [--facts DIR] [--json]

          --worlds R       simulated worlds per scenario (default 200); world w uses seed SEED + w − 1
          --seed S         first seed (default 1)
          --threads N      worlds simulated at once (default: one per core); the result does not depend on it
          --knobs          also repeat the diagnosis while the build-up speed, the spillover share and the cohort
                           heterogeneity take three values each (the same seeds for every value)
          --knob-worlds N  worlds per knob value (default: --worlds)
          --draws          with --json, include every draw
          --json           print JSON instead of tables. Fields: worlds; first_seed; scenarios [{name, label, zero_effect}];
                           estimators [{name, label, is_test}]; diagnosis [{estimator, scenario, worlds, failures,
                           mean_estimate, mean_truth, bias, bias_mcse, rmse, sd_estimate, mean_std_error, coverage,
                           rejection_rate}]; with --draws, draws [{seed, scenario, estimator, truth, estimate, std_error,
                           ci_low, ci_high, p, failure}]; with --knobs, knobs {runs [{knob, value, diagnosis {…}}]}

        Scenarios: 'calibrated' (the simulator's calibration; truth = each world's ATT on the index) and 'zero' (the same
        world's untreated potential outcomes; truth 0). Every number comes from synthetic data made by the simulator.
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "knobs", "draws"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        int worlds = args.Int("worlds", 200), seed = args.Int("seed", 1), threads = args.Int("threads", 0);
        bool knobs = args.Flag("knobs"), draws = args.Flag("draws"), json = args.Flag("json");
        int knobWorlds = args.Int("knob-worlds", worlds);
        var factsDir = args.Option("facts") ?? StudyFacts.DefaultDataDir();
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
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
