using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Staggered;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>
/// Callaway &amp; Sant'Anna against the published mpdta numbers (did README) to their printed digits and
/// against cs_reference.R (the did/DRDID algorithm by formula) at 1e-6 relative: every ATT(g,t), its
/// analytical SE, the four aggregations with SEs and the pre-test, for reg/ipw/dr, never/not-yet
/// treated comparisons and varying/universal base periods.
/// </summary>
public class CallawaySantAnnaTests
{
    private static readonly DidReference Ref = DidReference.Load("cs_reference.csv");
    private static readonly Lazy<Econometrics.Data.ColumnTable> Mpdta = new(() => DidReference.Data("mpdta.csv"));
    private static readonly Lazy<Econometrics.Data.ColumnTable> Panel = new(() => DidReference.Data("data/synthetic/panel.csv"));

    private static CallawaySantAnnaResult FitCase(string name)
    {
        var parts = name.Split('_');
        bool mp = parts[0] == "mpdta";
        var method = parts[1] switch { "reg" => DidMethod.Regression, "ipw" => DidMethod.Ipw, _ => DidMethod.DoublyRobust };
        ImmutableArray<string> cov = parts[2] switch { "lpop" => ["lpop"], "cov" => ["econ_density", "gov_intervention"], _ => [] };
        int i = parts[2] is "lpop" or "cov" ? 3 : 2;
        var control = parts[i] == "never" ? ComparisonGroup.NeverTreated : ComparisonGroup.NotYetTreated;
        var basep = parts[i + 1] == "varying" ? BasePeriod.Varying : BasePeriod.Universal;
        var o = new CallawaySantAnnaOptions(control, method, cov, basep);
        return mp
            ? CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", o)
            : CallawaySantAnna.Fit(Panel.Value, "resilience", "city_code", "year", "policy_year", o);
    }

    public static TheoryData<string> Cases => new()
    {
        "mpdta_reg_never_varying", "mpdta_reg_lpop_never_varying", "mpdta_ipw_lpop_never_varying", "mpdta_dr_lpop_never_varying",
        "mpdta_dr_lpop_notyet_varying", "mpdta_reg_never_universal", "mpdta_ipw_lpop_notyet_universal",
        "panel_reg_never_varying", "panel_reg_notyet_universal", "panel_dr_cov_never_varying",
    };

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheFormulaReference(string name)
    {
        var r = FitCase(name);
        int n = 0;
        foreach (var c in r.AttGt)
        {
            string key = F(c.Group) + ":" + F(c.Time);
            DidReference.Close(Ref[name, "att", key], c.Att, floor: 1e-6, what: $"{name} ATT({key})");
            if (Ref.Has(name, "se", key)) { DidReference.Close(Ref[name, "se", key], c.StdError, what: $"{name} se({key})"); n++; }
            else Assert.True(c.IsReference && double.IsNaN(c.StdError));
        }
        Assert.Equal(Ref.All(name, "att").Count(), r.AttGt.Length);
        DidReference.Close(Ref[name, "pretest", "W"], r.PreTest!.Statistic, what: "pre-test W");
        Assert.Equal(Ref[name, "pretest", "df"], r.PreTest.Df1);
        DidReference.Close(Ref[name, "pretest", "p"], r.PreTest.PValue, what: "pre-test p");
        DidReference.Close(Ref[name, "simple", "att"], r.Simple.Overall.Estimate, what: "simple");
        DidReference.Close(Ref[name, "simple", "se"], r.Simple.Overall.StdError, what: "simple se");
        foreach (var agg in new[] { r.Dynamic, r.Group, r.Calendar })
        {
            foreach (var e in agg.Effects)
            {
                DidReference.Close(Ref[name, agg.Type, e.Label + ":att"], e.Estimate, floor: 1e-6, what: $"{agg.Type} {e.Label}");
                if (Ref.Has(name, agg.Type, e.Label + ":se")) DidReference.Close(Ref[name, agg.Type, e.Label + ":se"], e.StdError, what: $"{agg.Type} {e.Label} se");
                else Assert.True(double.IsNaN(e.StdError));
            }
            Assert.Equal(Ref.All(name, agg.Type).Count(t => t.Term.EndsWith(":att") && !t.Term.StartsWith("overall")), agg.Effects.Length);
            DidReference.Close(Ref[name, agg.Type, "overall:att"], agg.Overall.Estimate, what: $"{agg.Type} overall");
            DidReference.Close(Ref[name, agg.Type, "overall:se"], agg.Overall.StdError, what: $"{agg.Type} overall se");
        }
        Assert.Equal(Ref[name, "sample", "units"], r.Units);
    }

