using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Sensitivity;
using Compendium.Econometrics.Staggered;

namespace Compendium.Figures;

/// <summary>
/// Figures of the staggered-adoption notebook: several estimators' event-time paths on one axis with the
/// true path, the Goodman-Bacon scatter, and the HonestDiD sensitivity plot. Plain Plotly JSON (<see cref="Figure"/>).
/// </summary>
public static class StaggeredPlots
{
    private static readonly string[] Palette = ["rgb(31,119,180)", "rgb(255,127,14)", "rgb(44,160,44)", "rgb(148,103,189)", "rgb(140,86,75)", "rgb(23,190,207)"];
    private const string Red = "rgb(214,39,40)", Grey = "rgb(150,150,150)";

    /// <summary>
    /// Event-time paths of several estimators, side by side: each point with its 95% interval, the
    /// estimators offset horizontally so the bars do not overlap; the true path (when known) as a dashed line.
    /// </summary>
    /// <param name="paths">Name of each estimator and its path.</param>
    /// <param name="truth">The true effect by event time, or null.</param>
    /// <param name="yTitle">Title of the vertical axis.</param>
    public static Figure EventTimeComparison(IReadOnlyList<(string Name, IReadOnlyList<EventTimeEstimate> Path)> paths,
        IReadOnlyList<(double EventTime, double Effect)>? truth, string yTitle)
    {
        if (paths.Count == 0) throw new ArgumentException("no paths to draw", nameof(paths));
        var fig = Figure.Empty;
        double width = 0.6, step = paths.Count > 1 ? width / (paths.Count - 1) : 0;
        for (int i = 0; i < paths.Count; i++)
        {
            var (name, path) = paths[i];
            double shift = paths.Count > 1 ? -width / 2 + i * step : 0;
            string color = Palette[i % Palette.Length];
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name,
                x = path.Select(p => p.EventTime + shift).ToArray(), y = path.Select(p => p.Estimate).ToArray(),
                text = path.Select(p => p.IsReference ? p.Label + " (reference)" : p.Label).ToArray(),
                marker = new { color, size = 7, symbol = i switch { 0 => "circle", 1 => "square", 2 => "diamond", 3 => "triangle-up", _ => "x" } },
                error_y = new
                {
                    type = "data", symmetric = false, color, thickness = 1.2, width = 3,
                    array = path.Select(p => p.IsReference || double.IsNaN(p.CiHigh) ? 0.0 : p.CiHigh - p.Estimate).ToArray(),
                    arrayminus = path.Select(p => p.IsReference || double.IsNaN(p.CiLow) ? 0.0 : p.Estimate - p.CiLow).ToArray(),
                },
            });
        }
        if (truth is { Count: > 0 })
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "lines+markers", name = "True effect (simulator)",
                x = truth.Select(p => p.EventTime).ToArray(), y = PanelCharts.Gaps(truth.Select(p => p.Effect)),
                marker = new { color = Red, size = 6 }, line = new { dash = "dash", color = Red },
            });
        var ticks = paths.SelectMany(p => p.Path.Select(x => x.EventTime)).Distinct().Order().ToArray();
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = "Years relative to the policy year" }, tickmode = "array", tickvals = ticks, zeroline = false },
            yaxis = new { title = new { text = yTitle }, zeroline = true, zerolinecolor = "rgb(120,120,120)" },
            shapes = new[] { new { type = "line", xref = "x", yref = "paper", x0 = -0.5, x1 = -0.5, y0 = 0, y1 = 1, line = new { dash = "dot", color = Grey, width = 1 } } },
            legend = new { x = 0.01, y = 0.99 },
        });
    }

    /// <summary>The Goodman-Bacon scatter: each 2×2 comparison's estimate against its weight, by type, with the TWFE estimate as a line.</summary>
    public static Figure BaconScatter(BaconResult bacon, string yTitle)
    {
        var fig = Figure.Empty;
        int i = 0;
        foreach (var type in bacon.Components.Select(c => c.Type).Distinct().Order())
        {
            var cs = bacon.Components.Where(c => c.Type == type).ToList();
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name = BaconResult.TypeName(type),
                x = cs.Select(c => c.Weight).ToArray(), y = cs.Select(c => c.Estimate).ToArray(),
                text = cs.Select(c => $"treated {Label(c.Treated)} vs {Label(c.Comparison)}").ToArray(),
                marker = new { color = Palette[i % Palette.Length], size = 11, symbol = i switch { 0 => "circle", 1 => "square", 2 => "diamond", _ => "triangle-up" } },
            });
            i++;
        }
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = "Weight" }, rangemode = "tozero" },
            yaxis = new { title = new { text = yTitle }, zeroline = true, zerolinecolor = "rgb(120,120,120)" },
            shapes = new[] { new { type = "line", xref = "paper", yref = "y", x0 = 0, x1 = 1, y0 = bacon.TwfeEstimate, y1 = bacon.TwfeEstimate, line = new { dash = "dash", color = Grey, width = 1 } } },
            annotations = new[] { new { xref = "paper", yref = "y", x = 1, y = bacon.TwfeEstimate, text = "TWFE estimate", showarrow = false, xanchor = "right", yanchor = "bottom" } },
            legend = new { x = 0.35, y = 0.45, xanchor = "left", yanchor = "middle" },
        });
    }

    /// <summary>The HonestDiD sensitivity plot: the original interval and the robust set at each M̄ (or M), with zero marked.</summary>
    public static Figure Sensitivity(HonestDidResult r, string yTitle)
    {
        var labels = new List<string> { "Original" };
        labels.AddRange(r.Bounds.Select(b => b.M.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)));
        var lows = new List<double> { r.OriginalLower };
        lows.AddRange(r.Bounds.Select(b => b.Lower));
        var highs = new List<double> { r.OriginalUpper };
        highs.AddRange(r.Bounds.Select(b => b.Upper));
        var mids = lows.Zip(highs, (a, b) => (a + b) / 2).ToArray();
        var fig = Figure.Empty.AddTrace(new
        {
            type = "scatter", mode = "markers", name = "95% set",
            x = labels.ToArray(), y = mids,
            marker = new { color = Palette[0], size = 1 },
            error_y = new
            {
                type = "data", symmetric = false, color = Palette[0], thickness = 3, width = 8,
                array = highs.Zip(mids, (h, m) => h - m).ToArray(), arrayminus = mids.Zip(lows, (m, l) => m - l).ToArray(),
            },
            showlegend = false,
        });
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = r.MLabel }, type = "category" },
            yaxis = new { title = new { text = yTitle }, zeroline = true, zerolinecolor = Red, zerolinewidth = 1.5 },
        });
    }

    private static string Label(double g) => double.IsPositiveInfinity(g) ? "never treated" : StaggeredPanel.Fmt(g);
}
