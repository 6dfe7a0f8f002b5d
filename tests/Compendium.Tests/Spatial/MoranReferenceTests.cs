using Compendium.Econometrics;
using Compendium.Econometrics.Spatial;
using Xunit;
using Xunit.Abstractions;
using static Compendium.Tests.Spatial.SpatialReference;

namespace Compendium.Tests.Spatial;

/// <summary>
/// Weights from coordinates and Moran's I against spdep 1.2-7 (tests/reference/spatial/spatial_reference.R):
/// moran.test under normality and randomisation for every year of the synthetic panel under three W, and
/// for Columbus (rook contiguity, Anselin 1988); localmoran; at 1e-6 relative.
/// </summary>
public class MoranReferenceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("idw500")]
    [InlineData("knn5")]
    [InlineData("idw")]
    public void WeightsFromCoordinatesMatchR(string name)
    {
        var w = Weights(name);
        string c = "weights_" + name;
        Assert.Equal(Get(c, "nonzero"), w.NonZero);
        Close(c, "eigen_min", w.Eigenvalues.Re.Min());
        Close(c, "eigen_max", w.Eigenvalues.Re.Max());
        foreach (var key in Keys(c).Where(k => k.StartsWith("w:", StringComparison.Ordinal)))
        {
            var p = key.Split(':');
            Close(c, key, w[w.IndexOf(p[1]), w.IndexOf(p[2])]);
        }
        Assert.True(w.RowStandardised);
        for (int i = 0; i < w.Count; i++) Assert.Equal(1.0, w.Row(i).Sum(e => e.Weight), 1e-12);
    }

    [Theory]
    [InlineData("idw500")]
    [InlineData("knn5")]
    [InlineData("idw")]
    public void MoranByYearMatchesSpdep(string name)
    {
        var tests = Moran.ByPeriod(PanelData.Value, "resilience", "city_code", "year", Weights(name));
        Assert.Equal(12, tests.Length);
        double worst = 0;
        foreach (var m in tests)
        {
            string c = "moran_" + name, y = m.Label;
            worst = new[]
            {
                Close(c, $"{y}:I", m.I), Close(c, $"{y}:expected", m.Expected),
                Close(c, $"{y}:variance_normal", m.VarianceNormal), Close(c, $"{y}:z_normal", m.ZNormal), Close(c, $"{y}:p_normal", m.PNormal),
                Close(c, $"{y}:variance_randomisation", m.VarianceRandomisation), Close(c, $"{y}:z_randomisation", m.ZRandomisation),
                Close(c, $"{y}:p_randomisation", m.PRandomisation), worst,
            }.Max();
        }
        output.WriteLine($"{name}: I by year {string.Join(", ", tests.Select(t => $"{t.Label} {t.I:0.0000}"))}; max deviation {worst:g3}");
    }

    [Fact]
    public void ColumbusMoranMatchesSpdep()
    {
        var w = Weights("columbus");
        var x = SpatialPanel.Arrange(ColumbusData.Value, ["CRIME"], "unit", null, w);
        var m = Moran.Test(x.Columns[0], x.Weights);
        Close("columbus_moran", "I", m.I); Close("columbus_moran", "expected", m.Expected);
        Close("columbus_moran", "variance_normal", m.VarianceNormal); Close("columbus_moran", "z_normal", m.ZNormal);
        Close("columbus_moran", "p_normal", m.PNormal); Close("columbus_moran", "variance_randomisation", m.VarianceRandomisation);
        Close("columbus_moran", "z_randomisation", m.ZRandomisation); Close("columbus_moran", "p_randomisation", m.PRandomisation);
    }

    [Theory]
    [InlineData("columbus_local", "columbus")]
    [InlineData("local_knn5_2023", "knn5")]
    public void LocalMoranMatchesSpdep(string @case, string weights)
    {
        var local = @case == "columbus_local"
            ? Moran.Local(SpatialPanel.Arrange(ColumbusData.Value, ["CRIME"], "unit", null, Weights(weights)).Columns[0], Weights(weights))
            : Local2023();
        foreach (var l in local)
        {
            Close(@case, $"local:{l.Unit}:Ii", l.Ii); Close(@case, $"local:{l.Unit}:E", l.Expected);
            Close(@case, $"local:{l.Unit}:Var", l.Variance); Close(@case, $"local:{l.Unit}:Z", l.Z); Close(@case, $"local:{l.Unit}:p", l.P);
            Assert.Equal(Get(@case, $"local:{l.Unit}:quadrant"), (int)l.Quadrant);
        }
        output.WriteLine($"{@case}: clusters at 5%: {string.Join(", ", local.GroupBy(l => l.Cluster()).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
    }

    private static System.Collections.Immutable.ImmutableArray<LocalMoran> Local2023()
    {
        var w = Weights("knn5");
        var p = SpatialPanel.Arrange(PanelData.Value, ["resilience"], "city_code", "year", w);
        return Moran.Local(p.Columns[0].AsSpan((p.T - 1) * p.N, p.N), p.Weights);
    }

    [Fact]
    public void PermutationTestIsSeededAndAgreesWithTheAnalyticalTest()
    {
        var w = Weights("columbus");
        var x = SpatialPanel.Arrange(ColumbusData.Value, ["CRIME"], "unit", null, w).Columns[0];
        var a = Moran.Permutation(x, w, 999, 42);
        var b = Moran.Permutation(x, w, 999, 42);
        Assert.Equal(a.PermutationP, b.PermutationP);
        Assert.Equal(999, a.PermutationDraws);
        Assert.Equal(0.001, a.PermutationP, 1e-12);            // I = 0.51 is beyond every permutation (analytical p ≈ 1e-8)
        // a variable with no spatial pattern: permutation and analytical p agree roughly
        var noise = new double[x.Length];
        var rng = new Compendium.Econometrics.Numerics.SplitMix64(7);
        for (int i = 0; i < noise.Length; i++) noise[i] = rng.NextNormal();
        var c = Moran.Permutation(noise, w, 4999, 1);
        output.WriteLine($"noise: I {c.I:0.0000}, p randomisation {c.PRandomisation:0.000}, permutation {c.PermutationP:0.000}");
        Assert.InRange(c.PermutationP - c.PRandomisation, -0.06, 0.06);
    }
}
