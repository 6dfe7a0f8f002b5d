using Compendium.Econometrics;
using Compendium.Econometrics.Spatial;
using Xunit;
using Xunit.Abstractions;
using static Compendium.Tests.Spatial.SpatialReference;

namespace Compendium.Tests.Spatial;

/// <summary>
/// The fixed-effects spatial Durbin, lag and error models and their impacts against
/// tests/reference/spatial (R: the Lee–Yu formulas, cross-checked in the script against spatialreg 1.2-6
/// lagsarlm/errorsarlm on the transformed data; the direct approach against lagsarlm with Durbin terms on
/// the within-transformed data), and Columbus against spatialreg and Anselin (1988). 1e-6 relative.
/// </summary>
public class SpatialDurbinReferenceTests(ITestOutputHelper output)
{
    private static SpatialDurbinOptions Options(string method, string model = "sdm", string? time = null) => new(
        model switch { "sar" => SpatialModelKind.Lag, "sem" => SpatialModelKind.Error, _ => SpatialModelKind.Durbin },
        method == "direct" ? SpatialFeMethod.Direct : SpatialFeMethod.LeeYu, Time: time);

    private double CheckFit(string @case, SpatialDurbinResult r, bool impacts)
    {
        double worst = 0;
        foreach (var c in r.Coefficients)
        {
            worst = Math.Max(worst, Close(@case, $"coef:{c.Name}:estimate", c.Estimate));
            worst = Math.Max(worst, Close(@case, $"coef:{c.Name}:std_error", c.StdError));
        }
        int k = r.Coefficients.Length;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
                worst = Math.Max(worst, Close(@case, $"vcov:{r.Coefficients[a].Name}:{r.Coefficients[b].Name}", r.Variance.Matrix[a * k + b]));
        worst = Math.Max(worst, Close(@case, "loglik", r.LogLikelihood));
        Assert.Equal(Get(@case, "nobs"), r.Nobs);
        Assert.Equal(Get(@case, "effective_nobs"), r.EffectiveNobs);
        Assert.Equal(Keys(@case).Count(key => key.StartsWith("coef:", StringComparison.Ordinal) && key.EndsWith(":estimate", StringComparison.Ordinal)), k);
        if (impacts)
            foreach (var i in r.Impacts)
                foreach (var (key, v) in new[] { ("direct", i.Direct), ("indirect", i.Indirect), ("total", i.Total), ("direct_se", i.DirectSe), ("indirect_se", i.IndirectSe), ("total_se", i.TotalSe) })
                    worst = Math.Max(worst, Close(@case, $"impact:{i.Name}:{key}", v));
        output.WriteLine($"{@case}: {r.Rho.Name} = {r.Rho.Estimate:0.######} ({r.Rho.StdError:0.######}), loglik {r.LogLikelihood:0.###}; max relative deviation from R {worst:g3}");
        return worst;
    }

    [Theory]
    [InlineData("idw500", "leeyu")]
    [InlineData("idw500", "direct")]
    [InlineData("knn5", "leeyu")]
    [InlineData("knn5", "direct")]
    [InlineData("idw", "direct")]
    public void PanelDurbinMatchesR(string weights, string method)
    {
        var r = SpatialDurbin.Fit(PanelData.Value, Formula, Weights(weights), Options(method));
        CheckFit($"sdm_{weights}_{method}", r, impacts: true);
        var d = r.Impact("treat");
        output.WriteLine($"  treat: direct {d.Direct:0.00000} ({d.DirectSe:0.00000}), indirect {d.Indirect:0.00000} ({d.IndirectSe:0.00000}), total {d.Total:0.00000} ({d.TotalSe:0.00000})");
        if (method == "direct")
        {
            string c = $"sdm_{weights}_direct";
            for (int j = 0; j < r.Coefficients.Length; j++) Close(c, $"uncorrected:{r.Coefficients[j].Name}", r.Uncorrected[j]);
        }
    }

