using Xunit;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Multiverse;
using Compendium.Index;
using Compendium.Multiverse;
using Compendium.Simulation;

namespace Compendium.Tests.Multiverse;

/// <summary>The design diagnosis: scores computed from the worlds, identical on one and two threads; the zero-effect world; the cohort knob.</summary>
public sealed class DesignDiagnosisTests
{
    private static StudyFacts Facts => MultiverseReferenceTests.Facts.Value;
    private const int Worlds = 6;
    private static readonly Lazy<DesignDiagnosisResult> OneThread = new(() => StudyDiagnosis.Run(Facts, new DesignDiagnosisOptions(Worlds, 1, Threads: 1)));

    [Fact]
    public void TheDiagnosisIsIdenticalOnOneAndTwoThreads()
    {
        var two = StudyDiagnosis.Run(Facts, new DesignDiagnosisOptions(Worlds, 1, Threads: 2));
        Assert.Equal(OneThread.Value.ToJson(draws: true), two.ToJson(draws: true));
        Assert.Equal(OneThread.Value.ToTable().ToMarkdown(), two.ToTable().ToMarkdown());
    }

    /// <summary>
    /// TWFE's coverage, bias and size are what the worlds give: simulate each seed again, fit the paper's
    /// TWFE by hand, and count the intervals that contain that world's true ATT (and the rejections without the policy).
    /// </summary>
    [Fact]
    public void TwfeCoverageBiasAndSizeComeFromTheWorlds()
    {
        int covered = 0, rejectedNull = 0; double errorSum = 0;
        const string formula = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
        for (int seed = 1; seed <= Worlds; seed++)
        {
            var sim = PanelSimulator.Simulate(Facts, new SimulationSettings(Seed: seed));
            var c = Feols.Fit(sim.Panel, formula, Vcov.Cluster("city_code"))["treat"];
            double truth = sim.Truth.AttIndex;
            if (c.CiLow <= truth && truth <= c.CiHigh) covered++;
            errorSum += c.Estimate - truth;
            if (Feols.Fit(sim.WithoutPolicy(), formula, Vcov.Cluster("city_code"))["treat"].P < 0.05) rejectedNull++;
        }
        var d = OneThread.Value.Diagnose("twfe", "calibrated");
        Assert.Equal(Worlds, d.Worlds);
        Assert.Equal((double)covered / Worlds, d.Coverage);
        Assert.Equal(errorSum / Worlds, d.Bias, 12);
        Assert.Equal((double)rejectedNull / Worlds, OneThread.Value.Diagnose("twfe", "zero").RejectionRate);
        Assert.Equal(0, OneThread.Value.Diagnose("twfe", "zero").MeanTruth);
        Assert.Contains("Event-study pre-trend test", OneThread.Value.ToTable().ToMarkdown());
    }

    [Fact]
    public void GenericScoresFollowTheirDefinitions()
    {
        // world s: an estimate θ + e_s with θ = 1 and e_s = (s − 3)/10 for s = 1..5, SE 0.15 (normal), truth 1
        var est = new DiagnosisEstimator<double>("m", "mean", e => DiagnosisDraw.Of(EffectEstimate.FromT(1 + e, 0.15, double.PositiveInfinity, 10)));
        var fails = new DiagnosisEstimator<double>("f", "fails", e => e > 0 ? throw new InputException("no") : DiagnosisDraw.Test(0.01), IsTest: true);
        var r = DesignDiagnosis.Run([new DiagnosisScenario("eff", "effect", false)], seed => [new ScenarioWorld<double>((seed - 3) / 10.0, 1.0)],
            [est, fails], new DesignDiagnosisOptions(5, 1, 2));
        var d = r.Diagnose("m", "eff");
        Assert.Equal(0, d.Bias, 12);
        Assert.Equal(Math.Sqrt((0.04 + 0.01 + 0 + 0.01 + 0.04) / 5), d.Rmse, 12);
        Assert.Equal(Math.Sqrt(0.1 / 4), d.SdEstimate, 12);
        Assert.Equal(Math.Sqrt(0.1 / 4), d.SdError, 12);   // the truth is the same in every world: errors vary as the estimates
        Assert.Equal(0.15, d.MeanStdError, 12);
        Assert.Equal(1.0, d.Coverage);             // |e| ≤ 0.2 < 1.96 · 0.15
        Assert.Equal(1.0, d.RejectionRate);        // every estimate ≈ 1 is far from 0
        var f = r.Diagnose("f", "eff");
        Assert.Equal(2, f.Failures);               // s = 4, 5
        Assert.Equal(3, f.Worlds);
        Assert.Equal(1.0, f.RejectionRate);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, r.Estimates("m", "eff").Select(x => x.Seed));
    }

    [Fact]
    public void TheZeroEffectWorldIsTheSimulatorWithoutEffect()
    {
        var sim = PanelSimulator.Simulate(Facts, new SimulationSettings(Seed: 3));
        var none = PanelSimulator.Simulate(Facts, new SimulationSettings(Seed: 3, EffectScale: 0, ShockCushion: 0)).Panel;
        var derived = sim.WithoutPolicy();
        var columns = ResilienceIndicators.All.Select(d => d.Name).Append(ResilienceIndicators.IndexColumn)
            .Concat(Enum.GetValues<Dimension>().Select(ResilienceIndicators.SubIndexColumn)).Append("treat");
        foreach (var c in columns) Assert.Equal(none.Numeric(c), derived.Numeric(c));
        Assert.NotEqual(sim.Panel.Numeric("resilience"), derived.Numeric("resilience"));
    }

    [Fact]
    public void CohortHeterogeneityScalesTheFirstCohortsEffect()
    {
        double Ratio(double h)
        {
            var sim = PanelSimulator.Simulate(Facts, new SimulationSettings(CohortHeterogeneity: h));
            var py = sim.Panel.Numeric("policy_year"); var rel = sim.Panel.Numeric("rel_year");
            var gap = sim.Panel.Numeric("resilience").Zip(sim.PotentialOutcomes.Numeric("resilience_y0"), (a, b) => a - b).ToArray();
            double Mean(int year) => Enumerable.Range(0, gap.Length).Where(i => py[i] == year && rel[i] >= 0 && rel[i] <= 3).Average(i => gap[i]);
            return Mean(2015) / Mean(2016);
        }
        double r0 = Ratio(0), r3 = Ratio(3);
        Assert.InRange(r3 / r0, 3.0, 5.0); // ≈ 4 up to the clamps and the shock cushion
        Assert.Throws<InputException>(() => PanelSimulator.Simulate(Facts, new SimulationSettings(CohortHeterogeneity: -1)));
    }
}
