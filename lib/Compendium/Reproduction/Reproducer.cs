using System.Diagnostics;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>What <see cref="Reproducer.RunAsync"/> does.</summary>
/// <param name="RepoRoot">The compendium's root (holds Compendium.sln, notebooks/, data/).</param>
/// <param name="OutputRoot">Where to write (normally RepoRoot/output; tests use a temporary folder).</param>
/// <param name="Only">Notebook names or prefixes to run (e.g. <c>01</c> or <c>01_sample_and_policy</c>); empty = all.</param>
/// <param name="DataPath">An author's panel to run every notebook on (overrides the <c>dataPath</c> parameter of every notebook that declares it), as the user typed it (relative to the current directory).</param>
/// <param name="Parameters">name=value overrides, each applied to the selected notebooks that declare the name; one that none declares is an error (<see cref="ReproduceUsageException"/>).</param>
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
/// <param name="Notebooks">The notebooks run, in order (the last one failed when <see cref="Failure"/> is set).</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="Removed">Files (relative to the output root) the output folder held that this run no longer produces, now removed.</param>
public sealed record ReproduceResult(IReadOnlyList<NotebookResult> Notebooks, TimeSpan Elapsed, IReadOnlyList<string>? Removed = null)
{
    /// <summary>The first notebook failure, or null when every notebook succeeded.</summary>
    public NotebookFailure? Failure => Notebooks.Select(n => n.Failure).FirstOrDefault(f => f is not null);
}

/// <summary>A request <c>compendium reproduce</c> cannot carry out as given: a <c>--param</c> or <c>--data</c> that no selected notebook declares (a usage error, exit 2).</summary>
public sealed class ReproduceUsageException(string message) : InputException(message);

/// <summary>One notebook of a reproduction, with the overrides that apply to it.</summary>
/// <param name="Path">The source notebook.</param>
/// <param name="Parameters">The overrides it declares (values as run).</param>
/// <param name="Shown">Overrides shown differently from how they run (see <see cref="NotebookRunOptions.Shown"/>).</param>
public sealed record PlannedNotebook(string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, IReadOnlyDictionary<string, string> Shown)
{
    /// <summary>File name without extension.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
}

/// <summary>What a reproduction will run, after every check that can be made before running anything.</summary>
/// <param name="Notebooks">The notebooks, in order, with their overrides.</param>
/// <param name="Panels">The panel files the notebooks will read (as named in messages), each of which passed <see cref="PanelCheck"/>.</param>
/// <param name="ShownPaths">Full path of a data file → what outputs call it.</param>
public sealed record ReproductionPlan(IReadOnlyList<PlannedNotebook> Notebooks, IReadOnlyList<string> Panels, IReadOnlyDictionary<string, string> ShownPaths);

