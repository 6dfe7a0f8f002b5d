using System.Diagnostics;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Simulation;

namespace Compendium.Cli;

/// <summary><c>compendium simulate</c>: write the synthetic panel, its potential outcomes and truth.</summary>
public sealed class SimulateCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "simulate";
    /// <inheritdoc/>
    public string Summary => "write a synthetic panel with known true effects (panel.csv, potential_outcomes.csv, truth.json)";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium simulate --out DIR [--seed N] [--timing default|alternative] [--data DIR] [--force]

          --out DIR     folder to write panel.csv, potential_outcomes.csv and truth.json (required)
          --seed N      seed of the random stream (default 20260101, the committed panel)
          --timing T    policy-year coding: default (2015/2016) or alternative (2016/2017)
          --data DIR    folder with cities.csv, pilot_zones.csv, national.csv (default: the repository's data/)
          --force       write even into a folder that already holds a panel (.csv or .xlsx) or the
                        simulator's files, e.g. to regenerate data/synthetic/

        Inputs are never overwritten by accident: without --force, a folder holding any .csv or .xlsx
        file (a panel) or truth.json is refused (truth.json beside an author's panel would mark it as
        synthetic). Files are written whole or not at all. The same seed and settings give the same bytes.
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["force"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        int seed = args.Int("seed", SimulationSettings.DefaultSeed);
        var timing = args.Option("timing") switch
        {
            null or "default" => TimingCoding.Default,
            "alternative" => TimingCoding.Alternative,
            var t => throw new UsageException($"option --timing: '{t}' is not 'default' or 'alternative'"),
        };
        var dataDir = args.Option("data") ?? StudyFacts.DefaultDataDir();
        var outDir = args.Required("out");
        bool force = args.Flag("force");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        if (File.Exists(outDir)) throw new InputException($"--out {outDir}: is a file; give a folder");
        if (!force && Directory.Exists(outDir))
        {
            var held = Directory.GetFiles(outDir)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".csv" or ".xlsx" || Path.GetFileName(f) == SimulatedPanel.TruthFile)
                .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            if (held.Count > 0)
                throw new InputException($"--out {outDir} already holds {string.Join(", ", held)}; simulate does not overwrite a panel or write truth.json beside one. Choose an empty folder, or add --force to replace them.");
        }
        var clock = Stopwatch.StartNew();
        var facts = StudyFacts.Load(dataDir);
        var sim = PanelSimulator.Simulate(facts, new SimulationSettings(seed, timing));
        sim.Write(outDir);
        stdout.Write(sim.Truth.Summary());
        stdout.WriteLine($"wrote {Path.Combine(outDir, SimulatedPanel.PanelFile)}, {SimulatedPanel.PotentialOutcomesFile}, {SimulatedPanel.TruthFile}");
        stderr.WriteLine($"simulate: {clock.Elapsed.TotalSeconds:0.00} s");
        return 0;
    }
}
