using System.Collections.Immutable;
using System.Globalization;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Matching;
using Compendium.Econometrics.Multiverse;
using Compendium.Econometrics.Randomization;
using Compendium.Econometrics.Spatial;
using Compendium.Simulation;

namespace Compendium.Multiverse;

/// <summary>A feature of the data-generating process varied by a diagnosis sweep, and its values.</summary>
/// <param name="Name">Machine name (<c>build_up_years</c>, <c>spillover_share</c>, <c>cohort_heterogeneity</c>).</param>
/// <param name="Label">Display name.</param>
/// <param name="Values">The values tried, in order.</param>
/// <param name="Apply">The settings with the knob at a value.</param>
public sealed record DesignKnob(string Name, string Label, ImmutableArray<double> Values, Func<SimulationSettings, double, SimulationSettings> Apply);

/// <summary>
/// The paper's design diagnosed on simulated worlds (<see cref="DesignDiagnosis"/>): world w is the
/// simulator (<see cref="PanelSimulator"/>) run with seed w under the calibrated data-generating process,
/// paired with the same world without the policy (<see cref="SimulatedPanel.WithoutPolicy"/>, true effect 0).
/// In each world the paper's pipeline runs on the paper's design (the resilience index on treat, the five
/// controls, city and year fixed effects, standard errors clustered by city) and is scored against the
/// world's true ATT (the mean over treated city-years of the index minus the untreated index, same weights).
/// </summary>
public static class StudyDiagnosis
{
    /// <summary>The two scenarios: the calibrated effect, and no effect (the same worlds' untreated potential outcomes).</summary>
    public static ImmutableArray<DiagnosisScenario> Scenarios { get; } =
    [
        new("calibrated", "calibrated effect", false),
        new("zero", "zero effect", true),
    ];

    /// <summary>The paper's design: resilience ~ treat + the five controls | city + year, clustered by city.</summary>
    public static DidDesign PaperDesign { get; } = new("resilience", PanelSchema.Controls, [PanelSchema.CityCode, PanelSchema.Year], PanelSchema.CityCode,
        PanelSchema.Treat, PanelSchema.CityCode, PanelSchema.Year, PanelSchema.PolicyYear, PanelSchema.RelYear);

    /// <summary>
    /// The paper's pipeline as diagnosis entries: every effect estimator of <see cref="StudyMultiverse.Estimators"/>
    /// on <paramref name="design"/> (an estimator that takes no controls runs without them, and its label says so),
    /// the event-study pre-trend test (bins −4 and 6, as notebook 05) and, with <paramref name="checks"/>, the
    /// robustness checks of notebooks 06 and 10 (<see cref="Checks"/>).
    /// </summary>
    public static ImmutableArray<DiagnosisEstimator<ColumnTable>> Pipeline(DidDesign? design = null, bool checks = true)
    {
        design ??= PaperDesign;
        var bare = design with { Controls = [] };
        var list = new List<DiagnosisEstimator<ColumnTable>>();
        foreach (var e in StudyMultiverse.Estimators)
        {
            if (e.Unavailable(design) is null) list.Add(e.ForDiagnosis(design));
            else if (e.Unavailable(bare) is null) list.Add(e.ForDiagnosis(bare) with { Label = e.Label + " (no controls)" });
        }
        list.Add(DidEstimators.EventStudyPreTrend(design));
        if (checks) list.AddRange(Checks(design));
        return [.. list];
    }

    /// <summary>Draws of the placebo test in each world: enough for a p-value at the 5% level (its floor is 1/100).</summary>
    public const int PlaceboDraws = 99;

    /// <summary>
    /// The paper's robustness checks as diagnosis entries, on the TWFE formula of <paramref name="design"/>:
    /// the placebo test (randomisation p-value of |t| over <see cref="PlaceboDraws"/> draws of random units and
    /// years, seed 1, as notebook 06 with fewer draws; a test, so only its rejection rates count); PSM-DID
    /// (nearest-neighbour matching on the controls by year without a caliper, so every treated city-year is
    /// matched and the estimand stays the ATT of all treated city-years; the TWFE fit on the matched sample);
    /// and the direct effect of the treatment in the spatial Durbin model with city and year fixed effects
    /// (Lee–Yu; W = inverse distance with a 500 km cut-off, row-standardised, as notebook 10's first W;
    /// delta-method SE, normal interval). The true effect of each world is its ATT, which the direct effect
    /// approximates only as far as the spillovers are small: the diagnosis shows how far.
    /// </summary>
    public static ImmutableArray<DiagnosisEstimator<ColumnTable>> Checks(DidDesign design)
    {
        var controls = design.Controls.IsDefaultOrEmpty ? [] : design.Controls.ToArray();
        // W depends on the cities' coordinates only, the same in every world: built (with its eigenvalues) once.
        SpatialWeights? w = null;
        var gate = new object();
        SpatialWeights W(ColumnTable data)
        {
            lock (gate) return w ??= SpatialWeights.FromData(data, design.Unit, "latitude", "longitude", WeightsSpec.Parse("inverse-distance,cutoff=500"));
        }
        return
        [
            new("placebo", $"Placebo test ({PlaceboDraws} draws)", data => DiagnosisDraw.Test(
                Placebo.Fit(data, design.TwfeFormula, design.Treatment, design.Unit, design.Time, Vcov.Cluster(design.Cluster),
                    new PlaceboOptions(PlaceboDraws, 1, PlaceboScheme.Both)).PValue), IsTest: true),
            new("psm", "PSM-DID (by year)", data => DiagnosisDraw.Of(EffectEstimate.From(
                PropensityScoreMatching.Fit(data, PanelSchema.Pilot, controls, design.TwfeFormula, Vcov.Cluster(design.Cluster),
                    new MatchingOptions(By: design.Time)).Matched, design.Treatment))),
            new("sdm", "Spatial Durbin, direct effect", data =>
            {
                var fit = SpatialDurbin.Fit(data, design.TwfeFormula, W(data));
                var d = fit.Impact(design.Treatment);
                return DiagnosisDraw.Of(EffectEstimate.FromT(d.Direct, d.DirectSe, double.PositiveInfinity, fit.Nobs));
            }),
        ];
    }

