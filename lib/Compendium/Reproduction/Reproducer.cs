using System.Diagnostics;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>What <see cref="Reproducer.RunAsync"/> does.</summary>
/// <param name="RepoRoot">The compendium's root (holds Compendium.sln, notebooks/, data/).</param>
/// <param name="OutputRoot">Where to write (normally RepoRoot/output; tests use a temporary folder).</param>
/// <param name="Only">Notebook names or prefixes to run (e.g. <c>01</c> or <c>01_sample_and_policy</c>); empty = all.</param>
/// <param name="DataPath">An author's panel to run every notebook on (overrides each notebook's <c>dataPath</c> parameter).</param>
/// <param name="Parameters">name=value overrides applied to every notebook that declares the name.</param>
/// <param name="RenderImages">Make SVG/PNG figures (when Chromium is installed).</param>
/// <param name="BuildSite">Write the static HTML site under output/site.</param>
public sealed record ReproduceOptions(
    string RepoRoot,
    string OutputRoot,
    IReadOnlyList<string>? Only = null,
    string? DataPath = null,
    IReadOnlyList<KeyValuePair<string, string>>? Parameters = null,
    bool RenderImages = true,
    bool BuildSite = true);

/// <summary>The outcome of a reproduction.</summary>
public sealed record ReproduceResult(IReadOnlyList<NotebookResult> Notebooks, TimeSpan Elapsed)
{
    /// <summary>The first notebook failure, or null when every notebook succeeded.</summary>
    public NotebookFailure? Failure => Notebooks.Select(n => n.Failure).FirstOrDefault(f => f is not null);
}

/// <summary>
/// <c>compendium reproduce</c>: runs the notebooks under notebooks/ in paper order (file-name
/// order: 01_…, 02_…), each in a fresh kernel, and writes output/notebooks/NAME.ipynb (executed),
/// the tables and figures the notebooks save, output/site/ and output/manifest.json. Stops at the
/// first failing notebook; its executed notebook is not written (outputs are whole or absent).
/// </summary>
public static class Reproducer
{
    /// <summary>
    /// Full paths of the notebooks under <c>notebooks/</c> to run, in ordinal file-name order: all of them, or
    /// those whose names start with one of <paramref name="only"/>; an <see cref="InputException"/> when an entry matches none.
    /// </summary>
    public static IReadOnlyList<string> Notebooks(string repoRoot, IReadOnlyList<string>? only = null)
    {
        var dir = Path.Combine(repoRoot, "notebooks");
        if (!Directory.Exists(dir)) throw new InputException($"no notebooks/ folder in {repoRoot}");
        var all = Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (only is null || only.Count == 0) return all;
        var chosen = new List<string>();
        foreach (var o in only)
        {
            var match = all.Where(p => Path.GetFileNameWithoutExtension(p).StartsWith(Path.GetFileNameWithoutExtension(o), StringComparison.Ordinal)).ToList();
            if (match.Count == 0)
                throw new InputException($"--only {o}: no notebook matches; notebooks: {string.Join(", ", all.Select(Path.GetFileNameWithoutExtension))}");
            chosen.AddRange(match);
        }
        return chosen.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Run the chosen notebooks and write the outputs (see the class summary); progress lines go to <paramref name="progress"/>.</summary>
    public static async Task<ReproduceResult> RunAsync(ReproduceOptions o, TextWriter progress)
    {
        try { return await RunCoreAsync(o, progress).ConfigureAwait(false); }
        finally { Figures.ImageRenderer.Shutdown(); } // no browser outlives the run
    }

    private static async Task<ReproduceResult> RunCoreAsync(ReproduceOptions o, TextWriter progress)
    {
        var sw = Stopwatch.StartNew();
        var parameters = new List<KeyValuePair<string, string>>(o.Parameters ?? []);
        string? dataFull = null;
        if (o.DataPath is not null)
        {
            dataFull = Path.GetFullPath(o.DataPath);
            if (!File.Exists(dataFull)) throw new InputException($"--data {o.DataPath}: file not found ({dataFull})");
        }
        var results = new List<NotebookResult>();
        var notebooks = Notebooks(o.RepoRoot, o.Only);
        if (o.RenderImages) Figures.ImageRenderer.WarmUp();
        foreach (var nb in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(nb);
            progress.WriteLine($"{name}: running");
            var p = new List<KeyValuePair<string, string>>(parameters);
            if (dataFull is not null)
                p.Add(new("dataPath", Path.GetRelativePath(Path.GetDirectoryName(nb)!, dataFull).Replace('\\', '/')));
            var r = await NotebookRunner.RunAsync(new NotebookRunOptions(nb, o.OutputRoot, p, o.RenderImages), progress).ConfigureAwait(false);
            results.Add(r);
            if (!r.Succeeded)
            {
                progress.WriteLine($"{name}: FAILED after {r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
                return new ReproduceResult(results, sw.Elapsed);
            }
            AtomicFile.WriteAllText(Path.Combine(o.OutputRoot, "notebooks", name + ".ipynb"), r.Json);
            progress.WriteLine($"{name}: done in {r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, {r.Artifacts.Count} outputs");
        }
        if (o.BuildSite) SiteBuilder.Build(o.OutputRoot);
        Manifest.Write(o.RepoRoot, o.OutputRoot, results);
        return new ReproduceResult(results, sw.Elapsed);
    }
}
