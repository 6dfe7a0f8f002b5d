using System.Globalization;
using Compendium.Econometrics.Spatial;

namespace Compendium.Figures;

/// <summary>
/// Figures of spatial analysis as plain Plotly JSON (<see cref="Figure"/>): the Moran scatter plot, the map
/// of local Moran (LISA) clusters, and profile log-likelihoods of the spatial parameter.
/// </summary>
public static class SpatialCharts
{
    private static readonly (MoranQuadrant Q, string Name, string Colour)[] Clusters =
    [
        (MoranQuadrant.HighHigh, "High-High", "#d7191c"),
        (MoranQuadrant.LowLow, "Low-Low", "#2c7bb6"),
        (MoranQuadrant.LowHigh, "Low-High", "#abd9e9"),
        (MoranQuadrant.HighLow, "High-Low", "#fdae61"),
        (MoranQuadrant.NotSignificant, "Not significant", "rgb(200,200,200)"),
    ];

    /// <summary>
    /// The Moran scatter plot of <paramref name="x"/> (one value per unit of <paramref name="w"/>, in W's order):
    /// the standardised value z_i against its spatial lag (Wz)_i, points coloured by quadrant, and the line
    /// through the origin with slope Moran's I (for a row-standardised W the least-squares slope of Wz on z).
    /// </summary>
    public static Figure MoranScatter(IReadOnlyList<double> x, SpatialWeights w, MoranTest test, string variable, IReadOnlyList<string>? names = null)
    {
        int n = w.Count;
        if (x.Count != n) throw new ArgumentException($"{x.Count} values for {n} units");
        double mean = x.Average(), sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / n);
        var z = x.Select(v => (v - mean) / sd).ToArray();
        var lz = w.Lag(z);
        var fig = Figure.Empty;
        foreach (var (q, name, colour) in Clusters.Where(c => c.Q != MoranQuadrant.NotSignificant))
        {
            var idx = Enumerable.Range(0, n).Where(i => Quadrant(z[i], lz[i]) == q).ToArray();
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name,
                x = idx.Select(i => z[i]).ToArray(), y = idx.Select(i => lz[i]).ToArray(),
                text = names is null ? null : idx.Select(i => names[i]).ToArray(),
                marker = new { color = colour, size = 6, line = new { width = 0.5, color = "rgb(90,90,90)" } },
            });
        }
        double lo = Math.Min(z.Min(), -1), hi = Math.Max(z.Max(), 1);
        fig = fig.AddTrace(new
        {
            type = "scatter", mode = "lines", name = string.Create(CultureInfo.InvariantCulture, $"slope = Moran's I = {test.I:0.000}"),
            x = new[] { lo, hi }, y = new[] { test.I * lo, test.I * hi }, line = new { color = "black", width = 1.5 },
        });
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = $"{variable} (standardised)" }, zeroline = true },
            yaxis = new { title = new { text = $"spatial lag W·{variable} (standardised)" }, zeroline = true },
            legend = new { orientation = "h", x = 0, y = 1.02, yanchor = "bottom" },
        });
    }

    /// <summary>
    /// Local Moran clusters on a map: each unit at its coordinates, coloured by its LISA cluster at level
    /// <paramref name="alpha"/> (High-High, Low-Low, Low-High, High-Low, not significant). Frame it with
    /// <see cref="Maps.China(Figure)"/> or another geo layout.
    /// </summary>
    public static Figure LisaMap(IReadOnlyList<LocalMoran> local, IReadOnlyList<double> latitude, IReadOnlyList<double> longitude,
        IReadOnlyList<string>? names = null, double alpha = 0.05)
    {
        var fig = Figure.Empty;
        foreach (var (q, name, colour) in Clusters)
        {
            var idx = Enumerable.Range(0, local.Count).Where(i => local[i].Cluster(alpha) == q).ToArray();
            fig = fig.AddTrace(new
            {
                type = "scattergeo", mode = "markers", name = $"{name} ({idx.Length})",
                lon = idx.Select(i => longitude[i]).ToArray(), lat = idx.Select(i => latitude[i]).ToArray(),
                text = names is null ? null : idx.Select(i => names[i]).ToArray(),
                marker = new { color = colour, size = q == MoranQuadrant.NotSignificant ? 5 : 8, line = new { width = 0.5, color = "rgb(90,90,90)" } },
            });
        }
        return fig;
    }

    /// <summary>
    /// Profile log-likelihoods ℓ(ρ) − max ℓ, one line per series, to show how sharply the data identify ρ (a
    /// curve still rising at the edge of the admissible interval means they do not).
    /// </summary>
    /// <param name="series">(label, points) per curve.</param>
    /// <param name="floor">Lowest value of the y axis (curves fall steeply away from their maximum; the shape near it is what matters).</param>
    public static Figure ProfileLikelihood(IEnumerable<(string Label, IReadOnlyList<(double Rho, double LogLikelihood)> Points)> series, double floor = -60)
    {
        var fig = Figure.Empty;
        foreach (var (label, pts) in series)
        {
            double max = pts.Max(p => p.LogLikelihood);
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "lines", name = label,
                x = pts.Select(p => p.Rho).ToArray(), y = pts.Select(p => p.LogLikelihood - max).ToArray(),
            });
        }
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = "ρ" } },
            yaxis = new { title = new { text = "profile log-likelihood − its maximum on the grid" }, range = new[] { floor, 3.0 } },
            legend = new { orientation = "h", x = 0, y = 1.02, yanchor = "bottom" },
        });
    }

    private static MoranQuadrant Quadrant(double z, double lz) => (z > 0, lz > 0) switch
    {
        (false, false) => MoranQuadrant.LowLow,
        (true, false) => MoranQuadrant.HighLow,
        (false, true) => MoranQuadrant.LowHigh,
        _ => MoranQuadrant.HighHigh,
    };
}
