using Xunit;
using Compendium.Econometrics;
using Compendium.Econometrics.Multiverse;

namespace Compendium.Tests.Multiverse;

/// <summary>The general machinery of a specification curve on made-up estimators (no data).</summary>
public sealed class SpecificationCurveTests
{
    private static readonly ChoiceSet Toy = ChoiceSet.Of(Choice.Of("a", ["a0", "a1", "a2"]), Choice.Of("b", ["b0", "b1"]), Choice.Of("c", ["c0", "c1"]));

    // estimate = 0.1·a + 0.01·b − 0.005 (c = c1 adds nothing); SE 0.02, so only a ≥ 1 is significant
    private static EffectEstimate ToyFit(Specification s)
    {
        double est = 0.1 * (s["a"][1] - '0') + 0.01 * (s["b"][1] - '0') - 0.005;
        return EffectEstimate.FromT(est, 0.02, double.PositiveInfinity, 100);
    }

    [Fact]
    public void EnumeratesInOdometerOrder()
    {
        var specs = Toy.Enumerate().ToList();
        Assert.Equal(12, Toy.Count);
        Assert.Equal(12, specs.Count);
        Assert.Equal("a=a0; b=b0; c=c0", specs[0].Key);
        Assert.Equal("a=a0; b=b0; c=c1", specs[1].Key);
        Assert.Equal("a=a2; b=b1; c=c1", specs[^1].Key);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), specs.Select(s => s.Index));
        Assert.Equal(specs[5], Specification.Of(("a", "a1"), ("b", "b0"), ("c", "c1")));
        Assert.Equal("a=a1; c=c1", specs[5].KeyWithout("b"));
    }

    [Fact]
    public void SummaryAndInfluenceFollowFromTheEstimates()
    {
        var curve = SpecificationCurve.Run(Toy, _ => null, ToyFit, "toy");
        var s = curve.Summary;
        Assert.Equal(12, s.Estimated);
        Assert.Equal(10.0 / 12, s.SharePositive, 12);          // a0 b0 (−0.005) negative; a0 b1 (0.005) positive
        Assert.Equal(8.0 / 12, s.SharePositiveSignificant, 12); // a1, a2
        Assert.Equal(0, s.ShareNegativeSignificant);
        var sorted = curve.Ranked.Select(o => o.Estimate!.Estimate).ToArray();
        Assert.Equal(sorted.Order(), sorted);
        Assert.Equal((sorted[5] + sorted[6]) / 2, s.Median, 15);
        var infl = curve.Influence();
        // a: pairs (a0,a1), (a0,a2), (a1,a2) in each of 4 groups, |Δ| 0.1, 0.2, 0.1 → mean 0.1333…
        Assert.Equal(12, infl[0].Pairs);
        Assert.Equal(0.4 / 3, infl[0].MeanAbsoluteShift, 12);
        Assert.Equal(0.01, infl[1].MeanAbsoluteShift, 12);
        Assert.Equal(0, infl[2].MeanAbsoluteShift, 12);
        Assert.Equal("a", curve.MostInfluential()!.Choice);
        Assert.Equal(0.2, infl[0].MedianRange, 12);
    }

    [Fact]
    public void UnavailableCombinationsAreSkippedAndInputErrorsCountedByReason()
    {
        var curve = SpecificationCurve.Run(Toy,
            s => s["a"] == "a2" && s["b"] == "b1" ? "a2 needs b0" : null,
            s => s["c"] == "c1" && s["a"] == "a0" ? throw new InputException("c1 is collinear with a0") : ToyFit(s), "toy");
        var s = curve.Summary;
        Assert.Equal(12, s.Specifications);
        Assert.Equal(new[] { ("a2 needs b0", 2) }, s.Skipped);
        Assert.Equal(new[] { ("c1 is collinear with a0", 2) }, s.Failed);
        Assert.Equal(8, s.Estimated);
        Assert.Contains("Skipped 2: a2 needs b0", curve.ToTable().Notes);
        Assert.Contains("\"skipped\": \"a2 needs b0\"", curve.ToJson());
    }

    [Fact]
    public void TheCurveIsTheSameOnOneAndTwoThreads()
    {
        var one = SpecificationCurve.Run(Toy, _ => null, ToyFit, "toy", new SpecificationCurveOptions(1));
        var two = SpecificationCurve.Run(Toy, _ => null, ToyFit, "toy", new SpecificationCurveOptions(2));
        Assert.Equal(one.ToJson(), two.ToJson());
    }

    [Fact]
    public void ChoicesFileErrorsNameTheFileAndTheChoice()
    {
        var set = ChoiceSet.FromJson("{\"a\": [\"x\", \"y\"], \"b\": \"z\"}", "c.json");
        Assert.Equal(2, set.Count);
        Assert.Equal(set.Count, ChoiceSet.FromJson(set.ToJson()).Count);
        Assert.Contains("c.json: not valid JSON", Assert.Throws<InputException>(() => ChoiceSet.FromJson("{", "c.json")).Message);
        Assert.Contains("c.json: choice 'a' has a non-string option (1)", Assert.Throws<InputException>(() => ChoiceSet.FromJson("{\"a\": [1]}", "c.json")).Message);
        Assert.Contains("c.json: choice 'a' lists option 'x' twice", Assert.Throws<InputException>(() => ChoiceSet.FromJson("{\"a\": [\"x\", \"x\"]}", "c.json")).Message);
        Assert.Contains("c.json: choice 'a' has no options", Assert.Throws<InputException>(() => ChoiceSet.FromJson("{\"a\": []}", "c.json")).Message);
        Assert.Contains("expected a JSON object", Assert.Throws<InputException>(() => ChoiceSet.FromJson("[]", "c.json")).Message);
    }
}
