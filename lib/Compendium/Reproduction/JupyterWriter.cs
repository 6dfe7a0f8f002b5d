using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compendium.Reproduction;

/// <summary>
/// Writes an executed notebook as nbformat 4.5 JSON the way Jupyter does (one-space indent, keys
/// sorted, text as lists of lines, non-ASCII kept), so the bytes depend only on the content.
/// </summary>
public static class JupyterWriter
{
    /// <summary>The nbformat 4.5 JSON text of a notebook with these cells and notebook-level metadata.</summary>
    public static string Write(IReadOnlyList<NotebookCell> cells, JsonObject notebookMetadata)
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(CellJson).ToArray<JsonNode?>()),
            ["metadata"] = notebookMetadata.DeepClone(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return Serialize(Sorted(root)) + "\n";
    }

    private static JsonNode CellJson(NotebookCell c)
    {
        var o = new JsonObject
        {
            ["cell_type"] = c.CellType,
            ["id"] = c.Id,
            ["metadata"] = c.Metadata.DeepClone(),
            ["source"] = Lines(c.Source),
        };
        if (c.IsCode)
        {
            o["execution_count"] = c.ExecutionCount;
            o["outputs"] = new JsonArray(c.Outputs.Select(OutputJson).ToArray<JsonNode?>());
        }
        return o;
    }

    private static JsonNode OutputJson(NotebookOutput o)
    {
        var j = new JsonObject { ["output_type"] = o.OutputType };
        switch (o.OutputType)
        {
            case "stream":
                j["name"] = o.Name;
                j["text"] = Lines(o.Text ?? "");
                break;
            case "error":
                j["ename"] = o.ErrorName;
                j["evalue"] = o.ErrorValue;
                j["traceback"] = new JsonArray();
                break;
            default:
                var data = new JsonObject();
                foreach (var (mime, value) in o.Data ?? new Dictionary<string, object>())
                    data[mime] = value is JsonNode n ? n.DeepClone() : Lines((string)value);
                j["data"] = data;
                j["metadata"] = o.Metadata?.DeepClone() ?? new JsonObject();
                if (o.OutputType == "execute_result") j["execution_count"] = o.ExecutionCount;
                break;
        }
        return j;
    }

    /// <summary>Split text into lines that keep their '\n' (Jupyter's multiline-string form).</summary>
    public static JsonArray Lines(string text)
    {
        var arr = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { arr.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) arr.Add(text[start..]);
        return arr;
    }

    internal static JsonNode? Sorted(JsonNode? n) => n switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => n.DeepClone(),
    };

    private static string Serialize(JsonNode? node)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 1,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            if (node is null) w.WriteNullValue(); else node.WriteTo(w);
        }
        return Encoding.UTF8.GetString(ms.ToArray()).Replace("\r\n", "\n");
    }
}
