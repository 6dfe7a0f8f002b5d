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
}
