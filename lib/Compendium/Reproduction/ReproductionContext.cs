using Compendium.Figures;
using Compendium.Data;

namespace Compendium.Reproduction;

/// <summary>One table or figure a notebook saved.</summary>
/// <param name="Kind"><c>table</c> or <c>figure</c>.</param>
/// <param name="Id">The id the notebook gave it (file stem).</param>
/// <param name="Title">Caption or figure title.</param>
/// <param name="Files">Written files, relative to the output root, with forward slashes.</param>
public sealed record Artifact(string Kind, string Id, string Title, IReadOnlyList<string> Files);

/// <summary>
/// Where <see cref="Report"/> writes and what it has written. The headless runner installs one per
/// notebook (<see cref="Use"/>); when a notebook runs interactively (VS Code, Jupyter) there is
/// none, and the first call to <see cref="Current"/> makes the default: the repository's
/// <c>output/</c> folder found from the working directory, images when Chromium is installed,
/// and <see cref="Interactive"/> set.
/// </summary>
/// <remarks>
/// One headless run saves each id once: saving an id twice is a mistake in the notebook (two cells
/// would overwrite each other's files) and an error. An interactive session is different: an author
/// reruns a cell, or the whole notebook, in the same kernel, and each rerun replaces that cell's
/// outputs. The check runs before any file is written, so a refused save writes nothing.
/// </remarks>
public sealed class ReproductionContext
{
    private static ReproductionContext? _current;
    private readonly List<Artifact> _artifacts = [];
    private readonly IReadOnlyDictionary<string, string> _shownPaths;

    /// <summary>A context writing under <paramref name="outputRoot"/>; images only if asked for and Chromium is installed.</summary>
    /// <param name="outputRoot">The folder holding tables/, figures/ and results/.</param>
    /// <param name="renderImages">Make SVG/PNG images (when Chromium is installed).</param>
    /// <param name="interactive">An interactive session: saving an id again replaces it (see the remarks).</param>
    /// <param name="shownPaths">Full path of a data file → what outputs call it (the path the user typed; see <see cref="DataSource.DisplayPath"/>).</param>
    public ReproductionContext(string outputRoot, bool renderImages, bool interactive = false, IReadOnlyDictionary<string, string>? shownPaths = null)
    {
        OutputRoot = Path.GetFullPath(outputRoot);
        RenderImages = renderImages && ImageRenderer.IsAvailable;
        Interactive = interactive;
        _shownPaths = shownPaths ?? new Dictionary<string, string>();
    }

    /// <summary>The results recorded in this context so far, by section (see <see cref="Report.Record(string, string, RecordedResult)"/>).</summary>
    internal Dictionary<string, (DataSource Data, SortedDictionary<string, RecordedResult> Records)> Recorded { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder holding tables/, figures/ and results/.</summary>
    public string OutputRoot { get; }

    /// <summary>Whether SVG/PNG images are made (needs Chromium).</summary>
    public bool RenderImages { get; }

    /// <summary>An interactive session (a rerun replaces a saved id or recorded result) rather than one headless run (an id is saved once).</summary>
    public bool Interactive { get; }

    /// <summary>The panel's provenance, set by <see cref="Report.UseData"/>.</summary>
    public DataSource? Data { get; internal set; }

    /// <summary>The tables and figures saved so far, in order.</summary>
    public IReadOnlyList<Artifact> Artifacts => _artifacts;

    /// <summary>What outputs call the data file at <paramref name="fullPath"/>, when the runner was told (else null).</summary>
    public string? ShownPath(string fullPath) => _shownPaths.TryGetValue(fullPath, out var s) ? s : null;

    /// <summary>Refuse a second save of <paramref name="id"/> in one headless run; call before writing anything.</summary>
    internal void CheckNew(string kind, string id)
    {
        if (!Interactive && _artifacts.Any(x => x.Kind == kind && x.Id == id))
            throw new InvalidOperationException($"{kind} '{id}' saved twice in one run; give each {kind} its own id");
    }

    internal void Add(Artifact a)
    {
        CheckNew(a.Kind, a.Id);
        var at = _artifacts.FindIndex(x => x.Kind == a.Kind && x.Id == a.Id);
        if (at >= 0) _artifacts[at] = a; else _artifacts.Add(a);
    }

    /// <summary>The context in force (the runner's, or the interactive default).</summary>
    public static ReproductionContext Current =>
        _current ??= new ReproductionContext(Path.Combine(RepoRoot.Find(), "output"), renderImages: true, interactive: true);

    /// <summary>Install <paramref name="context"/> until the returned handle is disposed.</summary>
    public static IDisposable Use(ReproductionContext context)
    {
        var previous = _current;
        _current = context;
        return new Restore(() => _current = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
