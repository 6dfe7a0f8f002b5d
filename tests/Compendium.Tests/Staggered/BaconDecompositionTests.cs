using Compendium.Econometrics;
using Compendium.Econometrics.Staggered;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>Goodman-Bacon against the published castle numbers (bacondecomp vignette) and bacon_reference.R at 1e-6.</summary>
public class BaconDecompositionTests
{
    private static readonly DidReference Ref = DidReference.Load("bacon_reference.csv");

    [Fact]
    public void ReproducesThePublishedCastleDecomposition()
    {
        var r = BaconDecomposition.Fit(DidReference.Data("castle.csv"), "l_homicide ~ post | sid + year");
        DidReference.Close(0.0818116169306475, r.TwfeEstimate, 1e-10, what: "TWFE");
        DidReference.Close(r.TwfeEstimate, r.WeightedSum, 1e-10, what: "sum of the components");
        DidReference.Printed(0.05976, r[BaconComparison.EarlierVsLaterTreated].Weight, 5, "earlier vs later weight");
        DidReference.Printed(-0.00554, r[BaconComparison.EarlierVsLaterTreated].Estimate, 5, "earlier vs later estimate");
        DidReference.Printed(0.03190, r[BaconComparison.LaterVsEarlierTreated].Weight, 5, "later vs earlier weight");
        DidReference.Printed(0.07032, r[BaconComparison.LaterVsEarlierTreated].Estimate, 5, "later vs earlier estimate");
        DidReference.Printed(0.90834, r[BaconComparison.TreatedVsNeverTreated].Weight, 5, "treated vs never weight");
        DidReference.Printed(0.08796, r[BaconComparison.TreatedVsNeverTreated].Estimate, 5, "treated vs never estimate");
    }

    private static string Key(BaconComparison t) => t switch
    {
        BaconComparison.TreatedVsNeverTreated => "Treated vs Untreated",
        BaconComparison.EarlierVsLaterTreated => "Earlier vs Later Treated",
        BaconComparison.LaterVsEarlierTreated => "Later vs Earlier Treated",
        _ => "Later vs Always Treated",
    };

    [Theory]
    [InlineData("castle")]
    [InlineData("mpdta")]
    [InlineData("panel")]
    [InlineData("mpdta_always")]
    public void MatchesTheFormulaReference(string name)
    {
        var r = name switch
        {
            "castle" => BaconDecomposition.Fit(DidReference.Data("castle.csv"), "l_homicide ~ post | sid + year"),
            "panel" => BaconDecomposition.Fit(DidReference.Data("data/synthetic/panel.csv"), "resilience ~ treat | city_code + year"),
            _ => BaconDecomposition.Fit(Mpdta(name == "mpdta_always"), "lemp ~ d | countyreal + year"),
        };
        DidReference.Close(Ref[name, "twfe", "estimate"], r.TwfeEstimate, what: "TWFE");
        DidReference.Close(r.TwfeEstimate, r.WeightedSum, 1e-9, what: "sum");
        foreach (var c in r.Components)
        {
            string key = $"{Econometrics.Staggered.StaggeredPanel.Fmt(c.Treated)}:{(double.IsPositiveInfinity(c.Comparison) ? "99999" : Econometrics.Staggered.StaggeredPanel.Fmt(c.Comparison))}";
            DidReference.Close(Ref[name, "component_estimate", key], c.Estimate, floor: 1e-4, what: key);
            DidReference.Close(Ref[name, "component_weight", key], c.Weight, what: key + " weight");
        }
        Assert.Equal(Ref.All(name, "component_weight").Count(), r.Components.Length);
        foreach (var s in r.ByType)
        {
            DidReference.Close(Ref[name, "type_weight", Key(s.Type)], s.Weight, what: Key(s.Type));
            DidReference.Close(Ref[name, "type_estimate", Key(s.Type)], s.Estimate, floor: 1e-4, what: Key(s.Type) + " estimate");
        }
    }

    private static Econometrics.Data.ColumnTable Mpdta(bool always)
    {
        var d = DidReference.Data("mpdta.csv");
        var g = d.Numeric("first.treat");
        var y = d.Numeric("year");
        var dd = new double[d.RowCount];
        for (int i = 0; i < dd.Length; i++) dd[i] = g[i] > 0 && (y[i] >= g[i] || (always && g[i] == 2004)) ? 1 : 0;
        return d.With("d", dd);
    }

    [Fact]
    public void NonAbsorbingTreatmentIsAnInputError()
    {
        var d = DidReference.Data("castle.csv");
        var post = (double[])d.Numeric("post").Clone();
        int row = Array.FindLastIndex(post, v => v == 1);
        post[row] = 0;
        var ex = Assert.Throws<InputException>(() => BaconDecomposition.Fit(d.With("post", post), "l_homicide ~ post | sid + year"));
        Assert.Contains("absorbing", ex.Message);
    }

    [Fact]
    public void FormulaWithControlsIsAnInputError()
    {
        var ex = Assert.Throws<InputException>(() => BaconDecomposition.Fit(DidReference.Data("castle.csv"), "l_homicide ~ post + cdl | sid + year"));
        Assert.Contains("y ~ d | unit + time", ex.Message);
    }
}