    /// <summary>The did README's numbers for mpdta (outcome regression, never treated, varying base period), to their printed digits.</summary>
    [Fact]
    public void ReproducesThePublishedMpdtaNumbers()
    {
        var r = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", new CallawaySantAnnaOptions(Method: DidMethod.Regression));
        (double G, double T, double Att)[] published =
        [
            (2004, 2004, -0.0105), (2004, 2005, -0.0704), (2004, 2006, -0.1373), (2004, 2007, -0.1008),
            (2006, 2004, 0.0065), (2006, 2005, -0.0028), (2006, 2006, -0.0046), (2006, 2007, -0.0412),
            (2007, 2004, 0.0305), (2007, 2005, -0.0027), (2007, 2006, -0.0311), (2007, 2007, -0.0261),
        ];
        Assert.Equal(published.Length, r.AttGt.Length);
        foreach (var (g, t, att) in published)
            DidReference.Printed(att, r.AttGt.Single(c => c.Group == g && c.Time == t).Att, 4, $"ATT({g},{t})");
        DidReference.Printed(-0.0772, r.Dynamic.Overall.Estimate, 4, "dynamic overall");
        double[] byE = [0.0305, -0.0006, -0.0245, -0.0199, -0.0510, -0.1373, -0.1008];
        Assert.Equal([-3, -2, -1, 0, 1, 2, 3], r.Dynamic.Effects.Select(e => (int)e.Key));
        for (int i = 0; i < byE.Length; i++) DidReference.Printed(byE[i], r.Dynamic.Effects[i].Estimate, 4, $"e = {r.Dynamic.Effects[i].Key}");
        DidReference.Printed(-0.031, r.Group.Overall.Estimate, 3, "group overall");
        DidReference.Printed(-0.0797, r.Group.Effects[0].Estimate, 4, "group 2004");
        DidReference.Printed(-0.0229, r.Group.Effects[1].Estimate, 4, "group 2006");
        DidReference.Printed(-0.0261, r.Group.Effects[2].Estimate, 4, "group 2007");
        DidReference.Printed(0.16812, r.PreTest!.PValue, 5, "pre-test p");
    }

    /// <summary>The did vignette's doubly robust ATT(g,t) with xformla = ~lpop, to their printed digits.</summary>
    [Fact]
    public void ReproducesTheVignetteDoublyRobustNumbers()
    {
        var r = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", new CallawaySantAnnaOptions(Covariates: ["lpop"]));
        double[] published = [-0.0145, -0.0764, -0.1404, -0.1069, -0.0005, -0.0062, 0.0010, -0.0413, 0.0267, -0.0046, -0.0284, -0.0288];
        for (int i = 0; i < published.Length; i++) DidReference.Printed(published[i], r.AttGt[i].Att, 4, $"cell {i}");
    }

    [Fact]
    public void BootstrapIsSeededAndCloseToTheAnalyticalStandardErrors()
    {
        var o = new CallawaySantAnnaOptions(Method: DidMethod.Regression, BootstrapDraws: 999, Seed: 42);
        var a = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", o);
        var b = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", o);
        Assert.Equal(a.AttGt.Select(c => c.StdError), b.AttGt.Select(c => c.StdError));
        Assert.Equal(a.Dynamic.CriticalValue, b.Dynamic.CriticalValue);
        var an = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", o with { BootstrapDraws = 0 });
        for (int i = 0; i < a.AttGt.Length; i++)
            Assert.InRange(a.AttGt[i].StdError / an.AttGt[i].StdError, 0.85, 1.15);
        Assert.InRange(a.Dynamic.CriticalValue, 1.96, 3.5);
        Assert.All(a.Dynamic.Effects, e => Assert.True(e.BandLow <= e.CiLow && e.BandHigh >= e.CiHigh));
        var c = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", o with { Seed = 43 });
        Assert.NotEqual(a.AttGt[0].StdError, c.AttGt[0].StdError);
    }

    [Fact]
    public void UnbalancedPanelIsAnInputErrorNamingTheUnit()
    {
        var d = Mpdta.Value;
        var keep = Enumerable.Range(0, d.RowCount).Select(i => i != 7).ToArray();
        var ex = Assert.Throws<InputException>(() => CallawaySantAnna.Fit(d.Where(keep), "lemp", "countyreal", "year", "first.treat"));
        Assert.Contains("balanced", ex.Message);
        Assert.Contains("countyreal", ex.Message);
    }

    [Fact]
    public void CohortChangingWithinAUnitIsAnInputError()
    {
        var d = Mpdta.Value;
        var g = (double[])d.Numeric("first.treat").Clone();
        g[1] = 2006;
        var ex = Assert.Throws<InputException>(() => CallawaySantAnna.Fit(d.With("first.treat", g), "lemp", "countyreal", "year", "first.treat"));
        Assert.Contains("row 3", ex.Message);
    }

    [Fact]
    public void JsonHasTheDocumentedFields()
    {
        var r = CallawaySantAnna.Fit(Mpdta.Value, "lemp", "countyreal", "year", "first.treat", new CallawaySantAnnaOptions(Method: DidMethod.Regression));
        using var doc = System.Text.Json.JsonDocument.Parse(r.ToJson());
        var root = doc.RootElement;
        var cell = root.GetProperty("att_gt")[0];
        foreach (var f in new[] { "group", "time", "att", "std_error" }) Assert.True(cell.TryGetProperty(f, out _), f);
        var dyn = root.GetProperty("dynamic")[0];
        foreach (var f in new[] { "event_time", "estimate", "std_error", "ci_low", "ci_high" }) Assert.True(dyn.TryGetProperty(f, out _), f);
        Assert.Equal(r.Overall.Estimate, root.GetProperty("overall").GetProperty("estimate").GetDouble());
        Assert.True(root.GetProperty("overall").TryGetProperty("std_error", out _));
        Assert.Equal(r.PreTest!.PValue, root.GetProperty("pretest").GetProperty("p").GetDouble());
        Assert.True(root.GetProperty("pretest").TryGetProperty("statistic", out _));
    }
}
