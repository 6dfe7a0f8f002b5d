using System.Collections.Concurrent;
using System.Collections.Immutable;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Multiverse;
using Compendium.Index;
using Compendium.Reproduction;

namespace Compendium.Multiverse;

/// <summary>
/// The paper's defensible choices as a <see cref="ChoiceSet"/>: their names, their options, and how an
/// author writes them (one string per choice, options separated by commas, a control set's members by
/// <c>+</c>; or a JSON choices file, <see cref="ChoiceSet.FromJson"/>).
/// </summary>
public static class StudyChoices
{
    /// <summary>Choice names.</summary>
    public const string Controls = "controls", Timing = "timing", Sample = "sample", Index = "index",
        FixedEffects = "fixed_effects", Cluster = "cluster", Estimator = "estimator";

    /// <summary>Every subset of the study's five controls (the option <c>all-subsets</c> of <see cref="Controls"/>).</summary>
    public const string AllSubsets = "all-subsets";

    /// <summary>Options of <see cref="Timing"/>: the two codings of the pilot-zone calendar, or the panel's own treat column.</summary>
    public static readonly ImmutableArray<string> Timings = ["default", "alternative", "panel"];
    /// <summary>Options of <see cref="Sample"/>: all cities and years; without the four municipalities; without provincial capitals and sub-provincial cities; without 2020–2022 (the pandemic years).</summary>
    public static readonly ImmutableArray<string> Samples = ["all", "no_municipalities", "no_capitals", "no_2020_2022"];
    /// <summary>Options of <see cref="FixedEffects"/>: city + year, or city + province × year.</summary>
    public static readonly ImmutableArray<string> FixedEffectOptions = ["city+year", "city+province_year"];
    /// <summary>Options of <see cref="Cluster"/>: by city, or by province.</summary>
    public static readonly ImmutableArray<string> Clusters = ["city", "province"];

    /// <summary>The option of each choice the paper itself takes (used for a choice the set does not vary).</summary>
    public static readonly ImmutableDictionary<string, string> Paper = new Dictionary<string, string>
    {
        [Controls] = string.Join("+", PanelSchema.Controls), [Timing] = "default", [Sample] = "all", [Index] = "entropy_pooled",
        [FixedEffects] = "city+year", [Cluster] = "city", [Estimator] = "twfe",
    }.ToImmutableDictionary();

