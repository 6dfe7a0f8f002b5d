using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Compendium.Figures;

/// <summary>Layouts for maps drawn from coordinates (Plotly geo; offline outlines, no tile server).</summary>
public static class Maps
{
    /// <summary>The land colour of the region drawn by <see cref="China(Figure)"/>.</summary>
    public const string LandColour = "rgb(243,243,240)";

    /// <summary>
    /// Draw a geo figure on China: the country drawn whole from Natural Earth 1:110m outlines (China and
    /// Taiwan as Natural Earth codes them, CHN and TWN, filled alike, grey boundary), nothing else,
    /// no frame, Mercator projection over longitudes 72–136° E and latitudes 16–55° N, which contain
    /// the whole outline, so no boundary is cut at the edge of the picture. The outline is a
    /// choropleth trace put first (under the figure's own traces) and kept out of the legend.
    /// </summary>
    public static Figure China(Figure figure) => figure.AddTraceFirst(new
    {
        type = "choropleth",
        locationmode = "ISO-3",
        locations = new[] { "CHN", "TWN" },
        z = new[] { 1, 1 },
        colorscale = new object[] { new object[] { 0, LandColour }, new object[] { 1, LandColour } },
        showscale = false,
        showlegend = false,
        hoverinfo = "skip",
        marker = new { line = new { color = "rgb(150,150,150)", width = 0.8 } },
    }).WithLayout(new
    {
        geo = new
        {
            scope = "asia",
            resolution = 110,
            projection = new { type = "mercator" },
            lonaxis = new { range = new[] { 72.0, 136.0 } },
            lataxis = new { range = new[] { 16.0, 55.0 } },
            showland = false,
            showcountries = false,
            showcoastlines = false,
            showocean = false,
            showlakes = false,
            showframe = false,
            bgcolor = "rgba(0,0,0,0)",
        },
    });
}
