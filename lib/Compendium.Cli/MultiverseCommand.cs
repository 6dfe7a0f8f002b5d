using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Compendium.Data;
using Compendium.Econometrics.Multiverse;
using Compendium.Multiverse;
using Compendium.Simulation;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium multiverse</c>: the specification curve of the paper on any study panel — every
/// combination of the defensible choices (control sets, treatment timing, sample, index construction,
/// fixed effects, clustering, estimator) fitted, summarised and ranked.
/// </summary>
public sealed class MultiverseCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "a study panel (.csv or .xlsx, the schema of data/README.md; checked as 'validate' does)", required: true, helpName: "FILE");
    private readonly Option<string> _choices = Text("--choices", "the choices to cross, a JSON object of arrays (default: the paper's multiverse, below)", helpName: "FILE.json");
    private readonly Option<int> _threads = Int("--threads", "specifications fitted at once (0: one per core); the result does not depend on it", 0);
    private readonly Option<string> _specifications = Text("--specifications", "write every specification with its estimate to this CSV", helpName: "OUT.csv");
    private readonly Option<string> _facts = Text("--facts", "folder with cities.csv, pilot_zones.csv, national.csv (default: the repository's data/)", helpName: "DIR");
    private readonly Option<bool> _json = Flag("--json", "print JSON instead of tables. Fields: effect; choices {name: [options]}; summary {specifications, estimated, skipped, failed, skip_reasons [{reason, count}], fail_reasons, share_positive, share_positive_significant, share_negative_significant, median, q25, q75, min, max}; most_influential; influence [{choice, mean_abs_shift, pairs, median_range, options [{option, estimated, median, share_positive_significant}]}]; specifications [{index, choices {name: option}, estimate, std_error, ci_low, ci_high, p, nobs | skipped | failed}]");

    /// <inheritdoc/>
    public override string Name => "multiverse";
    /// <inheritdoc/>
    public override string Summary => "specification curve over every defensible choice (controls, timing, sample, index, FE, clustering, estimator)";
    /// <inheritdoc/>
    public override string Details => $$"""
        --choices, e.g. the default:
          {"controls": ["all-subsets"], "timing": ["default", "alternative"],
           "sample": ["all", "no_municipalities", "no_capitals", "no_2020_2022"],
           "index": ["entropy_pooled", "entropy_per_year", "equal_weights", "pca"],
           "fixed_effects": ["city+year", "city+province_year"], "cluster": ["city", "province"],
           "estimator": [{{string.Join(", ", StudyMultiverse.DefaultEstimators.Select(e => $"\"{e}\""))}}]}
        controls: "all-subsets" (the 32 subsets of the five controls), "none", "study", or columns joined by '+'; timing "panel" uses the file's own treat column; a choice left out takes the paper's option; estimators available: {{string.Join(", ", StudyMultiverse.Estimators.Select(e => e.Name))}}

        Significance is p < 0.05 with each specification's own standard errors. Unavailable combinations are skipped and counted.
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _choices, _threads, _specifications, _facts, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = parse.GetRequiredValue(_data);
        var choicesPath = parse.GetValue(_choices);
        var specsPath = parse.GetValue(_specifications);
        var factsDir = parse.GetValue(_facts) ?? StudyFacts.DefaultDataDir();
        bool json = parse.GetValue(_json);
        if (parse.GetValue(_threads) < 0) throw new UsageException("--threads must be 0 (all cores) or more");
        int threads = parse.GetValue(_threads);

        var clock = Stopwatch.StartNew();
        var facts = StudyFacts.Load(factsDir);
        var panel = PanelLoader.Load(dataPath, facts.Cities.Select(c => c.Code).ToHashSet(), facts).Table;
        var choices = choicesPath is null ? StudyChoices.Default(StudyMultiverse.DefaultEstimators) : StudyChoices.Load(choicesPath);
        var curve = new StudyMultiverse(panel, facts).Run(choices, new SpecificationCurveOptions(threads));
        if (specsPath is not null) Reproduction.AtomicFile.WriteAllText(specsPath, curve.SpecificationsTable().ToCsv());
        if (json) stdout.Write(curve.ToJson() + "\n");
        else
        {
            var truth = TruthFile.TryLoadBeside(dataPath);
            stdout.Write(curve.ToTable().ToMarkdown());
            stdout.WriteLine();
            stdout.Write(curve.InfluenceTable().ToMarkdown());
            stdout.WriteLine(truth is null
                ? "\nThe data are not the simulator's: the true effect is unknown."
                : $"\nSynthetic data: the simulator's true ATT on the panel's own treated city-years and index is {truth.AttIndex.ToString("0.0000", CultureInfo.InvariantCulture)}.");
        }
        stderr.WriteLine($"multiverse: {curve.Outcomes.Length} specifications in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        return 0;
    }
}
