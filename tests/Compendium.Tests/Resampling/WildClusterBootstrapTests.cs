using Compendium.Econometrics;
using Compendium.Econometrics.Resampling;
using Compendium.Tests.Staggered;
using Xunit;

namespace Compendium.Tests.Resampling;

/// <summary>The restricted wild cluster bootstrap against wild_reference.R (full enumeration, checked there against brute force).</summary>
public class WildClusterBootstrapTests
{
    private static readonly DidReference Ref = DidReference.Load("wild_reference.csv");

    private static (Econometrics.Data.ColumnTable Data, string Formula, string Coef, string Cluster) Case(string name)
    {
        if (name == "castle12")
        {
            var d = DidReference.Data("castle.csv");
            var sid = d.Numeric("sid");
            return (d.Where(sid.Select(s => s <= 13).ToArray()), "l_homicide ~ post | sid + year", "post", "sid");
        }
        return (DidReference.Data("wild_panel_subset.csv"), "resilience ~ treat + econ_density + gov_intervention | city_code + year", "treat", "province");
    }

    [Theory]
    [InlineData("castle12")]
    [InlineData("panel_provinces")]
    public void FullEnumerationMatchesTheReference(string name)
    {
        var (d, f, coef, cl) = Case(name);
        var r = WildClusterBootstrap.Test(d, f, coef, cl);
        Assert.True(r.FullEnumeration);
        Assert.Equal(Ref[name, "draws", coef], r.Draws);
        Assert.Equal(Ref[name, "clusters", coef], r.Clusters);
        DidReference.Close(Ref[name, "estimate", coef], r.Estimate, what: "estimate");
        DidReference.Close(Ref[name, "std_error", coef], r.StdError, what: "se");
        DidReference.Close(Ref[name, "t", coef], r.T, what: "t");
        Assert.Equal(Ref[name, "p", "0"], r.PValue);
        var half = WildClusterBootstrap.Test(d, f, coef, cl, new WildBootstrapOptions(Null: r.Estimate / 2, ConfidenceInterval: false));
        Assert.Equal(Ref[name, "p", "half_estimate"], half.PValue);
        var twice = WildClusterBootstrap.Test(d, f, coef, cl, new WildBootstrapOptions(Null: 2 * r.Estimate, ConfidenceInterval: false));
        Assert.Equal(Ref[name, "p", "twice_estimate"], twice.PValue);
        DidReference.Close(Ref[name, "ci", "low"], r.CiLow, what: "ci low");
        DidReference.Close(Ref[name, "ci", "high"], r.CiHigh, what: "ci high");
    }

    [Fact]
    public void RandomDrawsAreSeededAndAgreeWithEnumeration()
    {
        var (d, f, coef, cl) = Case("castle12");
        var o = new WildBootstrapOptions(Draws: 999, Seed: 5, ConfidenceInterval: false);
        var a = WildClusterBootstrap.Test(d, f, coef, cl, o);
        var b = WildClusterBootstrap.Test(d, f, coef, cl, o);
        Assert.False(a.FullEnumeration);
        Assert.Equal(a.PValue, b.PValue);
        Assert.InRange(a.PValue, Ref["castle12", "p", "0"] - 0.06, Ref["castle12", "p", "0"] + 0.06);
        var webb = WildClusterBootstrap.Test(d, f, coef, cl, o with { Weights = WildWeights.Webb });
        Assert.InRange(webb.PValue, 0.4, 0.9);
    }

    [Fact]
    public void UnknownCoefficientIsAnInputError()
    {
        var (d, f, _, cl) = Case("castle12");
        var ex = Assert.Throws<InputException>(() => WildClusterBootstrap.Test(d, f, "cdl", cl));
        Assert.Contains("post", ex.Message);
    }
}
