using System.Globalization;
using Xunit;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Multiverse;
using Compendium.Econometrics.Staggered;
using Compendium.Index;
using Compendium.Multiverse;
using Compendium.Tests.Estimation;

namespace Compendium.Tests.Multiverse;

/// <summary>
/// The specification curve against R (tests/reference/multiverse, fixest 0.12.2) and against a direct
/// <see cref="Feols"/> fit of the same choices built by hand. All numbers are from the synthetic panel.
/// </summary>
public sealed class MultiverseReferenceTests
{
    internal static readonly Lazy<StudyFacts> Facts = new(() => StudyFacts.Load(Path.Combine(ReferenceValues.RepoRoot, "data")));
    internal static readonly Lazy<ColumnTable> Panel = new(() =>
        PanelLoader.Load(Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")).Table);
    private static readonly Lazy<StudyMultiverse> Mv = new(() => new StudyMultiverse(Panel.Value, Facts.Value));

    private static ColumnTable Reference(string file) =>
        ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "multiverse", file));

    private static void Close(double expected, double actual, double rel = 1e-6, string what = "")
    {
        double tol = rel * Math.Max(1e-12, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void IndexVariantsMatchR()
    {
        var w = Reference("index_weights.csv");
        var inds = ResilienceIndicators.All;
        var pooled = EntropyIndex.Fit(Panel.Value).Pooled.Weights;
        var z = inds.Select((d, j) => Panel.Value.Numeric(d.Name).Select(pooled[j].Normalise).ToArray()).ToArray();
        var pca = CompositeIndex.FirstComponentWeights(z);
        for (int j = 0; j < inds.Length; j++)
        {
            Assert.Equal(inds[j].Name, w.Text("indicator")[j]);
            Close(w.Numeric("pca")[j], pca[j], what: "pca weight " + inds[j].Name);
        }
        Close(1.0, pca.Sum(), 1e-12, "weights sum");
        var v = Reference("index_values.csv");
        foreach (var (method, name) in CompositeIndex.Names)
        {
            var computed = method == IndexMethod.PooledEntropy ? Panel.Value.Numeric("resilience") : CompositeIndex.Compute(Panel.Value, method);
            for (int i = 0; i < v.RowCount; i++) Close(v.Numeric(name)[i], computed[i], what: $"{name} row {i + 1}");
        }
    }

    [Fact]
    public void SpecificationsMatchFixest()
    {
        var r = Reference("specs.csv");
        string[] choices = [StudyChoices.Controls, StudyChoices.Timing, StudyChoices.Sample, StudyChoices.Index, StudyChoices.FixedEffects, StudyChoices.Cluster];
        for (int i = 0; i < r.RowCount; i++)
        {
            var spec = Specification.Of([.. choices.Select(c => (c, r.Text(c)[i]!)), (StudyChoices.Estimator, "twfe")]);
            var e = Mv.Value.Fit(spec);
            Close(r.Numeric("estimate")[i], e.Estimate, what: $"{spec} estimate");
            Close(r.Numeric("std_error")[i], e.StdError, what: $"{spec} SE");
            Close(r.Numeric("ci_low")[i], e.CiLow, what: $"{spec} CI low");
            Close(r.Numeric("ci_high")[i], e.CiHigh, what: $"{spec} CI high");
            Close(r.Numeric("p")[i], e.P, 1e-5, what: $"{spec} p");
            Assert.Equal((int)r.Numeric("nobs")[i], e.Nobs);
        }
    }

    /// <summary>
    /// Every specification of a 64-specification curve (run on two threads) equals a Feols fit of the same
    /// choices assembled by hand: the index computed from the indicators, the treatment recoded from the
    /// calendar, the sample filtered from the city facts, the formula and clustering written out.
    /// </summary>
    [Fact]
    public void EverySpecificationOfACurveEqualsADirectFeolsFit()
    {
        var choices = StudyChoices.Parse("none,study", "default,alternative", "all,no_capitals", "entropy_pooled,pca",
            "city+year,city+province_year", "city,province", "twfe");
        var curve = Mv.Value.Run(choices, new SpecificationCurveOptions(Threads: 2));
        Assert.Equal(64, curve.Outcomes.Length);
        var pcaIndex = CompositeIndex.Compute(Panel.Value, IndexMethod.FirstPrincipalComponent);
        foreach (var o in curve.Outcomes)
        {
            var s = o.Specification;
            var data = Panel.Value.With("y_pca", pcaIndex);
            data = TreatmentTiming.Recode(data, Facts.Value, s["timing"] == "default" ? TimingCoding.Default : TimingCoding.Alternative);
            if (s["sample"] == "no_capitals")
                data = data.Where(data.Numeric("city_code").Select(c => Facts.Value.City((int)c) is var city && !city.ProvincialCapital && !city.SubProvincial).ToArray());
            var y = s["index"] == "pca" ? "y_pca" : "resilience";
            var x = s["controls"] == "none" ? "treat" : "treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage";
            var fe = s["fixed_effects"] == "city+year" ? "city_code + year" : "city_code + province^year";
            var direct = Feols.Fit(data, $"{y} ~ {x} | {fe}", Vcov.Cluster(s["cluster"] == "city" ? "city_code" : "province"))["treat"];
            var e = o.Estimate!;
            Assert.True(e.Estimate == direct.Estimate && e.StdError == direct.StdError && e.CiLow == direct.CiLow && e.CiHigh == direct.CiHigh && e.P == direct.P,
                $"{s}: curve {e.Estimate:R} ± {e.StdError:R}, direct {direct.Estimate:R} ± {direct.StdError:R}");
        }
    }

    /// <summary>
    /// The staggered-adoption estimators join the curve through their adapters: a specification's estimate is
    /// the estimator's own ATT on the prepared data, and the combinations they cannot fit are skipped with the reason.
    /// </summary>
    [Fact]
    public void StaggeredEstimatorsAreTheirOwnFitsAndSkipWhatTheyCannotFit()
    {
        var choices = StudyChoices.Parse("none,fdi", "alternative", "no_2020_2022", "equal_weights", "city+year,city+province_year", "city", "cs,sa,bjs");
        var curve = Mv.Value.Run(choices, new SpecificationCurveOptions(Threads: 2));
        var data = TreatmentTiming.Recode(Panel.Value.With("y", CompositeIndex.Compute(Panel.Value, IndexMethod.EqualWeights)), Facts.Value, TimingCoding.Alternative);
        data = data.Where(data.Numeric("year").Select(y => y < 2020 || y > 2022).ToArray());
        foreach (var o in curve.Outcomes.Where(o => o.Estimate is not null))
        {
            var s = o.Specification;
            var covs = s["controls"] == "none" ? System.Collections.Immutable.ImmutableArray<string>.Empty : ["fdi"];
            Coefficient direct = s["estimator"] switch
            {
                "cs" => CallawaySantAnna.Fit(data, "y", "city_code", "year", "policy_year", new CallawaySantAnnaOptions(Covariates: covs))["ATT"],
                "sa" => SunAbraham.Fit(data, "y", "city_code", "year", "policy_year", new SunAbrahamOptions(Covariates: covs))["ATT"],
                _ => ImputationDid.Fit(data, "y", "city_code", "year", "policy_year")["ATT"],
            };
            Assert.True(o.Estimate!.Estimate == direct.Estimate && o.Estimate.StdError == direct.StdError && o.Estimate.P == direct.P, $"{s}");
        }
        var summary = curve.Summary;
        Assert.Equal(12, summary.Specifications);
        Assert.Equal(5, summary.Estimated); // cs, sa with and without fdi; bjs without controls
        Assert.Contains(("bjs: takes no controls (the library's imputation estimator has no covariates)", 1), summary.Skipped);
        Assert.Contains(("cs: absorbs unit and period effects only (no other fixed effects)", 2), summary.Skipped);
    }

    [Fact]
    public void TheDefaultMultiverseCrossesEveryChoice()
    {
        var set = StudyChoices.Default(["twfe"]);
        Assert.Equal(32L * 2 * 4 * 4 * 2 * 2, set.Count);
        Assert.Equal(32, set[StudyChoices.Controls].Options.Length);
        Assert.Equal("none", set[StudyChoices.Controls].Options[0]);
        Assert.Equal("econ_density+infrastructure+gov_intervention+fdi+avg_wage", set[StudyChoices.Controls].Options[^1]);
    }

    [Fact]
    public void ChoicesAreCheckedAndControlSetsWrittenCanonically()
    {
        var set = StudyChoices.Parse("fdi+econ_density, study", "", "", "", "", "", "");
        Assert.Equal(new[] { "econ_density+fdi", "econ_density+infrastructure+gov_intervention+fdi+avg_wage" }, set[StudyChoices.Controls].Options);
        var e = Assert.Throws<Econometrics.InputException>(() => StudyChoices.Parse("", "", "everything", "", "", "", ""));
        Assert.Contains("choice 'sample' has no option 'everything'", e.Message);
        Assert.Contains("no_municipalities", e.Message);
        var u = Assert.Throws<Econometrics.InputException>(() => Mv.Value.Run(StudyChoices.Parse("none", "", "", "", "", "", "magic")));
        Assert.Contains("estimator 'magic' is not available", u.Message);
        Assert.Contains("twfe", u.Message);
        var c = Assert.Throws<Econometrics.InputException>(() => StudyChoices.Parse("fdi+gdp", "", "", "", "", "", ""));
        Assert.Contains("gdp", c.Message);
    }
}
