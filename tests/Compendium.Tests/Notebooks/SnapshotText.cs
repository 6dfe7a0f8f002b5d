using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compendium.Figures;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>
/// The reviewable text of an executed notebook, for snapshot tests: for every code cell its id and
/// outputs as plain text (streams, text/plain of results and displays, errors), and for every
/// figure its Plotly JSON without the styling template. No HTML, styles, images, ids or timings.
/// </summary>
public static partial class SnapshotText
{
    public static string Of(NotebookResult result, string outputRoot)
    {
        var sb = new StringBuilder();
        sb.Append("# notebook ").Append(result.Name).Append('\n');
        int n = 0;
        foreach (var cell in result.Cells)
        {
            n++;
            if (!cell.IsCode) continue;
            sb.Append("\n## cell ").Append(n).Append(" (").Append(cell.Id).Append(")\n");
            foreach (var o in cell.Outputs)
            {
                switch (o.OutputType)
                {
                    case "stream": sb.Append("[").Append(o.Name).Append("]\n").Append(Clean(o.Text ?? "")); break;
                    case "error": sb.Append("[error] ").Append(o.ErrorName).Append(": ").Append(Clean(o.ErrorValue ?? "")); break;
                    default:
                        var kind = o.Metadata?["compendium"]?["kind"]?.GetValue<string>();
                        var id = o.Metadata?["compendium"]?["id"]?.GetValue<string>();
                        sb.Append('[').Append(kind ?? o.OutputType).Append(id is null ? "" : " " + id).Append("]\n");
                        // The file list says whether images were made (machine-dependent); the artifacts are tested elsewhere.
                        if (o.Data?.GetValueOrDefault("text/plain") is string plain)
                            sb.Append(Clean(string.Join("\n", plain.Split('\n').Where(l => !l.StartsWith("Files: ", StringComparison.Ordinal)))));
                        if (kind == "figure" && id is not null)
                        {
                            var fig = JsonNode.Parse(File.ReadAllText(Path.Combine(outputRoot, "figures", id + ".json")))!.AsObject();
                            fig["layout"]?.AsObject().Remove("template");
                            sb.Append("\n[figure json]\n");
                            Compact(JsonNode.Parse(FigureExport.Canonical(fig.ToJsonString())), sb, "");
                            sb.Append('\n');
                        }
                        break;
                }
                if (sb[^1] != '\n') sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented JSON with arrays of plain values on one line, so a figure's data stay readable in a diff.</summary>
    private static void Compact(JsonNode? n, StringBuilder sb, string indent)
    {
        switch (n)
        {
            case JsonObject { Count: 0 }:
                sb.Append("{}");
                break;
            case JsonObject o:
                sb.Append("{\n");
                int i = 0;
                foreach (var (k, v) in o)
                {
                    sb.Append(indent).Append("  ").Append(JsonValue.Create(k)!.ToJsonString(Relaxed)).Append(": ");
                    Compact(v, sb, indent + "  ");
                    sb.Append(++i < o.Count ? ",\n" : "\n");
                }
                sb.Append(indent).Append('}');
                break;
            case JsonArray a when a.All(x => x is JsonValue or null):
                sb.Append('[').Append(string.Join(", ", a.Select(x => x?.ToJsonString(Relaxed) ?? "null"))).Append(']');
                break;
            case JsonArray a:
                sb.Append("[\n");
                for (int j = 0; j < a.Count; j++)
                {
                    sb.Append(indent).Append("  ");
                    Compact(a[j], sb, indent + "  ");
                    sb.Append(j + 1 < a.Count ? ",\n" : "\n");
                }
                sb.Append(indent).Append(']');
                break;
            default:
                sb.Append(n?.ToJsonString(Relaxed) ?? "null");
                break;
        }
    }

    /// <summary>Drop what differs between runs or machines without meaning anything.</summary>
    public static string Clean(string s)
    {
        s = s.Replace("\r\n", "\n");
        s = GuidRegex().Replace(s, "<guid>");
        s = AnonRegex().Replace(s, "<anonymous>");
        s = SubmissionRegex().Replace(s, "Submission");
        return s;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex GuidRegex();
    [GeneratedRegex(@"<>f__AnonymousType\d+(#\d+)?")]
    private static partial Regex AnonRegex();
    [GeneratedRegex(@"Submission#\d+")]
    private static partial Regex SubmissionRegex();
}
