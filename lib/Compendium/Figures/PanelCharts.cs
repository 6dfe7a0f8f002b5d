using Compendium.Econometrics.Data;
using Compendium.Tables;

namespace Compendium.Figures;

/// <summary>Descriptive charts of a panel as plain Plotly JSON (<see cref="Figure"/>): a variable's distribution by year, group means by year.</summary>
public static class PanelCharts
{
    /// <summary>One box per year (median, quartiles, 1.5 IQR whiskers, outliers as points) of <paramref name="variable"/>; missing values left out.</summary>
    public static Figure BoxByYear(ColumnTable data, string variable, string year, string yTitle)
    {
        var y = data.Numeric(variable);
        var t = data.Numeric(year);
        var keep = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i]) && double.IsFinite(t[i])).ToArray();
        var fig = Figure.Empty.AddTrace(new
        {
            type = "box", name = yTitle, boxpoints = "outliers",
            x = keep.Select(i => (int)t[i]).ToArray(), y = keep.Select(i => y[i]).ToArray(),
        });
        return Axes(fig, "Year", yTitle, null);
    }

    /// <summary>
    /// One line per group of <paramref name="means"/> over the years, with dotted vertical lines at
    /// <paramref name="markYears"/> (e.g. the policy years) when given.
    /// </summary>
    public static Figure MeansByYear(YearMeans means, string yTitle, IReadOnlyList<int>? markYears = null)
    {
        var fig = Figure.Empty;
        foreach (var g in means.Groups)
            fig = fig.AddTrace(new { type = "scatter", mode = "lines+markers", name = g.Group, x = means.Years.ToArray(), y = Gaps(g.Means) });
        return Axes(fig, "Year", yTitle, markYears);
    }

    /// <summary>NaN (no data) as null, which Plotly draws as a gap; JSON has no NaN.</summary>
    internal static double?[] Gaps(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();

    private static Figure Axes(Figure fig, string xTitle, string yTitle, IReadOnlyList<int>? markYears)
    {
        fig = fig.WithLayout(new
        {
            xaxis = new { title = new { text = xTitle }, dtick = 1 },
            yaxis = new { title = new { text = yTitle } },
        });
        return markYears is { Count: > 0 }
            ? fig.WithLayout(new
            {
                shapes = markYears.Select(y => new
                {
                    type = "line", xref = "x", yref = "paper", x0 = y, x1 = y, y0 = 0, y1 = 1,
                    line = new { dash = "dot", color = "rgb(150,150,150)", width = 1 },
                }).ToArray(),
            })
            : fig;
    }
}
