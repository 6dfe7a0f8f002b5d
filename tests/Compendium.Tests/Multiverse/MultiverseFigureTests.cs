using System.Text.Json.Nodes;
using Xunit;
using Compendium.Econometrics.Multiverse;
using Compendium.Figures;

namespace Compendium.Tests.Multiverse;

public sealed class MultiverseFigureTests
{
    private static SpecificationCurveResult Curve(int options)
    {
        var set = ChoiceSet.Of(Choice.Of("a", Enumerable.Range(0, options).Select(i => "a" + i)), Choice.Of("b", ["b0", "b1"]));
        return SpecificationCurve.Run(set, _ => null, s =>
        {
            int a = int.Parse(s["a"][1..]), b = s["b"] == "b1" ? 1 : 0;
            return EffectEstimate.FromT(0.01 * a - 0.05 + 0.001 * b, 0.01, double.PositiveInfinity, 10);
        }, "toy");
    }

    [Fact]
    public void SmallCurvesDrawEverySpecificationAndTheIndicatorPanelMarksTheChoices()
    {
        var curve = Curve(5); // 10 specifications
        var fig = JsonNode.Parse(MultiverseFigures.SpecificationCurve(curve, truth: 0.0).ToJson())!;
        var traces = fig["data"]!.AsArray();
        var heat = traces.Single(t => t!["type"]!.GetValue<string>() == "heatmap")!;
        Assert.Equal(7, heat["y"]!.AsArray().Count);               // a0…a4, b0, b1
        Assert.Equal(10, heat["x"]!.AsArray().Count);              // one column per specification
        var z = heat["z"]!.AsArray();
        for (int c = 0; c < 10; c++) Assert.Equal(1.0, z.Take(5).Sum(r => r![c]!.GetValue<double>())); // exactly one a-option per column
        var points = traces.Where(t => t!["type"]!.GetValue<string>() == "scatter" && t["mode"]!.GetValue<string>() == "markers")
            .Sum(t => t!["x"]!.AsArray().Count);
        Assert.Equal(10, points);
        Assert.Contains(traces, t => t!["name"]?.GetValue<string>() == "Negative, p < 0.05");
    }

    [Fact]
    public void LargeCurvesArePooledIntoColumnsWithShares()
    {
        var curve = Curve(300); // 600 specifications, pooled into 200 columns of 3
        var fig = JsonNode.Parse(MultiverseFigures.SpecificationCurve(curve, columns: 200).ToJson())!;
        var heat = fig["data"]!.AsArray().Single(t => t!["type"]!.GetValue<string>() == "heatmap")!;
        Assert.Equal(200, heat["x"]!.AsArray().Count);
        var bRows = heat["z"]!.AsArray().Skip(300).ToArray();    // b0, b1: shares of each column
        for (int c = 0; c < 200; c++) Assert.Equal(1.0, bRows.Sum(r => r![c]!.GetValue<double>()), 5);
    }
}
