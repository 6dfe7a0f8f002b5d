namespace Compendium.Figures;

/// <summary>One row of a forest plot: an estimate with its 95% interval and, on simulated data, the true value.</summary>
/// <param name="Label">The row's label (e.g. "IP protection: high").</param>
/// <param name="Estimate">Point estimate.</param>
/// <param name="CiLow">Lower end of the 95% interval.</param>
/// <param name="CiHigh">Upper end of the 95% interval.</param>
/// <param name="Truth">The true value (simulator), or null when unknown.</param>
public sealed record ForestRow(string Label, double Estimate, double CiLow, double CiHigh, double? Truth = null);

/// <summary>
/// Forest plots: one horizontal row per estimate (top to bottom in the order given) with its 95% interval,
/// a dashed vertical reference line (e.g. the pooled estimate), a zero line, and the true value as a marker
/// when known. Plain Plotly JSON (<see cref="Figure"/>).
/// </summary>
public static class ForestPlot
{
    /// <summary>The forest plot of <paramref name="rows"/>.</summary>
    /// <param name="rows">The estimates, top to bottom.</param>
    /// <param name="reference">The value of the vertical reference line, or null for none.</param>
    /// <param name="referenceLabel">Its legend entry.</param>
    /// <param name="xTitle">Title of the horizontal axis (the effect and its unit).</param>
    public static Figure Of(IReadOnlyList<ForestRow> rows, double? reference, string referenceLabel, string xTitle)
    {
        if (rows.Count == 0) throw new ArgumentException("a forest plot needs at least one row", nameof(rows));
        const string blue = "rgb(31,119,180)", red = "rgb(214,39,40)", grey = "rgb(120,120,120)";
        var labels = rows.Select(r => r.Label).ToArray();
        var fig = Figure.Empty.AddTrace(new
        {
            type = "scatter", mode = "markers", name = "Estimate (95% CI)",
            x = rows.Select(r => r.Estimate).ToArray(), y = labels,
            marker = new { color = blue, size = 9, symbol = "square" },
            error_x = new
            {
                type = "data", symmetric = false, color = blue, thickness = 1.5, width = 5,
                array = rows.Select(r => r.CiHigh - r.Estimate).ToArray(),
                arrayminus = rows.Select(r => r.Estimate - r.CiLow).ToArray(),
            },
        });
        if (rows.Any(r => r.Truth is not null))
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "markers", name = "True effect (simulator)",
                x = rows.Select(r => r.Truth).ToArray(), y = labels,
                marker = new { color = red, size = 11, symbol = "x-thin-open", line = new { width = 2, color = red } },
            });
        if (reference is { } v)
            fig = fig.AddTrace(new
            {
                type = "scatter", mode = "lines", name = referenceLabel, x = new[] { v, v }, y = new[] { labels[0], labels[^1] },
                line = new { dash = "dash", color = grey, width = 1.5 },
            });
        return fig.WithLayout(new
        {
            xaxis = new { title = new { text = xTitle }, zeroline = true, zerolinecolor = "rgb(60,60,60)" },
            yaxis = new { type = "category", autorange = "reversed", automargin = true, categoryorder = "array", categoryarray = labels },
            legend = new { orientation = "h", x = 0, y = 1.02, yanchor = "bottom" },
            margin = new { l = 220 },
        });
    }
}
