using System.Globalization;
using Compendium.Estimation;
using Plotly.NET;

namespace Compendium.Figures;

/// <summary>
/// Coefficient plots: point estimates with 95% confidence intervals as error bars, a dashed zero
/// line, and optionally a known true profile (from a simulator) drawn on the same axes.
/// </summary>
public static class CoefficientPlot
{
    /// <summary>
    /// The event-study plot: one point per event time with its 95% CI (the reference period at 0, no
    /// bar), a vertical dotted line between the reference period and treatment onset, and
    /// <paramref name="truth"/> (event time, true effect) as a line when given.
    /// </summary>
    /// <param name="path">The event-time path (<see cref="EventStudyResult.Path"/>).</param>
    /// <param name="truth">The true effect at each event time, or null when unknown (an author's data).</param>
    /// <param name="yTitle">Title of the vertical axis (the outcome).</param>
    public static GenericChart EventStudy(IReadOnlyList<EventTimeEstimate> path, IReadOnlyList<(double EventTime, double Effect)>? truth, string yTitle)
    {
        if (path.Count == 0) throw new ArgumentException("the event-time path is empty", nameof(path));
        var charts = new List<GenericChart>();
        var x = path.Select(p => (double)p.EventTime).ToArray();
        var labels = path.Select(p => p.IsReference ? p.Label + " (reference)" : p.Label).ToArray();
        var est = Scatter("Estimate (95% CI)", "markers", x, path.Select(p => p.Estimate).ToArray(), labels, "rgb(31,119,180)");
        est.SetProperty("error_y", new Dictionary<string, object>
        {
            ["type"] = "data",
            ["symmetric"] = false,
            // Distances from the estimate; the reference period has no interval (0).
            ["array"] = path.Select(p => p.IsReference ? 0.0 : p.CiHigh - p.Estimate).ToArray(),
            ["arrayminus"] = path.Select(p => p.IsReference ? 0.0 : p.Estimate - p.CiLow).ToArray(),
            ["color"] = "rgb(31,119,180)",
            ["thickness"] = 1.5,
            ["width"] = 4,
        });
        charts.Add(GenericChart.ofTraceObject(true, est));
        if (truth is { Count: > 0 })
        {
            var t = Scatter("True effect (simulator)", "lines+markers", truth.Select(p => p.EventTime).ToArray(), truth.Select(p => p.Effect).ToArray(), null, "rgb(214,39,40)");
            t.SetProperty("line", new Dictionary<string, object> { ["dash"] = "dash", ["color"] = "rgb(214,39,40)" });
            charts.Add(GenericChart.ofTraceObject(true, t));
        }
        var chart = Plotly.NET.CSharp.Chart.Combine(charts);
        var layout = new Layout();
        layout.SetProperty("xaxis", new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = "Years relative to the policy year" },
            ["tickmode"] = "array",
            ["tickvals"] = x,
            ["ticktext"] = path.Select(p => p.Label).ToArray(),
            ["zeroline"] = false,
        });
        layout.SetProperty("yaxis", new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = yTitle },
            ["zeroline"] = true, ["zerolinecolor"] = "rgb(120,120,120)",
        });
        double onset = path.Where(p => p.IsReference).Select(p => p.EventTime + 0.5).DefaultIfEmpty(-0.5).First();
        layout.SetProperty("shapes", new object[]
        {
            new Dictionary<string, object>
            {
                ["type"] = "line", ["xref"] = "x", ["yref"] = "paper", ["x0"] = onset, ["x1"] = onset, ["y0"] = 0, ["y1"] = 1,
                ["line"] = new Dictionary<string, object> { ["dash"] = "dot", ["color"] = "rgb(150,150,150)", ["width"] = 1 },
            },
        });
        layout.SetProperty("legend", new Dictionary<string, object> { ["x"] = 0.01, ["y"] = 0.99 });
        return Chart.withLayout(layout).Invoke(chart);
    }

    private static Trace2D Scatter(string name, string mode, double[] x, double[] y, string[]? text, string colour)
    {
        var t = new Trace2D("scatter");
        t.SetProperty("name", name);
        t.SetProperty("mode", mode);
        t.SetProperty("x", x);
        t.SetProperty("y", y);
        if (text is not null) t.SetProperty("text", text);
        t.SetProperty("marker", new Dictionary<string, object> { ["color"] = colour, ["size"] = 8 });
        return t;
    }

}
