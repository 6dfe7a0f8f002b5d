using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>
/// output/manifest.json: what a run used and made, so a reader can check a reproduction without
/// rerunning it. SHA-256 of every input (notebooks, data/ files, the --data panel) and every output
/// (executed notebooks, tables, figures, site; documentation files under data/ are not inputs), the pinned SDK (global.json), the .NET runtime,
/// the package versions (Directory.Packages.props), plotly.js, whether images were made, and each
/// notebook's parameter overrides and data, and the content hash of the library sources (<c>library</c>). No timestamps; keys sorted.
/// </summary>
public static class Manifest
{
    /// <summary>Write <c>manifest.json</c> into <paramref name="outputRoot"/> (atomically), hashing inputs under <paramref name="repoRoot"/> and every file already under <paramref name="outputRoot"/>.</summary>
    public static void Write(string repoRoot, string outputRoot, IReadOnlyList<NotebookResult> results)
    {
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb")) inputs[Rel(repoRoot, f)] = Hash(f);
        var data = Path.Combine(repoRoot, "data");
        if (Directory.Exists(data))
            foreach (var f in Directory.GetFiles(data, "*", SearchOption.AllDirectories).Where(f => !Rel(repoRoot, f).StartsWith("data/raw/", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal)))
                inputs[Rel(repoRoot, f)] = Hash(f);
        foreach (var r in results.Where(r => r.Data is not null))
            inputs[r.Data!.DisplayPath] = r.Data.Sha256;

        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.GetFiles(outputRoot, "*", SearchOption.AllDirectories))
        {
            var rel = Rel(outputRoot, f);
            if (rel == "manifest.json" || rel.Contains(".tmp-", StringComparison.Ordinal)) continue;
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
            ["images"] = results.Any(r => r.Artifacts.Any(a => a.Files.Any(f => f.EndsWith(".svg", StringComparison.Ordinal)))),
            ["notebooks"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["parameters"] = new JsonObject(r.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["data"] = r.Data is null ? null : new JsonObject { ["path"] = r.Data.DisplayPath, ["sha256"] = r.Data.Sha256, ["kind"] = r.Data.Kind.ToString().ToLowerInvariant() },
                ["outputs"] = new JsonArray(r.Artifacts.Select(a => (JsonNode)$"{a.Kind}:{a.Id}").ToArray()),
            }).ToArray()),
            ["inputs"] = new JsonObject(inputs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["outputs"] = new JsonObject(outputs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        AtomicFile.WriteAllText(Path.Combine(outputRoot, "manifest.json"), FigureExport.Canonical(root.ToJsonString()));
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
