using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compendium.Figures;

/// <summary>
/// A Plotly figure as plain JSON: traces and layout written with Plotly's own attribute names
/// (see the plotly.js reference), e.g.
/// <code>
/// Figure.Empty
///     .AddTrace(new { type = "scatter", mode = "lines+markers", x = years, y = estimates, name = "DID" })
///     .WithLayout(new { xaxis = new { title = new { text = "year" } } });
/// </code>
/// Notebooks use this rather than Plotly.NET's chart types because Plotly.NET 6 needs FSharp.Core
/// 10.1, which the .NET Interactive kernel of VS Code (FSharp.Core 10.0) cannot load: a notebook
/// that touches Plotly.NET types runs headless here but fails in VS Code. A Plotly.NET chart can
/// still be turned into a Figure with <see cref="FromChart"/> in compiled code.
/// </summary>
public sealed class Figure
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly JsonObject _root;

    private Figure(JsonObject root) => _root = root;

    /// <summary>No traces, empty layout.</summary>
    public static Figure Empty => new(new JsonObject { ["data"] = new JsonArray(), ["layout"] = new JsonObject() });

    /// <summary>A figure from Plotly JSON (<c>{"data": [...], "layout": {...}}</c>).</summary>
    public static Figure FromJson(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("Plotly JSON must be an object with data and layout");
        node["data"] ??= new JsonArray();
        node["layout"] ??= new JsonObject();
        return new Figure(node);
    }

    /// <summary>A Plotly.NET chart as a Figure (compiled code only; see the class remarks).</summary>
    public static Figure FromChart(Plotly.NET.GenericChart chart) => FromJson(FigureExport.ToJson(chart));

    /// <summary>Add a trace: any object whose public properties are Plotly trace attributes (anonymous types work well). Null properties are left out.</summary>
    public Figure AddTrace(object trace)
    {
        var copy = (JsonObject)_root.DeepClone();
        copy["data"]!.AsArray().Add(ToNode(trace));
        return new Figure(copy);
    }

    /// <summary>Add a trace before every other (drawn first, i.e. underneath), e.g. a map's outline.</summary>
    public Figure AddTraceFirst(object trace)
    {
        var copy = (JsonObject)_root.DeepClone();
        copy["data"]!.AsArray().Insert(0, ToNode(trace));
        return new Figure(copy);
    }

    /// <summary>Merge attributes into the layout (objects merge key by key; other values replace).</summary>
    public Figure WithLayout(object patch)
    {
        var copy = (JsonObject)_root.DeepClone();
        Merge(copy["layout"]!.AsObject(), ToNode(patch).AsObject());
        return new Figure(copy);
    }

    /// <summary>The figure as canonical Plotly JSON (sorted keys, indented).</summary>
    public string ToJson() => FigureExport.Canonical(_root.ToJsonString());

    /// <summary>The canonical Plotly JSON (<see cref="ToJson"/>).</summary>
    public override string ToString() => ToJson();

    private static JsonNode ToNode(object o) =>
        o as JsonNode ?? JsonSerializer.SerializeToNode(o, o.GetType(), Options) ?? throw new ArgumentException("null trace or layout");

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (k, v) in patch.ToList())
        {
            if (v is JsonObject po && target[k] is JsonObject to) Merge(to, po);
            else target[k] = v?.DeepClone();
        }
    }
}
