using System.Diagnostics;
using Compendium.Data;
using Compendium.Simulation;

namespace Compendium.Cli;

/// <summary><c>compendium simulate</c>: write the synthetic panel, its potential outcomes and truth.</summary>
public sealed class SimulateCommand : ICliCommand
{
    /// <inheritdoc/>
    public string Name => "simulate";
    /// <inheritdoc/>
    public string Summary => "write a synthetic panel with known true effects (panel.csv, potential_outcomes.csv, truth.json)";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium simulate [--seed N] [--out DIR] [--timing default|alternative] [--data DIR]

          --seed N      seed of the random stream (default 20260101, the committed panel)
          --out DIR     folder to write panel.csv, potential_outcomes.csv and truth.json (default data/synthetic)
          --timing T    policy-year coding: default (2015/2016) or alternative (2016/2017)
          --data DIR    folder with cities.csv, pilot_zones.csv, national.csv (default: the repository's data/)

        Files are written whole or not at all. The same seed and settings give the same bytes.
        """;

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
        var outDir = args.Option("out") ?? Path.Combine(dataDir, "synthetic");
        args.EnsureAllUsed();
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