/// <summary>
/// <c>compendium reproduce</c>: runs the notebooks under notebooks/ in paper order (file-name
/// order: 01_…, 02_…), each in a fresh kernel, and writes output/notebooks/NAME.ipynb (executed),
/// the tables and figures the notebooks save, output/site/ and output/manifest.json.
/// </summary>
/// <remarks>
/// All or nothing. Before any notebook runs, <see cref="Plan"/> checks every <c>--param</c> against
/// the selected notebooks' parameters cells and its value against the declaration's type, and every
/// panel the notebooks will read through <see cref="PanelCheck"/> (what <c>compendium validate</c>
/// runs); <see cref="OutputFolder"/> then takes the output folder's lock and checks it is writable.
/// The notebooks write into a staging folder; only when every selected notebook succeeded does the
/// staged result replace the output folder's tables, figures, results, notebooks, site and manifest. On a
/// failure the output folder is byte-for-byte as before. A run of some notebooks (<c>--only</c>) keeps
/// the other notebooks' outputs as the previous manifest lists them (their recorded results are staged
/// before the run, so a summary run alone reads them); outputs that a rerun notebook no
/// longer saves (e.g. truth tables on an author's data) are removed with the manifest entries.
/// </remarks>
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

    /// <summary>
    /// The checks made before anything runs: notebooks exist, each override is declared by some
    /// selected notebook and has a value of the declared type, and every panel the notebooks will
    /// read passes <see cref="PanelCheck"/>. Throws <see cref="ReproduceUsageException"/> or
    /// <see cref="InputException"/>; progress lines go to <paramref name="progress"/>.
    /// </summary>
    public static ReproductionPlan Plan(ReproduceOptions o, TextWriter? progress = null)
    {
        var notebooks = Notebooks(o.RepoRoot, o.Only);
        var declared = notebooks.ToDictionary(nb => nb, nb =>
        {
            var name = Path.GetFileNameWithoutExtension(nb);
            return NotebookRunner.DeclaredParameters(name, NotebookRunner.Read(nb).Cells);
        });
        var overrides = (o.Parameters ?? []).ToList();
        string Declarations() => string.Join("; ", notebooks.Select(nb =>
            $"{Path.GetFileNameWithoutExtension(nb)}: {(declared[nb].Count == 0 ? "none" : string.Join(", ", declared[nb].Select(d => d.Name)))}"));
        foreach (var name in overrides.Select(p => p.Key).Distinct(StringComparer.Ordinal))
            if (!declared.Values.Any(d => d.Any(x => x.Name == name)))
                throw new ReproduceUsageException($"--param {name}: no selected notebook declares '{name}' in its parameters cell. Declared: {Declarations()}.");

        string? dataFull = null, dataShown = null;
        if (o.DataPath is not null)
        {
            if (overrides.Any(p => p.Key == DataPathParameter))
                throw new ReproduceUsageException("give the data either with --data or with --param dataPath=..., not both");
            if (!declared.Values.Any(d => d.Any(x => x.Name == DataPathParameter)))
                throw new ReproduceUsageException($"--data: no selected notebook has a '{DataPathParameter}' parameter. Declared: {Declarations()}.");
            dataFull = Path.GetFullPath(o.DataPath);
            // Inside the repository the notebook-relative path is portable and shown as run; outside
            // it the run needs the full path, and outputs show the path as typed instead.
            var rel = Path.GetRelativePath(o.RepoRoot, dataFull);
            if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
                dataShown = DataSource.OutputName(o.DataPath);
        }

        var planned = new List<PlannedNotebook>();
        var panels = new List<(string Full, string Named)>();
        foreach (var nb in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(nb);
            var dir = Path.GetDirectoryName(nb)!;
            var mine = overrides.Where(p => declared[nb].Any(d => d.Name == p.Key)).ToList();
            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            bool readsData = declared[nb].Any(d => d.Name == DataPathParameter);
            if (dataFull is not null && readsData)
            {
                var inRepo = dataShown is null;
                mine.Add(new(DataPathParameter, inRepo ? Path.GetRelativePath(dir, dataFull).Replace('\\', '/') : dataFull));
                if (!inRepo) shown[DataPathParameter] = dataShown!;
            }
            // Values are checked against the declarations now, not when the notebook's turn comes.
            NotebookParameters.InjectedSource(name, declared[nb], mine);
            planned.Add(new PlannedNotebook(nb, mine, shown));

            if (!readsData) continue;
            string? path = mine.LastOrDefault(p => p.Key == DataPathParameter).Value
                ?? StringLiteral(declared[nb].First(d => d.Name == DataPathParameter));
            if (path is null) continue; // declared as code: known only when the notebook runs
            var full = Path.GetFullPath(Path.Combine(dir, path));
            var named = full == dataFull ? o.DataPath! : Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
            if (!panels.Any(p => p.Full == full)) panels.Add((full, named));
        }

        foreach (var (full, named) in panels)
        {
            var panel = PanelCheck.Run(named, Path.Combine(o.RepoRoot, "data"));
            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{named}: passes the schema check ({panel.Summary.Rows} city-years, {panel.Summary.Cities} cities)"));
        }
        var shownPaths = dataFull is not null && dataShown is not null
            ? new Dictionary<string, string> { [dataFull] = dataShown } : new Dictionary<string, string>();
        return new ReproductionPlan(planned, panels.Select(p => p.Named).ToList(), shownPaths);
    }

    /// <summary>The parameter through which notebooks name their panel (set by <c>--data</c>).</summary>
    public const string DataPathParameter = "dataPath";

    /// <summary>The value of a string-literal declaration (<c>"…"</c> or <c>@"…"</c>), or null for any other expression.</summary>
    private static string? StringLiteral(NotebookParameter p) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(p.Literal) is Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax { Token.Value: string s } ? s : null;

    /// <summary>Run the chosen notebooks and write the outputs (see the class summary); progress lines go to <paramref name="progress"/>.</summary>
    public static async Task<ReproduceResult> RunAsync(ReproduceOptions o, TextWriter progress)
    {
        try { return await RunCoreAsync(o, progress).ConfigureAwait(false); }
        finally { Figures.ImageRenderer.Shutdown(); } // no browser outlives the run
    }

    /// <summary>How messages name a folder: relative to the repository when inside it, else its full path.</summary>
    private static string Named(string repoRoot, string full)
    {
        var rel = Path.GetRelativePath(repoRoot, full);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? full : rel.Replace('\\', '/');
    }

    private static async Task<ReproduceResult> RunCoreAsync(ReproduceOptions o, TextWriter progress)
    {
        var sw = Stopwatch.StartNew();
        var plan = Plan(o, progress);
        using var folder = OutputFolder.Open(o.OutputRoot, Named(o.RepoRoot, Path.GetFullPath(o.OutputRoot)));
        var previous = Manifest.Read(folder.Root);
        var current = folder.CurrentFiles();
        var results = new List<NotebookResult>();
        // The results of sections this run does not rerun are staged first, so that a summary run without
        // them (--only 14) reads them; a section's owner is the notebook that records it (ResultsCatalog).
        var selected = plan.Notebooks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var recorders = ResultsCatalog.RecordingNotebooks(Path.Combine(o.RepoRoot, "notebooks"));
        folder.Keep(current.Where(f => f.StartsWith("results/", StringComparison.Ordinal)
            && recorders.TryGetValue(Path.GetFileNameWithoutExtension(f), out var owner) && !selected.Contains(owner)));
        if (o.RenderImages) Figures.ImageRenderer.WarmUp();
        foreach (var nb in plan.Notebooks)
        {
            progress.WriteLine($"{nb.Name}: running");
            var r = await NotebookRunner.RunAsync(new NotebookRunOptions(nb.Path, folder.Staging, nb.Parameters, o.RenderImages, nb.Shown, plan.ShownPaths), progress).ConfigureAwait(false);
            results.Add(r);
            if (!r.Succeeded)
            {
                progress.WriteLine($"{nb.Name}: FAILED after {r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
                return new ReproduceResult(results, sw.Elapsed); // disposing the folder drops the staged files
            }
            AtomicFile.WriteAllText(Path.Combine(folder.Staging, "notebooks", r.Name + ".ipynb"), r.Json);
            progress.WriteLine($"{nb.Name}: done in {r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, {r.Artifacts.Count} outputs");
        }

        // Outputs of notebooks this run did not select stay as the previous manifest lists them.
        var run = results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var existing = Notebooks(o.RepoRoot).Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var kept = (previous ?? []).Where(e => !run.Contains(e.Name) && existing.Contains(e.Name)).ToList();
        var staged = folder.StagedFiles().ToHashSet(StringComparer.Ordinal);
        folder.Keep(previous is not null
            ? kept.SelectMany(e => e.Files(current))
            // No readable manifest: which notebook made which file is unknown, so a partial run keeps every other output.
            : o.Only is { Count: > 0 } ? current.Where(f => !staged.Contains(f) && !f.StartsWith("site/", StringComparison.Ordinal) && f != Manifest.FileName
                && !run.Any(n => f == $"notebooks/{n}.ipynb")) : []);
        if (o.BuildSite) SiteBuilder.Build(folder.Staging);
        Manifest.Write(o.RepoRoot, folder.Staging, [.. kept, .. results.Select(ManifestNotebook.Of)]);
        var removed = folder.Commit();
        foreach (var f in removed) progress.WriteLine($"removed {f} (no longer produced)");
        return new ReproduceResult(results, sw.Elapsed, removed);
    }
}
