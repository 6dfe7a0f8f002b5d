using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Staggered;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>Sun &amp; Abraham against R fixest 0.12.2's <c>sunab()</c> (sa_reference.R) at 1e-6 relative.</summary>
public class SunAbrahamTests
{
    private static readonly DidReference Ref = DidReference.Load("sa_reference.csv");

    private static SunAbrahamResult FitCase(string name) => name switch
    {
        "mpdta_never" => SunAbraham.Fit(DidReference.Data("mpdta.csv"), "lemp", "countyreal", "year", "first.treat"),
        "mpdta_last" => SunAbraham.Fit(DidReference.Data("mpdta.csv"), "lemp", "countyreal", "year", "first.treat", new(SunAbrahamControl.LastTreated)),
        _ => SunAbraham.Fit(DidReference.Data("data/synthetic/panel.csv"), "resilience", "city_code", "year", "policy_year"),
    };

    [Theory]
    [InlineData("mpdta_never")]
    [InlineData("mpdta_last")]
    [InlineData("panel_never")]
    public void MatchesFixestSunab(string name)
    {
        var r = FitCase(name);
        var terms = Ref.All(name, "estimate").Select(t => t.Term).ToList();
        Assert.Equal(terms.Count, r.Path.Count(p => !p.IsReference));
        foreach (var term in terms)
        {
            var c = r["event_time::" + term];
            DidReference.Close(Ref[name, "estimate", term], c.Estimate, floor: 1e-4, what: $"{name} {term}");
            DidReference.Close(Ref[name, "std_error", term], c.StdError, what: $"{name} se {term}");
            DidReference.Close(Ref[name, "p", term], c.P, floor: 1e-12, what: $"{name} p {term}");
            foreach (var t2 in terms)
            {
                int i = r.Coefficients.IndexOf(c), j = r.Coefficients.IndexOf(r["event_time::" + t2]);
                DidReference.Close(Ref[name, "vcov", term + ":" + t2], r.Variance.Matrix[i * r.Coefficients.Length + j], floor: 1e-8, what: $"vcov {term},{t2}");
            }
        }
        foreach (var (term, value) in Ref.All(name, "interaction_estimate"))
        {
            var parts = term.Split(':');
            var cell = r.Interactions.Single(x => StaggeredPanel.Fmt(x.Cohort) == parts[0] && x.RelativePeriod == int.Parse(parts[1], CultureInfo.InvariantCulture));
            DidReference.Close(value, cell.Estimate, floor: 1e-4, what: $"interaction {term}");
            DidReference.Close(Ref[name, "interaction_std_error", term], cell.StdError, what: $"interaction se {term}");
            Assert.Equal(Ref[name, "interaction_nobs", term], cell.Observations);
        }
        Assert.Equal(Ref.All(name, "interaction_estimate").Count(), r.Interactions.Length);
        DidReference.Close(Ref[name, "att", "estimate"], r.Att.Estimate, what: "ATT");
        DidReference.Close(Ref[name, "att", "std_error"], r.Att.StdError, what: "ATT se");
        Assert.Equal(Ref[name, "sample", "nobs"], r.Nobs);
        Assert.Equal((int)Ref[name, "sample", "clusters"], r.Clusters!.Value);
    }

    [Fact]
    public void PostPeriodPathEqualsCallawaySantAnnaWithNeverTreatedControls()
    {
        var d = DidReference.Data("mpdta.csv");
        var sa = SunAbraham.Fit(d, "lemp", "countyreal", "year", "first.treat");
        var cs = CallawaySantAnna.Fit(d, "lemp", "countyreal", "year", "first.treat", new CallawaySantAnnaOptions(Method: DidMethod.Regression));
        foreach (var e in cs.Dynamic.Effects.Where(e => e.Key >= 0))
            DidReference.Close(e.Estimate, sa["event_time::" + e.Label].Estimate, 1e-9, what: $"e = {e.Label}");
        DidReference.Close(cs.Overall.Estimate, sa.Att.Estimate, 1e-9, what: "ATT");
    }

    [Fact]
    public void LastTreatedNeedsTwoCohorts()
    {
        var d = DidReference.Data("mpdta.csv");
        var g = d.Numeric("first.treat").Select(v => v == 0 ? 0 : 2006.0).ToArray();
        var ex = Assert.Throws<InputException>(() => SunAbraham.Fit(d.With("g1", g), "lemp", "countyreal", "year", "g1", new(SunAbrahamControl.LastTreated)));
        Assert.Contains("one treated cohort", ex.Message);
    }
}
