using Compendium.Data;
using Compendium.Tables;
using Plotly.NET;

namespace Compendium.Figures;

/// <summary>Descriptive charts of a panel: a variable's distribution by year, group means by year.</summary>
public static class PanelCharts
{
    /// <summary>One box per year (median, quartiles, 1.5 IQR whiskers, outliers as points) of <paramref name="variable"/>.</summary>
    public static GenericChart BoxByYear(ColumnTable data, string variable, string year, string yTitle)
    {
        var y = data.Numeric(variable);
        var t = data.Numeric(year);
        var keep = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i]) && double.IsFinite(t[i])).ToArray();
        var box = Plotly.NET.CSharp.Chart.BoxPlot<int, double, string>(
            X: keep.Select(i => (int)t[i]).ToArray(), Y: keep.Select(i => y[i]).ToArray(), Name: yTitle,
            BoxPoints: StyleParam.BoxPoints.Outliers);
        return Axes(box, "Year", yTitle, null);
    }

    /// <summary>
    /// One line per group of <paramref name="means"/> over the years, with dotted vertical lines at
    /// <paramref name="markYears"/> (e.g. the policy years) when given.
    /// </summary>
    public static GenericChart MeansByYear(YearMeans means, string yTitle, IReadOnlyList<int>? markYears = null)
    {
        var lines = means.Groups.Select(g => Plotly.NET.CSharp.Chart.Line<int, double, string>(means.Years, g.Means, Name: g.Group, ShowMarkers: true));
        return Axes(Plotly.NET.CSharp.Chart.Combine(lines), "Year", yTitle, markYears);
    }

    private static GenericChart Axes(GenericChart chart, string xTitle, string yTitle, IReadOnlyList<int>? markYears)
    {
        var layout = new Layout();
        layout.SetProperty("xaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = xTitle }, ["dtick"] = 1 });
        layout.SetProperty("yaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = yTitle } });
        if (markYears is { Count: > 0 })
            layout.SetProperty("shapes", markYears.Select(y => (object)new Dictionary<string, object>
            {
                ["type"] = "line", ["xref"] = "x", ["yref"] = "paper", ["x0"] = y, ["x1"] = y, ["y0"] = 0, ["y1"] = 1,
                ["line"] = new Dictionary<string, object> { ["dash"] = "dot", ["color"] = "rgb(150,150,150)", ["width"] = 1 },
            }).ToArray());
        return Chart.withLayout(layout).Invoke(chart);
    }
}
