using System.Text.Json.Nodes;
using Xunit;
using Compendium.Figures;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>
/// The committed output/ (what a reviewer reads without running anything) must be what a fresh
/// reproduction writes. Fails when a notebook, the library or the data changed and nobody reran
/// <c>compendium reproduce</c>. Not compared: output/site/ and figures/*.html (not committed) and
/// the runtime version in the manifest. Without Chromium the images (and the notebooks that show
/// them) cannot be remade, so then only their non-image content is compared.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class CommittedOutputTests(ReproductionFixture fixture)
{
    private static bool Committed(string rel) =>
        !rel.StartsWith('.') // the reproduction's lock file
        && !rel.StartsWith("site/", StringComparison.Ordinal) && !(rel.StartsWith("figures/", StringComparison.Ordinal) && rel.EndsWith(".html", StringComparison.Ordinal));

    private static List<string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Where(Committed).Order(StringComparer.Ordinal).ToList()
            : [];

    [Fact]
    public void CommittedOutputsAreWhatAReproductionWrites()
    {
        Assert.True(fixture.Result.Failure is null, fixture.Result.Failure?.ToString());
        var committedRoot = Path.Combine(fixture.RepoRoot, "output");
        var committed = Files(committedRoot);
        var fresh = Files(fixture.OutputRoot);
        var images = ImageRenderer.IsAvailable;
        if (!images)
        {
            committed.RemoveAll(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal));
            fresh.RemoveAll(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal));
        }
        var stale = new List<string>();
        stale.AddRange(committed.Except(fresh).Select(f => $"output/{f} is committed but a reproduction does not write it (delete it)"));
        stale.AddRange(fresh.Except(committed).Select(f => $"output/{f} is written by a reproduction but not committed"));
        foreach (var f in committed.Intersect(fresh))
        {
            var (a, b) = (Read(committedRoot, f, images), Read(fixture.OutputRoot, f, images));
            if (a != b) stale.Add($"output/{f} differs from a fresh reproduction");
        }
        Assert.True(stale.Count == 0,
            "committed outputs are stale; run `dotnet run --project lib/Compendium.Cli -c Release -- reproduce` and commit output/:\n" + string.Join("\n", stale));
    }

    private static string Read(string root, string rel, bool images)
    {
        var path = Path.Combine(root, rel);
        if (rel.EndsWith(".png", StringComparison.Ordinal)) return Convert.ToBase64String(File.ReadAllBytes(path));
        var text = File.ReadAllText(path);
        if (rel == "manifest.json")
        {
            var m = JsonNode.Parse(text)!.AsObject();
            m.Remove("dotnet_runtime");
            m.Remove("images");
            if (!images && m["outputs"] is JsonObject outs)
                foreach (var k in outs.Select(kv => kv.Key).Where(k => k.EndsWith(".svg") || k.EndsWith(".png") || k.StartsWith("notebooks/")).ToList())
                    outs.Remove(k);
            // Site files are not committed; their hashes are checked through the fresh run only.
            if (m["outputs"] is JsonObject o2)
                foreach (var k in o2.Select(kv => kv.Key).Where(k => !Committed(k)).ToList()) o2.Remove(k);
            return m.ToJsonString();
        }
        if (!images && rel.StartsWith("notebooks/", StringComparison.Ordinal))
        {
            // Compare the notebook without its figure outputs (image, and the file list that names the images).
            var nb = JsonNode.Parse(text)!;
            foreach (var cell in nb["cells"]!.AsArray())
                if (cell!["outputs"] is JsonArray outs)
                    foreach (var o in outs)
                        if (o!["metadata"]?["compendium"]?["kind"]?.GetValue<string>() == "figure") { o["data"] = null; o["metadata"] = null; }
            return nb.ToJsonString();
        }
        return text;
    }
}
