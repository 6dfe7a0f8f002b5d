using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Compendium.Figures;

/// <summary>Layouts for maps drawn from coordinates (Plotly geo; offline outlines, no tile server).</summary>
public static class Maps
{
    /// <summary>
    /// Frame a geo figure on China: Asia outlines (Natural Earth 1:110m), Mercator projection,
    /// longitudes 73–135° E and latitudes 17–54° N, country borders shown.
    /// </summary>
    public static Figure China(Figure figure) => figure.WithLayout(new
    {
        geo = new
        {
            scope = "asia",
            resolution = 110,
            projection = new { type = "mercator" },
            lonaxis = new { range = new[] { 73.0, 135.0 } },
            lataxis = new { range = new[] { 17.0, 54.0 } },
            showcountries = true,
            countrycolor = "rgb(150,150,150)",
            showland = true,
            landcolor = "rgb(243,243,240)",
        },
    });

    /// <inheritdoc cref="China(Figure)"/>
    public static GenericChart China(GenericChart chart)
    {
        var geo = new Geo();
        geo.SetProperty("scope", "asia");
        geo.SetProperty("resolution", 110);
        geo.SetProperty("projection", new Dictionary<string, object> { ["type"] = "mercator" });
        geo.SetProperty("lonaxis", new Dictionary<string, object> { ["range"] = new[] { 73.0, 135.0 } });
        geo.SetProperty("lataxis", new Dictionary<string, object> { ["range"] = new[] { 17.0, 54.0 } });
        geo.SetProperty("showcountries", true);
        geo.SetProperty("countrycolor", "rgb(150,150,150)");
        geo.SetProperty("showland", true);
        geo.SetProperty("landcolor", "rgb(243,243,240)");
        return Chart.withGeo(geo, null).Invoke(chart);
    }
}