    /// <summary>What a diagnosis simulates, in one line (the data banner of its tables and figures).</summary>
    public static string Describe(DesignDiagnosisOptions options) =>
        $"{options.Worlds} worlds simulated by Compendium.Simulation.PanelSimulator (seeds {options.FirstSeed}–{options.FirstSeed + options.Worlds - 1}, " +
        "calibrated settings, each paired with the same world without the policy)";

    /// <summary>
    /// The worlds of one seed: the calibrated panel with its true ATT, and (with <paramref name="zeroEffect"/>)
    /// the same panel without the policy (truth 0).
    /// </summary>
    public static IReadOnlyList<ScenarioWorld<ColumnTable>> Worlds(StudyFacts facts, SimulationSettings settings, int seed, bool zeroEffect = true)
    {
        var sim = PanelSimulator.Simulate(facts, settings with { Seed = seed });
        return zeroEffect ? [new(sim.Panel, sim.Truth.AttIndex), new(sim.WithoutPolicy(), 0)] : [new(sim.Panel, sim.Truth.AttIndex)];
    }

    /// <summary>
    /// Diagnose <paramref name="estimators"/> (default <see cref="Pipeline"/>) under <paramref name="settings"/>
    /// (default: the calibration) on R worlds, in both <see cref="Scenarios"/> or (without
    /// <paramref name="zeroEffect"/>) in the calibrated one only.
    /// </summary>
    public static DesignDiagnosisResult Run(StudyFacts facts, DesignDiagnosisOptions options, SimulationSettings? settings = null,
        IReadOnlyList<DiagnosisEstimator<ColumnTable>>? estimators = null, bool zeroEffect = true)
    {
        var s = settings ?? new SimulationSettings();
        return DesignDiagnosis.Run(zeroEffect ? Scenarios : [Scenarios[0]], seed => Worlds(facts, s, seed, zeroEffect), estimators ?? Pipeline(), options);
    }

    /// <summary>
    /// The knobs of the sweep, three values each (the middle one the calibration's, except cohort
    /// heterogeneity, whose calibration is none): how fast the effect builds up (time constant in years),
    /// the share of the effect that spills over to untreated neighbours, and how much larger the first
    /// cohort's effect is than the last's.
    /// </summary>
    public static ImmutableArray<DesignKnob> Knobs { get; } =
    [
        new("build_up_years", "Build-up time constant (years)", [0.5, 2.5, 8], (s, v) => s with { BuildUpYears = v }),
        new("spillover_share", "Spillover share", [0, 0.5, 1], (s, v) => s with { SpilloverShare = v }),
        new("cohort_heterogeneity", "Cohort heterogeneity (first cohort effect × 1 + h)", [0, 1, 3], (s, v) => s with { CohortHeterogeneity = v }),
    ];

    /// <summary>
    /// The diagnosis repeated at every value of every knob, the other settings at the calibration, with the
    /// same seeds throughout (common random numbers), in the calibrated scenario only: the knobs shape the
    /// effect, so the zero-effect worlds (and the sizes) are the same at every value. A value equal to the
    /// calibration reuses the first worlds of <paramref name="baseline"/> when it has at least as many from
    /// the same first seed (restricted to <paramref name="estimators"/>). The default estimators are the
    /// effect estimators and the pre-trend test without the robustness checks (<c>Pipeline(checks: false)</c>):
    /// the sweep asks where the estimators fail as the effect's shape changes.
    /// </summary>
    public static DiagnosisSweep Sweep(StudyFacts facts, DesignDiagnosisOptions options, IReadOnlyList<DiagnosisEstimator<ColumnTable>>? estimators = null,
        IReadOnlyList<DesignKnob>? knobs = null, DesignDiagnosisResult? baseline = null)
    {
        var entries = estimators ?? Pipeline(checks: false);
        var calibrated = new SimulationSettings();
        var runs = ImmutableArray.CreateBuilder<(string, string, DesignDiagnosisResult)>();
        foreach (var k in knobs ?? Knobs)
            foreach (var v in k.Values)
            {
                var s = k.Apply(calibrated, v);
                var r = s == calibrated && baseline is not null && baseline.Options.Worlds >= options.Worlds && baseline.Options.FirstSeed == options.FirstSeed
                    ? baseline.FirstWorlds(options.Worlds).Only(Scenarios[0].Name).OnlyEstimators(entries.Select(e => e.Name))
                    : Run(facts, options, s, entries, zeroEffect: false);
                runs.Add((k.Label, v.ToString(CultureInfo.InvariantCulture) + (s == calibrated ? " (calibration)" : ""), r));
            }
        return new DiagnosisSweep(runs.ToImmutable());
    }
}