    /// <summary>Every subset of the study's five controls: <c>none</c>, then by size, members joined by <c>+</c> in the schema's order.</summary>
    public static ImmutableArray<string> AllControlSubsets()
    {
        var c = PanelSchema.Controls;
        return Enumerable.Range(0, 1 << c.Length)
            .Select(mask => Enumerable.Range(0, c.Length).Where(j => (mask & (1 << j)) != 0).ToArray())
            .OrderBy(s => s.Length).ThenBy(s => string.Join(",", s.Select(j => j.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal)
            .Select(s => s.Length == 0 ? "none" : string.Join("+", s.Select(j => c[j])))
            .ToImmutableArray();
    }

    /// <summary>The control variables of a <see cref="Controls"/> option (<c>none</c>, <c>study</c>, or members joined by <c>+</c>).</summary>
    public static ImmutableArray<string> ControlsOf(string option) => [.. StudyPanel.ControlSet(option)];

    /// <summary>
    /// The paper's multiverse: every subset of the controls (32), both timings, four samples, four indices,
    /// both fixed-effect structures, both clusterings, and <paramref name="estimators"/>.
    /// </summary>
    public static ChoiceSet Default(IEnumerable<string> estimators) => Parse(AllSubsets, "default,alternative", string.Join(",", Samples),
        string.Join(",", CompositeIndex.Names.Select(n => n.Name)), string.Join(",", FixedEffectOptions), string.Join(",", Clusters), string.Join(",", estimators));

    /// <summary>
    /// The choices from one string per choice, options separated by commas (what a notebook's parameters
    /// cell holds); <c>all-subsets</c> in <paramref name="controls"/> expands to the 32 subsets. An empty
    /// string leaves the choice out (the paper's option is then used). Unknown options are input errors.
    /// </summary>
    public static ChoiceSet Parse(string controls, string timing, string sample, string index, string fixedEffects, string cluster, string estimator)
    {
        var pairs = new (string Name, string Text)[]
        {
            (Controls, controls), (Timing, timing), (Sample, sample), (Index, index), (FixedEffects, fixedEffects), (Cluster, cluster), (Estimator, estimator),
        };
        var choices = pairs.Where(p => !string.IsNullOrWhiteSpace(p.Text))
            .Select(p => Choice.Of(p.Name, p.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            .ToArray();
        return Normalise(ChoiceSet.Of(choices), "choices");
    }

    /// <summary>Read a choices file (<see cref="ChoiceSet.FromJson"/>) and check it like <see cref="Parse"/>.</summary>
    public static ChoiceSet Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException($"cannot read the choices file '{path}': {e.Message}"); }
        return Normalise(ChoiceSet.FromJson(json, path), path);
    }

    /// <summary>
    /// Check every choice name and option against the vocabulary, expand <c>all-subsets</c>, and write
    /// control sets canonically (<c>none</c>, or members joined by <c>+</c> in the schema's order).
    /// Estimator names are checked later, against the estimators available.
    /// </summary>
    public static ChoiceSet Normalise(ChoiceSet set, string source)
    {
        var known = new[] { Controls, Timing, Sample, Index, FixedEffects, Cluster, Estimator };
        var result = new List<Choice>();
        foreach (var c in set.Choices)
        {
            if (!known.Contains(c.Name))
                throw new InputException($"{source}: unknown choice '{c.Name}'; choices: {string.Join(", ", known)}");
            IEnumerable<string> options = c.Options;
            ImmutableArray<string> Check(ImmutableArray<string> allowed)
            {
                foreach (var o in c.Options)
                    if (!allowed.Contains(o)) throw new InputException($"{source}: choice '{c.Name}' has no option '{o}'; options: {string.Join(", ", allowed)}");
                return c.Options;
            }
            options = c.Name switch
            {
                Controls => c.Options.SelectMany(o => o == AllSubsets ? AllControlSubsets().AsEnumerable() : [Canonical(o, source)]).Distinct(),
                Timing => Check(Timings),
                Sample => Check(Samples),
                Index => Check([.. CompositeIndex.Names.Select(n => n.Name)]),
                FixedEffects => Check(FixedEffectOptions),
                Cluster => Check(Clusters),
                _ => c.Options,
            };
            result.Add(Choice.Of(c.Name, options));
        }
        return ChoiceSet.Of([.. result]);
    }

    /// <summary>
    /// The indicator panel of the curve: one row per option of every choice, except the control sets,
    /// which get one row per control variable (marking the specifications that include it), as in the
    /// standard figure.
    /// </summary>
    public static ImmutableArray<IndicatorRow> IndicatorRows(ChoiceSet choices) =>
    [
        .. choices.Choices.SelectMany(c => c.Name == Controls
            ? PanelSchema.Controls.Where(v => c.Options.Any(o => ControlsOf(o).Contains(v)))
                .Select(v => new IndicatorRow(c.Name, v, s => ControlsOf(s[Controls]).Contains(v)))
            : c.Options.Select(o => new IndicatorRow(c.Name, o, s => s[c.Name] == o))),
    ];

    private static string Canonical(string controlSet, string source)
    {
        ImmutableArray<string> members;
        try { members = ControlsOf(controlSet); }
        catch (InputException e) { throw new InputException($"{source}: control set '{controlSet}': {e.Message}"); }
        var order = PanelSchema.Controls;
        var sorted = members.Distinct().OrderBy(m => order.IndexOf(m) is var i && i >= 0 ? i : int.MaxValue).ThenBy(m => m, StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? "none" : string.Join("+", sorted);
    }
}

/// <summary>
/// The specification curve of the paper: every combination of its defensible choices
/// (<see cref="StudyChoices"/>) fitted on one panel. The data choices are applied in a fixed order —
/// the index variants are computed from the 14 indicators on the whole panel (the data construction
/// step), the treatment is recoded to the timing (<see cref="TreatmentTiming"/>), then the sample is
/// restricted — and each prepared panel is built once and shared by every specification that uses it.
/// The estimator choice names a <see cref="DidEstimator"/>; the design (<see cref="Design"/>) is what
/// the estimator fits.
/// </summary>
public sealed class StudyMultiverse
{
    private readonly StudyFacts _facts;
    private readonly ImmutableDictionary<string, DidEstimator> _estimators;
    private readonly Lazy<ColumnTable> _withIndices;
    private readonly ConcurrentDictionary<string, Lazy<ColumnTable>> _prepared = new(StringComparer.Ordinal);

    /// <summary>The multiverse of <paramref name="panel"/> (a loaded study panel) with the estimators it may choose from.</summary>
    /// <param name="panel">The panel (city_code, year, province, treatment columns, the 14 indicators, resilience, controls).</param>
    /// <param name="facts">City facts (municipalities, capitals) and the pilot-zone calendar (timing recodes).</param>
    /// <param name="estimators">The estimators the <c>estimator</c> choice may name; default <see cref="Estimators"/>.</param>
    public StudyMultiverse(ColumnTable panel, StudyFacts facts, IEnumerable<DidEstimator>? estimators = null)
    {
        Panel = panel; _facts = facts;
        _estimators = (estimators ?? Estimators).ToImmutableDictionary(e => e.Name, StringComparer.Ordinal);
        _withIndices = new(() =>
        {
            var t = Panel;
            foreach (var (m, name) in CompositeIndex.Names)
                if (m != IndexMethod.PooledEntropy) t = t.With(IndexColumn(name), CompositeIndex.Compute(Panel, m, PanelSchema.Year));
            return t;
        });
    }

    /// <summary>The panel as given.</summary>
    public ColumnTable Panel { get; }

    /// <summary>
    /// The estimators available in this build, by the names the <c>estimator</c> choice uses: <c>twfe</c>
    /// (<see cref="DidEstimators.Twfe"/>), <c>cs</c> (Callaway–Sant'Anna), <c>sa</c> (Sun–Abraham), <c>bjs</c>
    /// (the imputation estimator) and <c>iv</c> (2SLS with the study's instrument iv_tel_internet).
    /// </summary>
    public static ImmutableArray<DidEstimator> Estimators { get; } =
        [DidEstimators.Twfe, DidEstimators.CallawaySantAnna, DidEstimators.SunAbraham, DidEstimators.Imputation, DidEstimators.Iv("iv_tel_internet")];

    /// <summary>Names of the estimators the default multiverse crosses: the difference-in-differences estimators (not IV, whose estimand differs).</summary>
    public static ImmutableArray<string> DefaultEstimators => [.. Estimators.Where(e => e.Name != "iv").Select(e => e.Name)];

    /// <summary>The column holding an index variant: <c>resilience</c> for <c>entropy_pooled</c> (the panel's own index), <c>resilience__NAME</c> otherwise.</summary>
    public static string IndexColumn(string indexOption) => indexOption == "entropy_pooled" ? "resilience" : "resilience__" + indexOption;

    private static string Option(Specification s, string choice) => s.Get(choice, StudyChoices.Paper[choice]);

    /// <summary>The design a specification fits: outcome (the index variant), controls, fixed effects, cluster.</summary>
    public static DidDesign Design(Specification s)
    {
        var fe = Option(s, StudyChoices.FixedEffects) switch
        {
            "city+year" => ImmutableArray.Create(PanelSchema.CityCode, PanelSchema.Year),
            "city+province_year" => ImmutableArray.Create(PanelSchema.CityCode, "province^" + PanelSchema.Year),
            var o => throw new InputException($"fixed effects '{o}': expected {string.Join(", ", StudyChoices.FixedEffectOptions)}"),
        };
        var cluster = Option(s, StudyChoices.Cluster) switch
        {
            "city" => PanelSchema.CityCode,
            "province" => "province",
            var o => throw new InputException($"cluster '{o}': expected {string.Join(", ", StudyChoices.Clusters)}"),
        };
        return StudyDiagnosis.PaperDesign with
        {
            Outcome = IndexColumn(Option(s, StudyChoices.Index)), Controls = StudyChoices.ControlsOf(Option(s, StudyChoices.Controls)),
            FixedEffects = fe, Cluster = cluster,
        };
    }

    /// <summary>The estimator a specification names; an <see cref="InputException"/> listing the available ones otherwise.</summary>
    public DidEstimator EstimatorOf(Specification s)
    {
        var name = Option(s, StudyChoices.Estimator);
        return _estimators.TryGetValue(name, out var e) ? e
            : throw new InputException($"estimator '{name}' is not available; available: {string.Join(", ", _estimators.Keys.Order(StringComparer.Ordinal))}");
    }

    /// <summary>
    /// The prepared panel of a specification: index variants added, treatment recoded to its timing
    /// (<c>panel</c>: the file's own), rows of its sample kept. Built once per (timing, sample).
    /// </summary>
    public ColumnTable Data(Specification s)
    {
        string timing = Option(s, StudyChoices.Timing), sample = Option(s, StudyChoices.Sample);
        return _prepared.GetOrAdd(timing + "|" + sample, _ => new Lazy<ColumnTable>(() => Prepare(timing, sample))).Value;
    }

    private ColumnTable Prepare(string timing, string sample)
    {
        var t = _withIndices.Value;
        if (timing != "panel") t = TreatmentTiming.Recode(t, _facts, TimingCodings.Parse(timing));
        return sample == "all" ? t : t.Where(SampleMask(t, sample, _facts)).WithSource($"{Panel.Source} ({sample})");
    }

    /// <summary>Rows kept by a sample option (see <see cref="StudyChoices.Samples"/>); city facts by code.</summary>
    public static bool[] SampleMask(ColumnTable t, string sample, StudyFacts facts)
    {
        var code = t.Numeric(PanelSchema.CityCode);
        var year = t.Numeric(PanelSchema.Year);
        return sample switch
        {
            "all" => Enumerable.Repeat(true, t.RowCount).ToArray(),
            "no_municipalities" => code.Select(c => !facts.City((int)c).Municipality).ToArray(),
            "no_capitals" => code.Select(c => facts.City((int)c) is var city && !(city.ProvincialCapital || city.SubProvincial)).ToArray(),
            "no_2020_2022" => year.Select(y => y < 2020 || y > 2022).ToArray(),
            _ => throw new InputException($"sample '{sample}': expected {string.Join(", ", StudyChoices.Samples)}"),
        };
    }

    /// <summary>Null when the specification can be estimated, else why not (the estimator cannot fit the design, or is not available).</summary>
    public string? Unavailable(Specification s)
    {
        var name = Option(s, StudyChoices.Estimator);
        if (!_estimators.TryGetValue(name, out var e)) return $"estimator '{name}' is not available in this build";
        return e.Unavailable(Design(s)) is { } why ? $"{e.Name}: {why}" : null;
    }

    /// <summary>The effect under one specification.</summary>
    public EffectEstimate Fit(Specification s) => EstimatorOf(s).Fit(Data(s), Design(s));

    /// <summary>Fit every specification of <paramref name="choices"/> (estimator names checked first).</summary>
    public SpecificationCurveResult Run(ChoiceSet choices, SpecificationCurveOptions? options = null)
    {
        if (choices.Has(StudyChoices.Estimator))
            foreach (var name in choices[StudyChoices.Estimator].Options)
                if (!_estimators.ContainsKey(name))
                    throw new InputException($"estimator '{name}' is not available; available: {string.Join(", ", _estimators.Keys.Order(StringComparer.Ordinal))}");
        // TWFE specifications share one within transformation per prepared panel, fixed effects and cluster
        // (fixest's multiple estimation): same estimates as Fit, a third of the time.
        var twfe = DidEstimators.TwfeShared(choices.Enumerate().Select(Design).SelectMany(d => d.Controls.Prepend(d.Outcome)));
        EffectEstimate FitShared(Specification s) =>
            EstimatorOf(s) is var e && ReferenceEquals(e, DidEstimators.Twfe) ? twfe.Fit(Data(s), Design(s)) : e.Fit(Data(s), Design(s));
        return SpecificationCurve.Run(choices, Unavailable, FitShared, "effect of the pilot zones on the resilience index (DID coefficient)", options);
    }
}
