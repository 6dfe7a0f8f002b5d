using System.Text.Json.Nodes;
using Xunit;
using Compendium.Figures;

namespace Compendium.Tests.Figures;

public sealed class FigureTests
{
    private static Plotly.NET.GenericChart Line() =>
        Plotly.NET.CSharp.Chart.Line<int, double, string>(new[] { 1, 2, 3 }, new[] { 1.5, 2.5, 0.5 }, Name: "series");

    [Fact]
    public void FigureJsonIsCanonicalAndDeterministic()
    {
        var a = FigureExport.ToJson(Line());
        Assert.Equal(a, FigureExport.ToJson(Line()));
        var fig = JsonNode.Parse(a)!.AsObject();
        Assert.Equal(["data", "frames", "layout"], fig.Select(kv => kv.Key));
        Assert.Equal("scatter", fig["data"]![0]!["type"]!.GetValue<string>());
        Assert.EndsWith("}\n", a);
    }

    [Fact]
    public void FootnoteIsAddedAsAnAnnotation()
    {
        var json = FigureExport.WithFootnote(FigureExport.ToJson(Line()), "Synthetic data");
        var ann = JsonNode.Parse(json)!["layout"]!["annotations"]!.AsArray();
        Assert.Equal("Synthetic data", ann.Single()!["text"]!.GetValue<string>());
    }

    [Fact]
    public void OfflineAssetsAreBundled()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", PlotlyAssets.PlotlyJsVersion);
        Assert.True(PlotlyAssets.PlotlyJs.Length > 1_000_000);
        Assert.Contains("window.PlotlyGeoAssets.topojson[\"asia_110m\"]", PlotlyAssets.GeoAssetsJs);
        var html = FigureExport.ToStandaloneHtml(FigureExport.ToJson(Line()), "t");
        Assert.DoesNotContain("cdn.plot.ly/plotly", html);
        Assert.Contains("Plotly.newPlot('figure'", html);
    }

    [Fact]
    public void SvgIdsAreRenumberedInOrderOfAppearance()
    {
        var svg = "<svg><defs id=\"defs-3f9a1c\"><clipPath id=\"clip3f9a1cxyplot\"/></defs><g clip-path=\"url('#clip3f9a1cxyplot')\"/></svg>";
        Assert.Equal("<svg><defs id=\"id0\"><clipPath id=\"id1\"/></defs><g clip-path=\"url('#id1')\"/></svg>", ImageRenderer.NormaliseSvg(svg));
    }

    [Fact]
    public async Task ImagesAreStableWhenChromiumIsInstalled()
    {
        if (!ImageRenderer.IsAvailable) return; // nothing to render with; the reproduction then skips images
        var json = FigureExport.ToJson(Line());
        var (svg1, png1) = await ImageRenderer.RenderAsync(json, 400, 300);
        var (svg2, png2) = await ImageRenderer.RenderAsync(json, 400, 300);
        Assert.StartsWith("<svg", svg1);
        Assert.Equal(svg1, svg2);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png1[..4]);
        Assert.Equal(png1, png2);
    }
}

public sealed class FigureBuilderTests
{
    [Fact]
    public void TracesAndLayoutAreWrittenWithPlotlyNames()
    {
        var f = Compendium.Figures.Figure.Empty
            .AddTrace(new { type = "scatter", x = new[] { 1, 2 }, y = new[] { 0.5, 1.5 }, name = (string?)null })
            .WithLayout(new { xaxis = new { title = new { text = "year" } } })
            .WithLayout(new { xaxis = new { range = new[] { 0, 3 } } });
        var json = JsonNode.Parse(f.ToJson())!;
        Assert.Equal("scatter", json["data"]![0]!["type"]!.GetValue<string>());
        Assert.Null(json["data"]![0]!["name"]); // null attributes are left out
        Assert.Equal("year", json["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>()); // merged, not replaced
        Assert.Equal(3, json["layout"]!["xaxis"]!["range"]![1]!.GetValue<int>());
    }

    [Fact]
    public void FiguresAreImmutable()
    {
        var a = Compendium.Figures.Figure.Empty;
        var b = a.AddTrace(new { type = "bar" });
        Assert.Empty(JsonNode.Parse(a.ToJson())!["data"]!.AsArray());
        Assert.Single(JsonNode.Parse(b.ToJson())!["data"]!.AsArray());
    }

    [Fact]
    public void ChinaMapFramesChina()
    {
        var json = JsonNode.Parse(Maps.China(Compendium.Figures.Figure.Empty).ToJson())!;
        Assert.Equal("asia", json["layout"]!["geo"]!["scope"]!.GetValue<string>());
        Assert.Equal(73.0, json["layout"]!["geo"]!["lonaxis"]!["range"]![0]!.GetValue<double>());
    }
}
