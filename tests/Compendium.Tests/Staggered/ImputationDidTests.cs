using Compendium.Econometrics.Staggered;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>The imputation estimator against bjs_reference.R (formula + fixest pre-trend regression) at 1e-6 relative.</summary>
public class ImputationDidTests
{
    private static readonly DidReference Ref = DidReference.Load("bjs_reference.csv");

    [Theory]
    [InlineData("mpdta")]
    [InlineData("panel")]
    public void MatchesTheFormulaReference(string name)
    {
        var r = name == "mpdta"
            ? ImputationDid.Fit(DidReference.Data("mpdta.csv"), "lemp", "countyreal", "year", "first.treat")
            : ImputationDid.Fit(DidReference.Data("data/synthetic/panel.csv"), "resilience", "city_code", "year", "policy_year");
        foreach (var (term, value) in Ref.All(name, "estimate"))
        {
            var c = r[term == "overall" ? "ATT" : "event_time::" + term];
            DidReference.Close(value, c.Estimate, floor: 1e-4, what: $"{name} {term}");
            DidReference.Close(Ref[name, "std_error", term], c.StdError, what: $"{name} se {term}");
            Assert.Equal(Ref[name, "n_treated", term], r.TreatedCounts[r.Coefficients.IndexOf(c)]);
        }
        Assert.Equal(Ref.All(name, "estimate").Count(), r.Coefficients.Length);
        Assert.Equal(Ref[name, "nobs_untreated", ""], r.UntreatedObservations);
        foreach (var (term, value) in Ref.All(name, "pretrend_estimate"))
        {
            var k = int.Parse(term["lead".Length..]);
            var c = r.PreTrendRegression!["lead::" + (-k)];
            DidReference.Close(value, c.Estimate, floor: 1e-4, what: $"lead {k}");
            DidReference.Close(Ref[name, "pretrend_std_error", term], c.StdError, what: $"lead {k} se");
        }
        DidReference.Close(Ref[name, "pretrend_wald", "stat"], r.PreTrend!.Statistic, what: "wald");
        DidReference.Close(Ref[name, "pretrend_wald", "p"], r.PreTrend.PValue, what: "wald p");
        Assert.Equal(Ref[name, "pretrend_wald", "df2"], r.PreTrend.Df2);
    }
}
