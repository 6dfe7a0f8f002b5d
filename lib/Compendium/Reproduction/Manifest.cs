using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>
/// output/manifest.json: what a run used and made, so a reader can check a reproduction without
/// rerunning it. SHA-256 of every input (notebooks, data/ files, the --data panel) and every output
/// (executed notebooks, tables, figures, results, site; documentation files under data/ are not inputs), the pinned SDK (global.json), the .NET runtime,
/// the package versions (Directory.Packages.props), plotly.js, whether images were made, and each
/// notebook's parameter overrides, data and outputs, and the content hash of the library sources
/// (<c>library</c>). No timestamps; keys sorted. The output folder holds exactly the files the manifest lists.
/// </summary>
public static class Manifest
{
    /// <summary>The manifest's file name in the output root.</summary>
    public const string FileName = "manifest.json";

    /// <summary>
    /// Write <c>manifest.json</c> into <paramref name="outputRoot"/> (atomically), hashing inputs under
    /// <paramref name="repoRoot"/> and every file already under <paramref name="outputRoot"/> (entries
    /// whose name starts with a dot, such as the lock file, are not outputs).
    /// </summary>
    public static void Write(string repoRoot, string outputRoot, IReadOnlyList<ManifestNotebook> notebooks)
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb")) inputs[Rel(repoRoot, f)] = Hash(f);
        var data = Path.Combine(repoRoot, "data");
        if (Directory.Exists(data))
            foreach (var f in Directory.GetFiles(data, "*", SearchOption.AllDirectories).Where(f => !Rel(repoRoot, f).StartsWith("data/raw/", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal)))
                inputs[Rel(repoRoot, f)] = Hash(f);
        foreach (var r in notebooks.Where(r => r.Data is not null))
            inputs[r.Data!.DisplayPath] = r.Data.Sha256;

        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.GetFiles(outputRoot, "*", SearchOption.AllDirectories))
        {
            var rel = Rel(outputRoot, f);
            if (rel == FileName || rel.Contains(".tmp-", StringComparison.Ordinal) || rel.Split('/').Any(part => part.StartsWith('.'))) continue;
            outputs[rel] = Hash(f);
        }

        var packages = new JsonObject();
        var props = Path.Combine(repoRoot, "Directory.Packages.props");
        if (File.Exists(props))
            foreach (var p in XDocument.Load(props).Descendants("PackageVersion").OrderBy(p => (string?)p.Attribute("Include"), StringComparer.Ordinal))
                packages[(string)p.Attribute("Include")!] = (string?)p.Attribute("Version");

        var globalJson = Path.Combine(repoRoot, "global.json");
        var sdk = File.Exists(globalJson) ? JsonNode.Parse(File.ReadAllText(globalJson))?["sdk"]?["version"]?.GetValue<string>() : null;

        var root = new JsonObject
        {
            ["library"] = LibraryHash(repoRoot),
            ["sdk_pinned"] = sdk,
            ["dotnet_runtime"] = Environment.Version.ToString(),
            ["packages"] = packages,
            ["plotly_js"] = PlotlyAssets.PlotlyJsVersion,
            ["images"] = outputs.Keys.Any(k => k.StartsWith("figures/", StringComparison.Ordinal) && k.EndsWith(".svg", StringComparison.Ordinal)),
            ["notebooks"] = new JsonArray(notebooks.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["parameters"] = new JsonObject(r.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["data"] = r.Data is null ? null : new JsonObject { ["path"] = r.Data.DisplayPath, ["sha256"] = r.Data.Sha256, ["kind"] = r.Data.Kind.ToString().ToLowerInvariant() },
                ["outputs"] = new JsonArray(r.Outputs.Select(a => (JsonNode)a).ToArray()),
            }).ToArray()),
            ["inputs"] = new JsonObject(inputs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["outputs"] = new JsonObject(outputs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        AtomicFile.WriteAllText(Path.Combine(outputRoot, FileName), FigureExport.Canonical(root.ToJsonString()));
    }

    /// <summary>
    /// The notebook entries of the manifest in <paramref name="outputRoot"/>, or null when there is
    /// none or it cannot be read (then nothing is known about which notebook made which file).
    /// </summary>
    public static IReadOnlyList<ManifestNotebook>? Read(string outputRoot)
    {
        var path = Path.Combine(outputRoot, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            return root["notebooks"]!.AsArray().Select(n =>
            {
                var o = n!.AsObject();
                var parameters = (o["parameters"] as JsonObject ?? new JsonObject()).Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.GetValue<string>())).ToList();
                DataSource? data = o["data"] is JsonObject d
                    ? new DataSource(d["kind"]!.GetValue<string>() == "synthetic" ? DataKind.Synthetic : DataKind.Author, d["path"]!.GetValue<string>(), d["sha256"]!.GetValue<string>())
                    : null;
                var outputs = o["outputs"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
                return new ManifestNotebook(o["name"]!.GetValue<string>(), parameters, data, outputs);
            }).ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The version of the code that made the outputs: SHA-256 over the sorted relative paths and contents
    /// of the library sources (lib/**/*.cs, *.csproj, and the build props), so an output names its code
    /// with or without git.
    /// </summary>
    internal static string LibraryHash(string repoRoot)
    {
        var lib = Path.Combine(repoRoot, "lib");
        var files = Directory.Exists(lib)
            ? Directory.GetFiles(lib, "*", SearchOption.AllDirectories)
                .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
                            && !Rel(lib, f).Split('/').Any(part => part is "bin" or "obj"))
            : [];
        var all = files.Concat(new[] { "Directory.Build.props", "Directory.Packages.props" }.Select(f => Path.Combine(repoRoot, f)).Where(File.Exists))
            .Select(f => (Rel: Rel(repoRoot, f), Full: f)).OrderBy(f => f.Rel, StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (rel, full) in all)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(rel + "\n"));
            sha.AppendData(File.ReadAllBytes(full).Select(b => b).Where(b => b != (byte)'\r').ToArray());
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string Hash(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}

/// <summary>One notebook's entry in the manifest: its parameter overrides, its data, and what it saved.</summary>
/// <param name="Name">Notebook name (file name without extension).</param>
/// <param name="Parameters">The overrides it ran with (as shown in its injected cell).</param>
/// <param name="Data">The panel it declared with <see cref="Report.UseData"/>, if any.</param>
/// <param name="Outputs">What it saved, as <c>table:ID</c>, <c>figure:ID</c> and <c>results:SECTION</c>.</param>
public sealed record ManifestNotebook(string Name, IReadOnlyList<KeyValuePair<string, string>> Parameters, DataSource? Data, IReadOnlyList<string> Outputs)
{
    /// <summary>The entry of an executed notebook.</summary>
    public static ManifestNotebook Of(NotebookResult r) =>
        new(r.Name, r.Parameters, r.Data, r.Artifacts.Select(a => $"{a.Kind}:{a.Id}").ToList());

    /// <summary>
    /// The files (relative to the output root) this notebook owns among <paramref name="existing"/>:
    /// its executed notebook, for each saved table or figure every file named after its id in
    /// tables/ or figures/, and for each section it recorded results/SECTION.json.
    /// </summary>
    public IEnumerable<string> Files(IEnumerable<string> existing)
    {
        var stems = Outputs.Select(o => o.Split(':', 2)).Where(p => p.Length == 2)
            .Select(p => p[0] switch { "table" => "tables/", "results" => "results/", _ => "figures/" } + p[1]).ToHashSet(StringComparer.Ordinal);
        return existing.Where(f => f == $"notebooks/{Name}.ipynb"
            || (f.LastIndexOf('.') is var dot && dot > 0 && stems.Contains(f[..dot])));
    }
}
