using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Compendium.Figures;

/// <summary>
/// Turns a Plotly.NET chart into the files a reproduction writes: the Plotly figure JSON (data +
/// layout; deterministic, the snapshot tests compare it), and a self-contained offline HTML page.
/// </summary>
public static class FigureExport
{
    /// <summary>Default static image size in CSS pixels.</summary>
    public const int DefaultWidth = 900, DefaultHeight = 560;

    /// <summary>
    /// The figure as Plotly JSON (<c>{"data": [...], "layout": {...}}</c>), re-serialised with sorted
    /// keys and two-space indentation so equal figures have equal bytes and diffs are readable.
    /// </summary>
    public static string ToJson(GenericChart chart)
    {
        var figure = GenericChart.toFigure(chart);
        var raw = Newtonsoft.Json.JsonConvert.SerializeObject(figure, Globals.JSON_CONFIG);
        return Canonical(raw);
    }

    /// <summary>
    /// Add a small grey note under the plot area (e.g. the data provenance), keeping any annotations
    /// the chart already has, and make room for it in the bottom margin.
    /// </summary>
    public static string WithFootnote(string figureJson, string note)
    {
        var fig = JsonNode.Parse(figureJson)!.AsObject();
        var layout = fig["layout"] as JsonObject ?? (JsonObject)(fig["layout"] = new JsonObject());
        var margin = layout["margin"] as JsonObject ?? (JsonObject)(layout["margin"] = new JsonObject());
        // Below the x-axis title (≈ 40 px under the plot area), with room for one line of text; a figure that
        // asks for a deeper bottom margin (two-line tick labels) gets its note that much lower.
        double bottom = Math.Max(margin["b"]?.GetValue<double>() ?? 0, 100);
        margin["b"] = bottom;
        var annotations = layout["annotations"] as JsonArray ?? (JsonArray)(layout["annotations"] = new JsonArray());
        annotations.Add(new JsonObject
        {
            ["text"] = note, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] = 0, ["y"] = 0,
            ["xanchor"] = "left", ["yanchor"] = "top", ["yshift"] = -(bottom - 36), ["font"] = new JsonObject { ["size"] = 11, ["color"] = "rgb(120,120,120)" },
        });
        return Canonical(fig.ToJsonString());
    }

    /// <summary>
    /// Give the figure its title inside the picture (top left, so the PNG, the SVG and the offline HTML
    /// carry it, not only the page around them), unless the figure already has one, and a top margin
    /// just large enough for it (Plotly's default leaves an empty band of 100 px).
    /// </summary>
    public static string WithTitle(string figureJson, string title)
    {
        var fig = JsonNode.Parse(figureJson)!.AsObject();
        var layout = fig["layout"] as JsonObject ?? (JsonObject)(fig["layout"] = new JsonObject());
        if (layout["title"]?["text"] is null && layout["title"] is not JsonValue)
            layout["title"] = new JsonObject
            {
                ["text"] = title, ["x"] = 0.01, ["xanchor"] = "left", ["xref"] = "container",
                ["y"] = 0.98, ["yanchor"] = "top", ["yref"] = "container", ["font"] = new JsonObject { ["size"] = 16 },
            };
        var margin = layout["margin"] as JsonObject ?? (JsonObject)(layout["margin"] = new JsonObject());
        // A legend placed above the plot area (y ≥ 1) needs a line of its own under the title.
        bool legendAbove = layout["legend"]?["y"] is JsonValue y && y.TryGetValue<double>(out var ly) && ly >= 1;
        margin["t"] ??= legendAbove ? 90 : 56;
        return Canonical(fig.ToJsonString());
    }

    /// <summary>
    /// Set the figure's size in CSS pixels (Plotly.NET puts 600 × 600 in every layout), so the
    /// interactive figure and the static images have the same proportions.
    /// </summary>
    public static string WithSize(string figureJson, int width, int height)
    {
        var fig = JsonNode.Parse(figureJson)!.AsObject();
        var layout = fig["layout"] as JsonObject ?? (JsonObject)(fig["layout"] = new JsonObject());
        layout["width"] = width;
        layout["height"] = height;
        return Canonical(fig.ToJsonString());
    }

    /// <summary>Re-serialise JSON with object keys sorted (ordinal), indented, LF line ends, final newline.</summary>
    public static string Canonical(string json)
    {
        var node = JsonNode.Parse(json);
        var sorted = Sort(node);
        var text = sorted?.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) ?? "null";
        return text.Replace("\r\n", "\n") + "\n";

        static JsonNode? Sort(JsonNode? n) => n switch
        {
            JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, Sort(kv.Value)))),
            JsonArray a => new JsonArray(a.Select(Sort).ToArray()),
            null => null,
            _ => n.DeepClone(),
        };
    }

    /// <summary>
    /// A standalone page that draws the figure offline: plotly.js and the map outlines inline
    /// (about 3.7 MB; not committed). A fixed div id keeps the bytes stable.
    /// </summary>
    public static string ToStandaloneHtml(string figureJson, string title, string? banner = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(WebUtility.HtmlEncode(title)).Append("</title>\n<script>\n").Append(PlotlyAssets.PlotlyJs)
          .Append("\n</script>\n<script>\n").Append(PlotlyAssets.GeoAssetsJs).Append("</script>\n</head>\n<body>\n");
        if (banner is not null)
            sb.Append("<p style=\"font-family:sans-serif;background:#fff3cd;padding:6px\">").Append(WebUtility.HtmlEncode(banner)).Append("</p>\n");
        sb.Append("<div id=\"figure\"></div>\n<script>\nvar fig = ").Append(figureJson.TrimEnd())
          .Append(";\nPlotly.newPlot('figure', fig.data, fig.layout, {responsive: true});\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
