using System.Reflection;
using System.Text.RegularExpressions;
using Compendium.Econometrics.Estimation;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Architecture;

/// <summary>
/// The folder dependency graph of each library, read from its <c>using</c> lines: no cycle between
/// folders, and in the estimation library no dependency that goes up its documented layer order.
/// Run alone to print the graph: <c>dotnet test tests/Compendium.Tests --filter FullyQualifiedName~Layering</c>.
/// </summary>
public partial class LayeringTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] EconometricsLayers = ["Numerics", "Data", "Tables", "Formulas", "Design", "Inference", "Estimation", "Staggered", "Sensitivity", "Resampling", "Output"];

    [GeneratedRegex(@"^using (?:static )?(Compendium[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    /// <summary>folder → folders it uses, for the library under lib/<paramref name="project"/> whose namespaces start with <paramref name="prefix"/>.</summary>
    internal static SortedDictionary<string, SortedSet<string>> Graph(string project, string prefix)
    {
        var root = Path.Combine(ReferenceValues.RepoRoot, "lib", project);
        var graph = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal)) continue;
            var folder = rel.Contains('/') ? rel[..rel.IndexOf('/')] : ".";
            if (!graph.TryGetValue(folder, out var edges)) graph[folder] = edges = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in UsingLine().Matches(File.ReadAllText(file)))
            {
                var ns = m.Groups[1].Value;
                if (!ns.StartsWith(prefix + ".", StringComparison.Ordinal)) continue;
                var target = ns[(prefix.Length + 1)..].Split('.')[0];
                if (project == "Compendium" && target == "Econometrics") continue; // the other library
                if (target != folder) edges.Add(target);
            }
        }
        return graph;
    }

    private static List<string>? FindCycle(SortedDictionary<string, SortedSet<string>> g)
    {
        var state = new Dictionary<string, int>();
        var stack = new List<string>();
        List<string>? Visit(string n)
        {
            state[n] = 1; stack.Add(n);
            foreach (var m in g.GetValueOrDefault(n) ?? [])
            {
                if (state.GetValueOrDefault(m) == 1) return [.. stack[stack.IndexOf(m)..], m];
                if (state.GetValueOrDefault(m) == 0 && Visit(m) is { } c) return c;
            }
            state[n] = 2; stack.RemoveAt(stack.Count - 1);
            return null;
        }
        foreach (var n in g.Keys) if (state.GetValueOrDefault(n) == 0 && Visit(n) is { } c) return c;
        return null;
    }

    private void Print(string name, SortedDictionary<string, SortedSet<string>> g)
    {
        output.WriteLine(name + ":");
        foreach (var (k, v) in g) output.WriteLine($"  {k} -> {string.Join(", ", v)}");
    }

    [Theory]
    [InlineData("Compendium.Econometrics", "Compendium.Econometrics")]
    [InlineData("Compendium", "Compendium")]
    public void NoCycleBetweenFolders(string project, string prefix)
    {
        var g = Graph(project, prefix);
        Print(project, g);
        var cycle = FindCycle(g);
        Assert.True(cycle is null, $"{project}: folders depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void EstimationLibraryDependsOnlyDownItsLayers()
    {
        var g = Graph("Compendium.Econometrics", "Compendium.Econometrics");
        var wrong = new List<string>();
        foreach (var (from, targets) in g)
        {
            if (from == ".") continue;
            int i = Array.IndexOf(EconometricsLayers, from);
            Assert.True(i >= 0, $"folder {from} is not in the documented layer order ({string.Join(" → ", EconometricsLayers)}); add it to lib/README.md and this test");
            wrong.AddRange(targets.Where(t => Array.IndexOf(EconometricsLayers, t) > i).Select(t => $"{from} -> {t}"));
        }
        Assert.True(wrong.Count == 0, "dependencies up the layer order: " + string.Join("; ", wrong));
    }

    [Fact]
    public void EstimationLibraryReferencesNoNotebookPlottingOrBrowserAssembly()
    {
        var refs = typeof(EstimationResult).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        output.WriteLine(string.Join(", ", refs));
        string[] forbidden = ["Microsoft.DotNet.Interactive", "Plotly", "PuppeteerSharp", "Deedle", "FSharp", "Compendium", "Markdig", "MiniExcel"];
        var bad = refs.Where(r => forbidden.Any(f => r == f || r.StartsWith(f + ".", StringComparison.Ordinal))).ToList();
        Assert.True(bad.Count == 0, "Compendium.Econometrics references " + string.Join(", ", bad));
        Assert.Contains("MathNet.Numerics", refs);
    }
}
