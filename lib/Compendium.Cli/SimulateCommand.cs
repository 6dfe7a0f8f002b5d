using System.CommandLine;
using System.Diagnostics;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Simulation;

namespace Compendium.Cli;

/// <summary><c>compendium simulate</c>: write the synthetic panel, its potential outcomes and truth.</summary>
public sealed class SimulateCommand : CommandDefinition
{
    private readonly Option<string> _out = Text("--out", "folder to write panel.csv, potential_outcomes.csv and truth.json (required)", required: true, helpName: "DIR");
    private readonly Option<int> _seed = Int("--seed", "seed of the random stream (default 20260101, the committed panel)", SimulationSettings.DefaultSeed);
    private readonly Option<string> _timing = Text("--timing", "policy-year coding: default (2015/2016) or alternative (2016/2017)", helpName: "default|alternative");
    private readonly Option<string> _data = Text("--data", "folder with cities.csv, pilot_zones.csv, national.csv (default: the repository's data/)", helpName: "DIR");
    private readonly Option<bool> _force = Flag("--force", "write even into a folder that already holds a panel (.csv or .xlsx) or the simulator's files, e.g. to regenerate data/synthetic/");

    /// <summary>Accept only the two timing codings.</summary>
    public SimulateCommand() => _timing.AcceptOnlyFromAmong("default", "alternative");

    /// <inheritdoc/>
    public override string Name => "simulate";
    /// <inheritdoc/>
    public override string Summary => "write a synthetic panel with known true effects (panel.csv, potential_outcomes.csv, truth.json)";
    /// <inheritdoc/>
    public override string Details => """
        Inputs are never overwritten by accident: without --force, a folder holding any .csv or .xlsx
        file (a panel) or truth.json is refused (truth.json beside an author's panel would mark it as
        synthetic). Files are written whole or not at all. The same seed and settings give the same bytes.
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_out, _seed, _timing, _data, _force];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        int seed = parse.GetValue(_seed);
        var timing = parse.GetValue(_timing) is "alternative" ? TimingCoding.Alternative : TimingCoding.Default;
        var dataDir = parse.GetValue(_data) ?? StudyFacts.DefaultDataDir();
        var outDir = parse.GetRequiredValue(_out);
        if (File.Exists(outDir)) throw new InputException($"--out {outDir}: is a file; give a folder");
        if (!parse.GetValue(_force) && Directory.Exists(outDir))
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
