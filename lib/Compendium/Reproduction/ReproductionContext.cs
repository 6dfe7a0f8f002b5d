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
public sealed class ReproductionContext
{
    private static ReproductionContext? _current;
    private readonly List<Artifact> _artifacts = [];

    /// <summary>A context writing under <paramref name="outputRoot"/>; images only if asked for and Chromium is installed.</summary>
    /// <param name="outputRoot">The folder holding tables/, figures/ and results/.</param>
    /// <param name="renderImages">Make SVG/PNG images (when Chromium is installed).</param>
    /// <param name="interactive">An interactive session (VS Code, Jupyter), where cells are rerun in one kernel, rather than one headless run.</param>
    public ReproductionContext(string outputRoot, bool renderImages, bool interactive = false)
    {
        OutputRoot = Path.GetFullPath(outputRoot);
        RenderImages = renderImages && ImageRenderer.IsAvailable;
        Interactive = interactive;
    }

    /// <summary>An interactive session (cells rerun in one kernel) rather than one headless run.</summary>
    public bool Interactive { get; }

    /// <summary>The results recorded in this context so far, by section (see <see cref="Report.Record(string, string, RecordedResult)"/>).</summary>
    internal Dictionary<string, (DataSource Data, SortedDictionary<string, RecordedResult> Records)> Recorded { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder holding tables/ and figures/.</summary>
    public string OutputRoot { get; }

    /// <summary>Whether SVG/PNG images are made (needs Chromium).</summary>
    public bool RenderImages { get; }

    /// <summary>The panel's provenance, set by <see cref="Report.UseData"/>.</summary>
    public DataSource? Data { get; internal set; }

    /// <summary>The tables and figures saved so far, in order.</summary>
    public IReadOnlyList<Artifact> Artifacts => _artifacts;

    internal void Add(Artifact a)
    {
        if (_artifacts.Any(x => x.Kind == a.Kind && x.Id == a.Id))
            throw new InvalidOperationException($"{a.Kind} '{a.Id}' saved twice in one run; give each {a.Kind} its own id");
        _artifacts.Add(a);
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
