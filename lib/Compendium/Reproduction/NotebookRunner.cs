using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Compendium.Econometrics;
using Documents = Microsoft.DotNet.Interactive.Documents;

namespace Compendium.Reproduction;

/// <summary>What to run and how.</summary>
/// <param name="NotebookPath">The source .ipynb.</param>
/// <param name="OutputRoot">Where <see cref="Report"/> writes tables and figures (the run's output/ folder).</param>
/// <param name="Parameters">Overrides of the parameters cell, applied in order (see <see cref="NotebookParameters"/>).</param>
/// <param name="RenderImages">Make SVG/PNG figures (when Chromium is installed).</param>
/// <param name="Shown">For some overridden parameters, the value the executed notebook (and the result's
/// <see cref="NotebookResult.Parameters"/>) shows instead of the value run: a data file outside the
/// repository runs from its full path but is shown as the user typed it, so no output carries an
/// absolute path of this machine. The injected cell says so in a comment.</param>
/// <param name="ShownPaths">Full path of a data file → what banners and tables call it (see <see cref="DataSource.DisplayPath"/>).</param>
/// <param name="RunAll">How many times to run every cell in the same kernel, as an author pressing "Run All"
/// again in VS Code or Jupyter; above 1 the session is interactive (a rerun replaces saved outputs, see
/// <see cref="ReproductionContext"/>) and the result is the last pass.</param>
public sealed record NotebookRunOptions(
    string NotebookPath,
    string OutputRoot,
    IReadOnlyList<KeyValuePair<string, string>>? Parameters = null,
    bool RenderImages = true,
    IReadOnlyDictionary<string, string>? Shown = null,
    IReadOnlyDictionary<string, string>? ShownPaths = null,
    int RunAll = 1);

/// <summary>Where and why a notebook stopped.</summary>
/// <param name="Notebook">Notebook name (file name without extension).</param>
/// <param name="CellId">Id of the failing cell.</param>
/// <param name="Message">The error as the kernel reported it.</param>
/// <param name="CellNumber">1-based position of the failing cell in the source notebook (markdown cells count).</param>
public sealed record NotebookFailure(string Notebook, int CellNumber, string CellId, string Message)
{
    /// <summary>"notebook, cell N (id ID): message".</summary>
    public override string ToString() => $"{Notebook}, cell {CellNumber} (id {CellId}): {Message}";
}

