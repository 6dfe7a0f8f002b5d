using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Index;
using Compendium.Robustness;
using Compendium.Simulation;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Robustness;

/// <summary>The referee's checks: samples, outcomes and truths as documented; the alternative indices.</summary>
public class RobustnessChecksTests
{
    private static readonly string Dir = Path.Combine(ReferenceValues.RepoRoot, "data");
    private static readonly Lazy<ColumnTable> Panel = new(() => PanelLoader.Load(Path.Combine(Dir, "synthetic", "panel.csv")).Table);
    private static readonly Lazy<ColumnTable> Potential = new(() => ColumnTableCsv.Read(Path.Combine(Dir, "synthetic", "potential_outcomes.csv")));
    private static readonly string[] Controls = ["econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];

    [Fact]
    public void ChecksHaveTheDocumentedSamplesAndTruths()
    {
        var facts = StudyFacts.Load(Dir);
        var checks = RobustnessChecks.Build(Panel.Value, facts, Controls, Potential.Value);
        Assert.Equal(11, checks.Length);
        Assert.Equal("Baseline", checks[0].Title);
        var truth = TruthFile.Load(Path.Combine(Dir, "synthetic", "truth.json"));
        Assert.Equal(truth.AttIndex, checks[0].TrueEffect!.Value, 1e-6);            // the simulator's ATT, from its potential outcomes
        Assert.Equal(3396 - 4 * 12, checks[2].Data.RowCount);                       // four municipalities
        Assert.Equal(2547, checks[8].Data.RowCount);                                 // 2020–2022 dropped
        Assert.DoesNotContain(checks[8].Data.Numeric("year"), y => y is >= 2020 and <= 2022);
        Assert.Equal(2016, checks[1].Data.Numeric("policy_year").Where(p => p > 0).Min());   // alternative timing
        foreach (var c in checks) Assert.True(double.IsFinite(Feols.Fit(c.Data, c.Formula, c.Vcov)["treat"].Estimate), c.Title);
        // Without potential outcomes (an author's data) there is no truth.
        Assert.All(RobustnessChecks.Build(Panel.Value, facts, Controls), c => Assert.Null(c.TrueEffect));
    }

    [Fact]
    public void AlternativeIndicesAreAffineAndOriented()
    {
        var p = Panel.Value;
        var eq = LinearIndex.EqualWeights(p).Compute(p);
        Assert.InRange(eq.Min(), 0, 1); Assert.InRange(eq.Max(), 0, 1);
        var pc = LinearIndex.FirstPrincipalComponent(p).Compute(p);
        Assert.Equal(0, pc.Min(), 1e-12); Assert.Equal(1, pc.Max(), 1e-12);
        Assert.True(Correlation(pc, p.Numeric("resilience")) > 0.8);
        Assert.True(Correlation(eq, p.Numeric("resilience")) > 0.8);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }
}
