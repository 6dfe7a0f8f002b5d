using Xunit;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Multiverse;

namespace Compendium.Tests.Estimation;

/// <summary>
/// <see cref="DemeanedDesign.Select"/> (multiple estimation on one within transformation): every sub-model
/// equals its own <see cref="Feols"/> fit to the last bit, in the whole result (coefficients, variances, fit
/// statistics, sample, formula), and the cases where it could not are refused with the reason.
/// </summary>
public class MultipleEstimationTests
{
    private static ColumnTable Panel(bool withMissing = false, bool weights = false)
    {
        var rng = new Random(7);
        int units = 60, years = 8, n = units * years;
        double[] Col(Func<int, double> f) => Enumerable.Range(0, n).Select(f).ToArray();
        var unit = Col(i => i / years);
        var year = Col(i => 2010 + i % years);
        var region = Col(i => i / years % 5);
        var x1 = Col(_ => rng.NextDouble());
        var x2 = Col(_ => rng.NextDouble() + 1e7);   // an offset must not change the collinearity decision
        var treat = Col(i => i / years % 3 == 0 && i % years >= 4 ? 1 : 0);
        var y1 = Col(i => 0.3 * treat[i] + 0.5 * x1[i] + 0.1 * unit[i] + rng.NextDouble());
        var y2 = Col(i => -0.2 * treat[i] + x2[i] - 1e7 + 0.05 * year[i] + rng.NextDouble());
        if (withMissing) x1[5] = double.NaN;
        var cols = new List<KeyValuePair<string, double[]>>
        {
            new("unit", unit), new("year", year), new("region", region), new("treat", treat), new("x1", x1), new("x2", x2), new("y1", y1), new("y2", y2),
            new("w", Col(_ => 0.5 + rng.NextDouble())),
        };
        return ColumnTable.FromColumns(cols, "multiple-estimation panel");
    }

    [Theory]
    [InlineData("unit + year", false)]
    [InlineData("unit + region^year", false)]
    [InlineData("unit + year", true)]
    [InlineData("", false)]
    public void EverySubModelEqualsItsOwnFit(string fe, bool weighted)
    {
        var data = Panel();
        var options = weighted ? new FeolsOptions(Weights: "w") : null;
        string Formula(string y, string x) => fe.Length == 0 ? $"{y} ~ {x}" : $"{y} ~ {x} | {fe}";
        var wide = Feols.Prepare(data, Formula("y1", "treat + x1 + x2 + y2"), ["region"], options);
        Assert.True(wide.SupportsSelect);
        foreach (var y in new[] { "y1", "y2" })
            foreach (var x in new[] { "treat", "treat + x1", "treat + x2 + x1" })
                foreach (var vcov in new[] { Vcov.Iid, Vcov.Hetero, Vcov.Cluster("region") })
                {
                    var selected = wide.Select(Formula(y, x)).Fit(vcov);
                    var own = Feols.Fit(data, Formula(y, x), vcov, options);
                    Assert.Equal(own.ToJson(), selected.ToJson());
                }
    }

    /// <summary>The multiverse's shared TWFE equals TWFE, also where it must fall back: a text control, a column with a missing value, a column outside the grid.</summary>
    [Fact]
    public void SharedTwfeEqualsTwfeIncludingItsFallbacks()
    {
        foreach (var withMissing in new[] { false, true })
        {
            var data = Panel(withMissing).With("grp", Enumerable.Range(0, 480).Select(i => (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            var shared = DidEstimators.TwfeShared(["y1", "y2", "x1", "x2"]);   // grp and w are outside: fitted on their own
            foreach (var (y, controls) in new[] { ("y1", new[] { "x1" }), ("y2", new[] { "x1", "x2" }), ("y1", new[] { "grp" }), ("y2", new[] { "w" }), ("y1", Array.Empty<string>()) })
                foreach (var fe in new[] { "unit + year", "unit + region^year" })
                {
                    var d = new DidDesign(y, [.. controls], [.. fe.Split(" + ")], "region", "treat", "unit", "year", "cohort", "rel");
                    string Outcome(DidEstimator e)
                    {
                        try { var r = e.Fit(data, d); return FormattableString.Invariant($"{r.Estimate:R} {r.StdError:R} {r.Nobs}"); }
                        catch (InputException x) { return "error: " + x.Message; }   // the same error, from the specification's own fit
                    }
                    Assert.Equal(Outcome(DidEstimators.Twfe), Outcome(shared));
                }
        }
    }

    [Fact]
    public void RefusesWhatItCannotReproduceExactly()
    {
        var wide = Feols.Prepare(Panel(), "y1 ~ treat + x1 + x2 | unit + year");
        string Why(Action a) => Assert.Throws<InputException>(a).Message;
        Assert.Contains("fixed effects differ", Why(() => wide.Select("y1 ~ treat | unit")));
        Assert.Contains("'y3' is not a column of the design", Why(() => wide.Select("y3 ~ treat | unit + year")).Replace("its outcome ", ""));
        Assert.Contains("'w' is not a regressor", Why(() => wide.Select("y1 ~ treat + w | unit + year")));
        Assert.Contains("not a plain variable", Why(() => wide.Select("y1 ~ treat:x1 | unit + year")));
        var missing = Feols.Prepare(Panel(withMissing: true), "y1 ~ treat + x1 | unit + year");
        Assert.False(missing.SupportsSelect);
        Assert.Contains("dropped 1 rows for missing values", Why(() => missing.Select("y1 ~ treat | unit + year")));
        var iterative = Feols.Prepare(Panel(), "y1 ~ treat + x1 | unit + year", options: new FeolsOptions(IterativeDemeaning: true));
        Assert.Contains("solved iteratively", Why(() => iterative.Select("y1 ~ treat | unit + year")));
    }
}