/// <summary>An executed notebook: its cells with outputs, the nbformat JSON, what it saved, and timing.</summary>
public sealed record NotebookResult(
    string Name,
    IReadOnlyList<NotebookCell> Cells,
    string Json,
    IReadOnlyList<Artifact> Artifacts,
    DataSource? Data,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    NotebookFailure? Failure,
    TimeSpan Elapsed)
{
    /// <summary>True when every cell ran without error (<see cref="Failure"/> is null).</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Runs a Polyglot (.NET Interactive) C# notebook headless and in-process, as a reviewer would run
/// it top to bottom: a fresh <see cref="CompositeKernel"/> with one C# kernel per notebook, working
/// directory = the notebook's folder, invariant culture, cells in order, stopping at the first
/// failing cell. Kernel events become Jupyter outputs: standard output/error → stream,
/// return values → execute_result, displays → display_data (updates replace the output they
/// update), failures → error (message only, no stack trace).
/// </summary>
/// <remarks>
/// Library reference: notebooks load the library with <c>#r "../lib/Compendium/bin/Debug/net10.0/Compendium.dll"</c>
/// (and Plotly.NET.dll / Plotly.NET.CSharp.dll from the same folder when they build charts), so they
/// open as they are in VS Code after <c>dotnet build</c>. In-process the library is already loaded
/// (perhaps from a Release build), so the runner compiles each <c>#r</c> of a file under
/// <c>lib/Compendium/bin/*/net*/</c> against the same file name in the loaded library's folder
/// instead; the written notebook keeps the original lines. Runs are serialised: the working directory,
/// culture and <see cref="ReproductionContext"/> are process-wide.
/// </remarks>
public static partial class NotebookRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [GeneratedRegex(@"^(?<pre>\s*#r\s+"")(?<path>[^""]*lib/Compendium/bin/[^""/]+/net[^""/]+/(?<file>[^""/]+\.dll))(?<post>""\s*)$", RegexOptions.Multiline)]
    private static partial Regex LibraryReference();

    /// <summary>The folder of the loaded Compendium.dll, which holds its dependencies too (CopyLocalLockFileAssemblies).</summary>
    private static string LibraryFolder => Path.GetDirectoryName(typeof(Report).Assembly.Location)!;

    /// <summary>Run one notebook. Progress lines (cell, elapsed) go to <paramref name="progress"/>.</summary>
    public static async Task<NotebookResult> RunAsync(NotebookRunOptions options, TextWriter? progress = null)
    {
        var path = Path.GetFullPath(options.NotebookPath);
        var name = Path.GetFileNameWithoutExtension(path);
        if (!File.Exists(path)) throw new InputException($"notebook '{options.NotebookPath}' not found");
        var parameters = options.Parameters ?? [];
        var shown = options.Shown ?? new Dictionary<string, string>();
        if (options.RunAll < 1) throw new ArgumentOutOfRangeException(nameof(options), "RunAll must be at least 1");
        var (cells, metadata) = Read(path);
        // The executed notebook shows the injected cell with the shown values; the kernel runs the real ones.
        string? injectedRun = InjectedSource(name, cells, parameters, new Dictionary<string, string>());
        cells = InjectParameters(name, cells, parameters, shown);
        var shownParameters = parameters.Select(p => shown.TryGetValue(p.Key, out var v) ? KeyValuePair.Create(p.Key, v) : p).ToList();

        await Gate.WaitAsync().ConfigureAwait(false);
        var savedDir = Environment.CurrentDirectory;
        var savedCulture = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        var context = new ReproductionContext(options.OutputRoot, options.RenderImages, interactive: options.RunAll > 1, options.ShownPaths);
        var total = Stopwatch.StartNew();
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(path)!;
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
            using var _ = ReproductionContext.Use(context);
            Formatter.ResetToDefault();
            Formatter.SetPreferredMimeTypesFor(typeof(object), "text/html", "text/plain");
            using var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
            kernel.DefaultKernelName = "csharp";

            var executed = new List<NotebookCell>();
            NotebookFailure? failure = null;
            int count = 0, codeCells = cells.Count(c => c.IsCode);
            for (int pass = 1; pass <= options.RunAll && failure is null; pass++)
            {
                executed.Clear();
                int codeIndex = 0;
                for (int i = 0; i < cells.Count; i++)
                {
                    var cell = cells[i];
                    if (!cell.IsCode || failure is not null) { executed.Add(cell); continue; }
                    codeIndex++;
                    var sw = Stopwatch.StartNew();
                    var source = cell.Id == NotebookParameters.InjectedId && injectedRun is not null ? injectedRun : cell.Source;
                    var code = LibraryReference().Replace(source, m => m.Groups["pre"].Value + Path.Combine(LibraryFolder, m.Groups["file"].Value) + m.Groups["post"].Value);
                    var result = await kernel.SendAsync(new SubmitCode(code)).ConfigureAwait(false);
                    var (outputs, error) = MapEvents(result.Events, ++count);
                    executed.Add(cell with { ExecutionCount = count, Outputs = outputs });
                    progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name}  {(options.RunAll > 1 ? $"pass {pass}, " : "")}cell {codeIndex,2}/{codeCells} ({cell.Id})  {sw.Elapsed.TotalSeconds,6:F2} s{(error is null ? "" : "  FAILED")}"));
                    if (error is not null)
                        failure = new NotebookFailure(name, SourcePosition(cells, i), cell.Id, options.RunAll > 1 ? $"(Run All pass {pass}) {error}" : error);
                }
            }
            var json = JupyterWriter.Write(executed, metadata);
            return new NotebookResult(name, executed, json, context.Artifacts.ToList(), context.Data, shownParameters, failure, total.Elapsed);
        }
        finally
        {
            Environment.CurrentDirectory = savedDir;
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = savedCulture;
            Formatter.ResetToDefault();
            Gate.Release();
        }
    }

    /// <summary>Position of cell <paramref name="i"/> in the source notebook (the injected cell is not in it).</summary>
    private static int SourcePosition(IReadOnlyList<NotebookCell> cells, int i) =>
        cells.Take(i + 1).Count(c => c.Id != NotebookParameters.InjectedId);

    /// <summary>Read a notebook's cells and metadata (Microsoft.DotNet.Interactive.Documents).</summary>
    public static (List<NotebookCell> Cells, JsonObject Metadata) Read(string path)
    {
        var kernels = new KernelInfoCollection { new Documents.KernelInfo("csharp", "C#", ["c#", "C#"]) };
        kernels.DefaultKernelName = "csharp";
        InteractiveDocument doc;
        try { doc = Documents.Jupyter.Notebook.Parse(File.ReadAllText(path), kernels); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InputException($"notebook '{path}' is not a valid .ipynb: {e.Message}");
        }
        var cells = new List<NotebookCell>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Elements.Count; i++)
        {
            var e = doc.Elements[i];
            var id = string.IsNullOrEmpty(e.Id) ? $"cell-{i + 1}" : e.Id;
            if (!ids.Add(id)) throw new InputException($"notebook '{path}': cell {i + 1} repeats the cell id '{id}'");
            var meta = ToJsonObject(e.Metadata);
            var kind = e.KernelName == "markdown" ? "markdown" : "code";
            if (kind == "code" && e.KernelName is not ("csharp" or "C#" or "c#" or null))
                throw new InputException($"notebook '{path}': cell {i + 1} (id {id}) uses kernel '{e.KernelName}'; the compendium runs C# cells only");
            cells.Add(new NotebookCell(id, kind, e.Contents, meta, null, []));
        }
        return (cells, ToJsonObject(doc.Metadata));
    }

    private static JsonObject ToJsonObject(IDictionary<string, object>? d)
    {
        if (d is null) return new JsonObject();
        var node = JsonSerializer.SerializeToNode(d) as JsonObject ?? new JsonObject();
        return (JsonObject)JupyterWriter.Sorted(node)!;
    }

    /// <summary>The declarations of a notebook's parameters cell (empty when it has none); an <see cref="InputException"/> when several cells are tagged.</summary>
    public static IReadOnlyList<NotebookParameter> DeclaredParameters(string notebook, IReadOnlyList<NotebookCell> cells) =>
        ParametersCell(notebook, cells) is { } pc ? NotebookParameters.Parse(pc.Cell.Source) : [];

    private static (NotebookCell Cell, int At)? ParametersCell(string notebook, IReadOnlyList<NotebookCell> cells)
    {
        var paramCells = cells.Select((c, i) => (c, i)).Where(x => x.c.IsCode && x.c.Tags.Contains(NotebookParameters.Tag)).ToList();
        if (paramCells.Count > 1) throw new InputException($"{notebook}: {paramCells.Count} cells are tagged 'parameters'; tag one");
        return paramCells.Count == 0 ? null : paramCells[0];
    }

    /// <summary>The injected cell's source for <paramref name="overrides"/> (null when there is nothing to inject), with <paramref name="shown"/> values in place of the real ones.</summary>
    private static string? InjectedSource(string notebook, IReadOnlyList<NotebookCell> cells, IReadOnlyList<KeyValuePair<string, string>> overrides, IReadOnlyDictionary<string, string> shown)
    {
        var pc = ParametersCell(notebook, cells);
        if (overrides.Count == 0) return null;
        if (pc is null) throw new InputException($"{notebook}: parameters given ({string.Join(", ", overrides.Select(o => o.Key))}) but no cell is tagged 'parameters'");
        var declared = NotebookParameters.Parse(pc.Value.Cell.Source);
        // An override that names a parameter this notebook lacks is an error, except dataPath (the
        // --data option applies to every notebook; one without data simply has nothing to override).
        var applicable = overrides.Where(o => o.Key != "dataPath" || declared.Any(d => d.Name == "dataPath")).ToList();
        if (applicable.Count == 0) return null;
        var source = NotebookParameters.InjectedSource(notebook, declared,
            applicable.Select(o => shown.TryGetValue(o.Key, out var v) ? KeyValuePair.Create(o.Key, v) : o));
        var notes = applicable.Where(o => shown.ContainsKey(o.Key)).Select(o => o.Key).ToList();
        if (notes.Count > 0)
            source += $"// {string.Join(", ", notes)}: shown as given on the command line; the run used the file's full path, which outputs do not record.\n";
        return source;
    }

    private static List<NotebookCell> InjectParameters(string notebook, List<NotebookCell> cells, IReadOnlyList<KeyValuePair<string, string>> overrides, IReadOnlyDictionary<string, string> shown)
    {
        var source = InjectedSource(notebook, cells, overrides, shown);
        if (source is null) return cells;
        var (pc, at) = ParametersCell(notebook, cells)!.Value;
        var meta = (JsonObject)pc.Metadata.DeepClone();
        meta["tags"] = new JsonArray(NotebookParameters.InjectedTag);
        var injected = new NotebookCell(NotebookParameters.InjectedId, "code", source, (JsonObject)JupyterWriter.Sorted(meta)!, null, []);
        var result = new List<NotebookCell>(cells);
        result.Insert(at + 1, injected);
        return result;
    }

    /// <summary>Turn one submission's events into outputs; the error message if it failed.</summary>
    private static (List<NotebookOutput>, string?) MapEvents(IEnumerable<KernelEvent> events, int executionCount)
    {
        var outputs = new List<NotebookOutput>();
        var byValueId = new Dictionary<string, int>(StringComparer.Ordinal);
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced so: AppendStream(outputs, "stdout", Text(so.FormattedValues)); break;
                case StandardErrorValueProduced se: AppendStream(outputs, "stderr", Text(se.FormattedValues)); break;
                case ReturnValueProduced rv:
                    outputs.Add(new NotebookOutput("execute_result", Data: Data(rv.FormattedValues), Metadata: Meta(rv.ValueId), ExecutionCount: executionCount));
                    break;
                case DisplayedValueUpdated du when du.ValueId is not null && byValueId.TryGetValue(du.ValueId, out var at):
                    outputs[at] = outputs[at] with { Data = Data(du.FormattedValues) };
                    break;
                case DisplayedValueProduced dp:
                    if (dp.ValueId is not null) byValueId[dp.ValueId] = outputs.Count;
                    outputs.Add(new NotebookOutput("display_data", Data: Data(dp.FormattedValues), Metadata: Meta(dp.ValueId)));
                    break;
                case CommandFailed cf:
                    error = ErrorMessage(cf);
                    outputs.Add(new NotebookOutput("error", ErrorName: cf.Exception?.GetType().Name ?? "CompilationError", ErrorValue: error));
                    break;
            }
        }
        return (outputs, error);
    }

    private static void AppendStream(List<NotebookOutput> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is { OutputType: "stream" } last && last.Name == name)
            outputs[^1] = last with { Text = last.Text + text };
        else
            outputs.Add(new NotebookOutput("stream", Name: name, Text: text));
    }

    private static string Text(IEnumerable<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static Dictionary<string, object> Data(IEnumerable<FormattedValue> values)
    {
        var d = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v.MimeType is null || d.ContainsKey(v.MimeType)) continue;
            d[v.MimeType] = Regex.IsMatch(v.MimeType, @"^application/(.*\+)?json$") && JsonNode.Parse(v.Value) is { } n ? n : (object)v.Value;
        }
        return d;
    }

    /// <summary>Tables and figures saved through <see cref="Report"/> are marked so the site and the contents page can find them.</summary>
    private static JsonObject? Meta(string? valueId)
    {
        if (valueId is null || !valueId.StartsWith("compendium:", StringComparison.Ordinal)) return null;
        var parts = valueId.Split(':', 3);
        var artifact = ReproductionContext.Current.Artifacts.FirstOrDefault(a => a.Kind == parts[1] && a.Id == parts[2]);
        return new JsonObject
        {
            ["compendium"] = new JsonObject
            {
                ["files"] = new JsonArray((artifact?.Files ?? []).Select(f => (JsonNode)("output/" + f)).ToArray()),
                ["id"] = parts[2],
                ["kind"] = parts[1],
                ["title"] = artifact?.Title ?? "",
            },
        };
    }

    private static string ErrorMessage(CommandFailed cf)
    {
        var ex = cf.Exception;
        while (ex is AggregateException or System.Reflection.TargetInvocationException && ex.InnerException is not null) ex = ex.InnerException;
        var msg = ex is not null ? $"{ex.GetType().Name}: {ex.Message}" : cf.Message;
        // Keep the message, drop stack frames and compiler-generated submission names.
        var lines = msg.Replace("\r\n", "\n").Split('\n').Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.Contains("--- End of", StringComparison.Ordinal));
        return Regex.Replace(string.Join("\n", lines).Trim(), @"Submission#\d+", "Submission");
    }
}
