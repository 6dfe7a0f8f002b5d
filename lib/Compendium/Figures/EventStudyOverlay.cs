using Compendium.Econometrics.Estimation;

namespace Compendium.Figures;

/// <summary>One event-study path of an overlay, with its true profile when known.</summary>
/// <param name="Name">Legend entry (the outcome).</param>
/// <param name="Path">The event-time path (<see cref="EventStudyResult.Path"/>).</param>
/// <param name="Truth">True effect at each point of the path (e.g. <c>TruthFile.EventTimeProfile</c>), or null.</param>
public sealed record EventPathSeries(string Name, IReadOnlyList<EventTimeEstimate> Path, IReadOnlyList<(double EventTime, double Effect)>? Truth);

/// <summary>
/// Several event studies on one axis, for comparing their timing: each path (estimates and 95% intervals)
/// is divided by its own average post-policy estimate (event times k ≥ 0), so outcomes in different units
/// share a scale on which 1 is the outcome's average effect after the policy; a true profile is divided
/// by its own post-policy average. The scaling ignores the uncertainty of the divisor: read it for timing, not for inference.
/// </summary>
public static class EventStudyOverlay
{
    /// <summary>The mean of the estimates at event times k ≥ 0 (the divisor of <see cref="Normalised"/>).</summary>
    public static double PostMean(IReadOnlyList<EventTimeEstimate> path)
    {
        var post = path.Where(p => p.EventTime >= 0 && !p.IsReference).Select(p => p.Estimate).ToList();
        return post.Count == 0 ? double.NaN : post.Average();
    }

    /// <summary>The overlay; series are offset slightly along the event-time axis so their intervals do not hide each other.</summary>
    public static Figure Normalised(IReadOnlyList<EventPathSeries> series, string yTitle)
    {
        if (series.Count == 0) throw new ArgumentException("no series", nameof(series));
        string[] colours = ["rgb(31,119,180)", "rgb(44,160,44)", "rgb(255,127,14)", "rgb(148,103,189)", "rgb(140,86,75)"];
        var fig = Figure.Empty;
        for (int s = 0; s < series.Count; s++)
        {
            var (name, path, truth) = (series[s].Name, series[s].Path, series[s].Truth);
            double scale = PostMean(path), offset = (s - (series.Count - 1) / 2.0) * 0.12;
            string colour = colours[s % colours.Length];
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name = name + " (estimate, 95% CI)",
                x = path.Select(p => p.EventTime + offset).ToArray(), y = path.Select(p => p.Estimate / scale).ToArray(),
                marker = new { color = colour, size = 7 },
                error_y = new
                {
                    type = "data", symmetric = false, color = colour, thickness = 1.2, width = 3,
                    array = path.Select(p => p.IsReference ? 0.0 : (p.CiHigh - p.Estimate) / scale).ToArray(),
                    arrayminus = path.Select(p => p.IsReference ? 0.0 : (p.Estimate - p.CiLow) / scale).ToArray(),
                },
            });
            if (truth is { Count: > 0 })
            {
                var post = truth.Where(t => t.EventTime >= 0 && double.IsFinite(t.Effect)).Select(t => t.Effect).ToList();
                double trueScale = post.Count == 0 ? double.NaN : post.Average();
                fig = fig.AddTrace(new
                {
                    type = "scatter", mode = "lines", name = name + " (true, simulator)",
                    x = truth.Select(t => t.EventTime).ToArray(), y = PanelCharts.Gaps(truth.Select(t => t.Effect / trueScale)),
                    line = new { dash = "dash", color = colour, width = 1.5 },
                });
            }
        }
        var ticks = series.SelectMany(s => s.Path).GroupBy(p => p.EventTime).OrderBy(g => g.Key).Select(g => g.First()).ToList();
        double onset = series[0].Path.Where(p => p.IsReference).Select(p => p.EventTime + 0.5).DefaultIfEmpty(-0.5).First();
        return fig.WithLayout(new
        {
            xaxis = new
            {
                title = new { text = "Years relative to the policy year" }, tickmode = "array",
                tickvals = ticks.Select(p => (double)p.EventTime).ToArray(), ticktext = ticks.Select(p => p.Label).ToArray(), zeroline = false,
            },
            yaxis = new { title = new { text = yTitle }, zeroline = true, zerolinecolor = "rgb(120,120,120)" },
            shapes = new[] { new { type = "line", xref = "x", yref = "paper", x0 = onset, x1 = onset, y0 = 0, y1 = 1, line = new { dash = "dot", color = "rgb(150,150,150)", width = 1 } } },
            legend = new { x = 0.99, xanchor = "right", y = 0.02, yanchor = "bottom" },
        });
    }
}