    [Theory]
    [InlineData("sar", "leeyu")]
    [InlineData("sar", "direct")]
    [InlineData("sem", "leeyu")]
    [InlineData("sem", "direct")]
    public void PanelLagAndErrorModelsMatchR(string model, string method)
    {
        var r = SpatialDurbin.Fit(PanelData.Value, Formula, Weights("idw500"), Options(method, model));
        CheckFit($"{model}_idw500_{method}", r, impacts: model == "sar");
        if (model == "sem") Assert.Empty(r.Impacts);
        else Assert.DoesNotContain(r.Coefficients, c => c.Name.StartsWith("W*", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("leeyu")]
    [InlineData("direct")]
    public void UnitEffectsOnlyMatchR(string method)
    {
        var f = Formula.Replace(" + year", "");
        var r = SpatialDurbin.Fit(PanelData.Value, f, Weights("idw500"), Options(method, "sdm", time: "year"));
        CheckFit($"sdm_idw500_unit_{method}", r, impacts: false);
        Assert.True(r.UnitEffects); Assert.False(r.TimeEffects);
    }

    [Fact]
    public void LeeYuWithoutCutoffIsAtTheBoundaryAndSaysSo()
    {
        var e = Assert.Throws<InputException>(() => SpatialDurbin.Fit(PanelData.Value, Formula, Weights("idw"), Options("leeyu")));
        output.WriteLine(e.Message);
        Assert.Equal(1, Get("sdm_idw_leeyu", "at_boundary"));
        Assert.Contains("not identified", e.Message);
        double[] rhos = [-0.5, 0, 0.5, 0.9, 0.99];
        foreach (var method in new[] { "leeyu", "direct" })
        {
            var prof = SpatialDurbin.Profile(PanelData.Value, Formula, Weights("idw"), rhos, Options(method));
            foreach (var (rho, ll) in prof) Close($"sdm_idw_{method}", $"profile:{rho.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ll);
        }
    }

    [Theory]
    [InlineData("sar")]
    [InlineData("sem")]
    [InlineData("sdm")]
    public void ColumbusMatchesSpatialregAndAnselin(string model)
    {
        var o = Options("leeyu", model) with { Unit = "unit" };
        var r = SpatialDurbin.Fit(ColumbusData.Value, "CRIME ~ INC + HOVAL", Weights("columbus"), o);
        CheckFit("columbus_" + model, r, impacts: model != "sem");
        if (model != "sdm")
        {
            // Anselin (1988) as printed (3 decimals)
            string c = "columbus_" + model;
            Assert.Equal(Get(c, $"published:{r.Rho.Name}"), r.Rho.Estimate, 0.0006);
            foreach (var n in new[] { "(Intercept)", "INC", "HOVAL" }) Assert.Equal(Get(c, $"published:{n}"), r[n].Estimate, 0.0006);
        }
    }

    [Fact]
    public void MeanResponseReproducesTheDirectAndTotalEffects()
    {
        // e_k for every unit k: the mean own response is the direct effect, n × the mean response of all units the total
        var w = Weights("columbus");
        var r = SpatialDurbin.Fit(ColumbusData.Value, "CRIME ~ INC + HOVAL", w, Options("leeyu") with { Unit = "unit" });
        int n = w.Count;
        double[] E(int k) { var e = new double[n]; e[k] = 1; return e; }
        var own = r.MeanResponse(w, "INC", [.. Enumerable.Range(0, n).Select(k => (E(k), (IReadOnlyList<int>)[k]))]);
        var all = r.MeanResponse(w, "INC", [.. Enumerable.Range(0, n).Select(k => (E(k), (IReadOnlyList<int>)Enumerable.Range(0, n).ToList()))]);
        var i = r.Impact("INC");
        Assert.Equal(i.Direct, own.Estimate, 1e-12);
        Assert.Equal(i.DirectSe, own.StdError, 1e-12);
        Assert.Equal(i.Total, n * all.Estimate, 1e-12);
        Assert.Equal(i.TotalSe, n * all.StdError, 1e-12);
    }

    [Fact]
    public void SimulatedImpactStandardErrorsAgreeWithSpatialreg()
    {
        // Columbus SDM: spatialreg's impacts(R = 20000) against 20,000 seeded draws here. The random streams differ.
        // With ρ̂ = 0.43 (SE 0.16) draws of ρ come near 1, where the indirect and total effects (∝ 1/(1 − ρ)) explode:
        // their standard deviation over draws is not a stable number (here 0.87 to 1.31 across six seeds for INC's
        // indirect effect, spatialreg 0.89 to 0.95 across three). Only the direct effect's is compared tightly.
        var o = Options("leeyu") with { Unit = "unit", SimulationDraws = 20000, Seed = 7 };
        var r = SpatialDurbin.Fit(ColumbusData.Value, "CRIME ~ INC + HOVAL", Weights("columbus"), o);
        foreach (var i in r.Impacts)
            foreach (var (key, v, tol) in new[] { ("direct_se", i.DirectSimSe, 0.04), ("indirect_se", i.IndirectSimSe, 0.4), ("total_se", i.TotalSimSe, 0.4) })
            {
                double sr = Get("columbus_sdm", $"impact_sim:{i.Name}:{key}");
                output.WriteLine($"columbus {i.Name} {key}: {v:0.0000} vs spatialreg {sr:0.0000}");
                Assert.InRange(v / sr, 1 - tol, 1 + tol);
            }
        // The panel (ρ precise): simulated ≈ delta method, and ≈ spatialreg's simulation for the direct approach
        // (spatialreg's draws are around the uncorrected estimate, these around the bias-corrected one).
        var p = SpatialDurbin.Fit(PanelData.Value, Formula, Weights("idw500"), Options("direct") with { SimulationDraws = 5000, Seed = 3 });
        foreach (var i in p.Impacts)
        {
            output.WriteLine($"panel {i.Name}: delta {i.DirectSe:g4} {i.IndirectSe:g4} {i.TotalSe:g4}; simulated {i.DirectSimSe:g4} {i.IndirectSimSe:g4} {i.TotalSimSe:g4}");
            Assert.InRange(i.DirectSimSe / i.DirectSe, 0.93, 1.07);
            Assert.InRange(i.IndirectSimSe / i.IndirectSe, 0.93, 1.07);
            Assert.InRange(i.TotalSimSe / i.TotalSe, 0.93, 1.07);
            if (Has("sdm_idw500_direct", $"uncorrected_impact_sim:{i.Name}:direct_se"))
                foreach (var (key, v) in new[] { ("direct_se", i.DirectSimSe), ("indirect_se", i.IndirectSimSe), ("total_se", i.TotalSimSe) })
                    Assert.InRange(v / Get("sdm_idw500_direct", $"uncorrected_impact_sim:{i.Name}:{key}"), 0.9, 1.1);
        }
        var again = SpatialDurbin.Fit(PanelData.Value, Formula, Weights("idw500"), Options("direct") with { SimulationDraws = 5000, Seed = 3 });
        Assert.True(p.Impacts.SequenceEqual(again.Impacts), "the same seed gives the same draws");
    }
}
