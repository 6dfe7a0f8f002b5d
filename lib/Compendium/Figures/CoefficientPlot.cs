using Compendium.Econometrics.Estimation;

namespace Compendium.Figures;

/// <summary>
/// Coefficient plots: point estimates with 95% confidence intervals as error bars, a zero line, and
/// optionally a known true profile (from a simulator) drawn on the same axes. Plain Plotly JSON
/// (<see cref="Figure"/>), so notebooks can use it in any .NET Interactive kernel.
/// </summary>
public static class CoefficientPlot
{
    /// <summary>
    /// The event-study plot: one point per event time with its 95% CI (the reference period at 0, no
    /// bar), a dotted vertical line between the reference period and treatment onset, and
    /// <paramref name="truth"/> (event time, true effect) as a dashed line when given.
    /// </summary>
    /// <param name="path">The event-time path (<see cref="EventStudyResult.Path"/>).</param>
    /// <param name="truth">The true effect at each event time, or null when unknown (an author's data).</param>
    /// <param name="yTitle">Title of the vertical axis (the outcome).</param>
    public static Figure EventStudy(IReadOnlyList<EventTimeEstimate> path, IReadOnlyList<(double EventTime, double Effect)>? truth, string yTitle)
    {
        if (path.Count == 0) throw new ArgumentException("the event-time path is empty", nameof(path));
        var x = path.Select(p => (double)p.EventTime).ToArray();
        // An interval that cannot be computed (no residual variation, a singular variance) gets no bar, and the legend says so.
        static double Bar(double v) => double.IsFinite(v) ? v : 0.0;
        bool intervals = path.All(p => p.IsReference || (double.IsFinite(p.StdError) && p.StdError > 0));
        const string blue = "rgb(31,119,180)", red = "rgb(214,39,40)", grey = "rgb(150,150,150)";
        var fig = Figure.Empty.AddTrace(new
        {
            type = "scatter", mode = "markers", name = intervals ? "Estimate (95% CI)" : "Estimate (95% CI not computable)",
            x, y = path.Select(p => p.Estimate).ToArray(),
            text = path.Select(p => p.IsReference ? p.Label + " (reference)" : p.Label).ToArray(),
            marker = new { color = blue, size = 8 },
            // Distances from the estimate; the reference period has no interval (0).
            error_y = new
            {
                type = "data", symmetric = false, color = blue, thickness = 1.5, width = 4,
                array = path.Select(p => p.IsReference ? 0.0 : Bar(p.CiHigh - p.Estimate)).ToArray(),
                arrayminus = path.Select(p => p.IsReference ? 0.0 : Bar(p.Estimate - p.CiLow)).ToArray(),
            },
        });
        if (truth is { Count: > 0 })
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "lines+markers", name = "True effect (simulator)",
                x = truth.Select(p => p.EventTime).ToArray(), y = PanelCharts.Gaps(truth.Select(p => p.Effect)),
                marker = new { color = red, size = 8 }, line = new { dash = "dash", color = red },
            });
        double onset = path.Where(p => p.IsReference).Select(p => p.EventTime + 0.5).DefaultIfEmpty(-0.5).First();
        return fig.WithLayout(new
        {
            xaxis = new
            {
                title = new { text = "Years relative to the policy year" }, tickmode = "array",
                tickvals = x, ticktext = path.Select(p => p.Label).ToArray(), zeroline = false,
            },
            yaxis = new { title = new { text = yTitle }, zeroline = true, zerolinecolor = "rgb(120,120,120)" },
            shapes = new[] { new { type = "line", xref = "x", yref = "paper", x0 = onset, x1 = onset, y0 = 0, y1 = 1, line = new { dash = "dot", color = grey, width = 1 } } },
            legend = new { x = 0.01, y = 0.99 },
        });
    }

    /// <summary>
    /// A coefficient plot of any estimation results (the <see cref="EstimationResult"/> contract): one
    /// row per coefficient named in <paramref name="names"/> (all when null), one marker with its 95%
    /// interval per model, models offset vertically and named in the legend, a vertical zero line.
    /// OLS, 2SLS, logit and every later estimator plot through this one function.
    /// </summary>
    /// <param name="models">(legend name, result) pairs, at least one.</param>
    /// <param name="names">Coefficients to show, top to bottom; null for every coefficient of the first model.</param>
    /// <param name="xTitle">Title of the horizontal (estimate) axis.</param>
    public static Figure Of(IReadOnlyList<(string Name, EstimationResult Result)> models, IReadOnlyList<string>? names = null, string xTitle = "Estimate (95% CI)")
    {
        if (models.Count == 0) throw new ArgumentException("at least one model", nameof(models));
        names ??= models[0].Result.Coefficients.Select(c => c.Name).ToList();
        var fig = Figure.Empty;
        for (int m = 0; m < models.Count; m++)
        {
            // Offsets keep several models' intervals for one coefficient apart.
            double offset = models.Count == 1 ? 0 : 0.3 * (m - (models.Count - 1) / 2.0) / Math.Max(1, models.Count - 1);
            var rows = names.Select((n, i) => (i, c: models[m].Result.Coefficients.FirstOrDefault(c => c.Name == n))).Where(t => t.c is not null).ToList();
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name = models[m].Name, orientation = "h",
                x = rows.Select(t => t.c!.Estimate).ToArray(),
                y = rows.Select(t => names.Count - 1 - t.i + offset).ToArray(),
                text = rows.Select(t => t.c!.Name).ToArray(),
                error_x = new
                {
                    type = "data", symmetric = false, thickness = 1.5, width = 4,
                    array = rows.Select(t => t.c!.CiHigh - t.c.Estimate).ToArray(),
                    arrayminus = rows.Select(t => t.c!.Estimate - t.c.CiLow).ToArray(),
                },
            });
        }
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = xTitle }, zeroline = true, zerolinecolor = "rgb(120,120,120)" },
            yaxis = new { tickmode = "array", tickvals = names.Select((_, i) => (double)(names.Count - 1 - i)).ToArray(), ticktext = names.ToArray(), zeroline = false },
            legend = new { x = 0.01, y = 0.99 },
        });
    }
}
