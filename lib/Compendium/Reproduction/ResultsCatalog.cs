using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compendium.Econometrics;

namespace Compendium.Reproduction;

/// <summary>Whether a piece of evidence could be read.</summary>
public enum EvidenceStatus
{
    /// <summary>The section ran and recorded the key.</summary>
    Found,
    /// <summary>No notebook records the section yet: it has not landed in the compendium.</summary>
    Pending,
    /// <summary>The section ran but did not record this key (e.g. a result it could not compute on these data).</summary>
    NotRecorded,
}

/// <summary>One recorded result the summary asked for, or why it is not there.</summary>
/// <typeparam name="T">The kind of result expected.</typeparam>
/// <param name="Section">The section asked.</param>
/// <param name="Key">The key asked.</param>
/// <param name="Status">Found, pending (section not landed) or not recorded.</param>
/// <param name="Result">The result when found.</param>
/// <param name="Notebook">The notebook that records the section (file name without extension), when there is one.</param>
public sealed record Evidence<T>(string Section, string Key, EvidenceStatus Status, T? Result, string? Notebook) where T : RecordedResult
{
    /// <summary>Where the number comes from: <c>NOTEBOOK (TABLE)</c>, or the section name when it has not landed.</summary>
    public string Source => Notebook is null ? $"{Section} (not yet in the compendium)"
        : Result?.Table is { } t ? $"{Notebook} ({t})" : Notebook;

    /// <summary>Why there is no result, in words (null when found).</summary>
    public string? Missing => Status switch
    {
        EvidenceStatus.Pending => $"section '{Section}' has not landed (no notebook records it yet)",
        EvidenceStatus.NotRecorded => $"{Notebook} did not record '{Key}'",
        _ => null,
    };
}

/// <summary>
/// Every section's recorded results, as the summary of the claims reads them (<see cref="Report.ReadResults"/>).
/// A section is known from the notebooks: a notebook whose code calls <c>Report.Record("SECTION", …)</c>
/// (the section name as a string literal) records it. Then:
/// <list type="bullet">
/// <item>a section that some notebook records must have its file <c>output/results/SECTION.json</c>, else
/// <see cref="Load"/> fails with one message naming every such section (it did not run);</item>
/// <item>every file must come from the same data as the summary (same SHA-256), else it fails naming the sections;</item>
/// <item>a section that no notebook records is <see cref="EvidenceStatus.Pending"/>: the summary says which section is missing.</item>
/// </list>
/// </summary>
public sealed partial class ResultsCatalog
{
    [GeneratedRegex(@"Report\s*\.\s*Record\s*\(\s*""(?<section>[^""]*)""")]
    private static partial Regex RecordCall();

    private readonly ImmutableSortedDictionary<string, string> _notebooks;
    private readonly ImmutableSortedDictionary<string, SectionResults> _sections;

    private ResultsCatalog(ImmutableSortedDictionary<string, string> notebooks, ImmutableSortedDictionary<string, SectionResults> sections, ImmutableArray<string> ignored)
    {
        _notebooks = notebooks;
        _sections = sections;
        Ignored = ignored;
    }

    /// <summary>Section → the notebook that records it (file name without extension), for every section a notebook records.</summary>
    public IReadOnlyDictionary<string, string> Notebooks => _notebooks;

    /// <summary>The sections read, by name.</summary>
    public IReadOnlyDictionary<string, SectionResults> Sections => _sections;

    /// <summary>Results files that no notebook records (left over from a removed or renamed section); not read.</summary>
    public ImmutableArray<string> Ignored { get; }

    /// <summary>
    /// The sections the notebooks in <paramref name="notebooksDir"/> record (see the class summary), read
    /// from <paramref name="outputRoot"/>/results; an <see cref="InputException"/> naming every section
    /// that did not run or was run on other data than <paramref name="data"/>.
    /// </summary>
    /// <param name="notebooksDir">The compendium's notebooks/ folder.</param>
    /// <param name="outputRoot">The output folder holding results/.</param>
    /// <param name="data">The panel the summary reports on.</param>
    /// <param name="shownRoot">How messages name <paramref name="outputRoot"/> (e.g. <c>output</c>).</param>
    public static ResultsCatalog Load(string notebooksDir, string outputRoot, DataSource data, string shownRoot = "output")
    {
        var notebooks = RecordingNotebooks(notebooksDir);
        var problems = new List<string>();
        var notRun = new List<(string Section, string Notebook, string Shown)>();
        var sections = ImmutableSortedDictionary.CreateBuilder<string, SectionResults>(StringComparer.Ordinal);
        foreach (var (section, notebook) in notebooks)
        {
            var path = SectionResults.PathOf(outputRoot, section);
            var shown = $"{shownRoot}/results/{section}.json";
            if (!File.Exists(path)) { notRun.Add((section, notebook, shown)); continue; }
            var r = SectionResults.Read(path, shown);
            if (r.Section != section)
                problems.Add($"{shown} says it holds section '{r.Section}'");
            else if (r.Data.Sha256 != data.Sha256)
                problems.Add($"section '{section}' ({shown}) was computed on {r.Data.DisplayPath} (sha256 {r.Data.Sha256[..12]}), this summary reads {data.DisplayPath} (sha256 {data.Sha256[..12]}); rerun every notebook on the same data");
            else sections[section] = r;
        }
        if (notRun.Count > 0)
            problems.Insert(0, string.Join("; ", notRun.Select(n => $"section '{n.Section}' did not run: notebooks/{n.Notebook}.ipynb records it, but {n.Shown} is absent")) +
                ". The summary reads every section's results: run the whole reproduction (`compendium reproduce`), or those notebooks first (`compendium reproduce " +
                string.Join(" ", notRun.Select(n => "--only " + n.Notebook)) + "`)");
        if (problems.Count > 0)
            throw new InputException(string.Join("\n", problems.Select(p => p.TrimEnd('.') + ".")));

        var dir = Path.Combine(outputRoot, "results");
        var ignored = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(s => !notebooks.ContainsKey(s))
                .Order(StringComparer.Ordinal).Select(s => $"{shownRoot}/results/{s}.json").ToImmutableArray()
            : [];
        return new ResultsCatalog(notebooks, sections.ToImmutable(), ignored);
    }

    /// <summary>
    /// Section → notebook, from the <c>Report.Record("SECTION", …)</c> calls in the code cells of the
    /// notebooks in <paramref name="notebooksDir"/>; an <see cref="InputException"/> when two notebooks
    /// record the same section (each would overwrite the other's file).
    /// </summary>
    public static ImmutableSortedDictionary<string, string> RecordingNotebooks(string notebooksDir)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(notebooksDir)) return map.ToImmutableSortedDictionary(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(notebooksDir, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            foreach (var section in RecordedSections(path))
            {
                SectionResults.CheckName($"notebooks/{name}.ipynb: section", section);
                if (map.TryGetValue(section, out var other) && other != name)
                    throw new InputException($"section '{section}' is recorded by two notebooks, {other} and {name}; each section belongs to one notebook");
                map[section] = name;
            }
        }
        return map.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<string> RecordedSections(string notebookPath)
    {
        JsonNode? nb;
        try { nb = JsonNode.Parse(File.ReadAllText(notebookPath)); }
        catch (System.Text.Json.JsonException e) { throw new InputException($"notebook '{notebookPath}' is not valid JSON: {e.Message}"); }
        foreach (var cell in nb?["cells"] as JsonArray ?? [])
        {
            if (cell?["cell_type"]?.GetValue<string>() != "code") continue;
            var source = cell["source"] switch
            {
                JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>())),
                JsonValue v => v.GetValue<string>(),
                _ => "",
            };
            foreach (Match m in RecordCall().Matches(source)) yield return m.Groups["section"].Value;
        }
    }

    /// <summary>Whether some notebook records <paramref name="section"/> (it has landed).</summary>
    public bool Landed(string section) => _notebooks.ContainsKey(section);

    /// <summary>
    /// The result <paramref name="key"/> of <paramref name="section"/> as a <typeparamref name="T"/>, or why there is
    /// none; an <see cref="InputException"/> when it was recorded as another kind (the section and the summary disagree on the contract).
    /// </summary>
    public Evidence<T> Find<T>(string section, string key) where T : RecordedResult
    {
        if (!_notebooks.TryGetValue(section, out var notebook)) return new(section, key, EvidenceStatus.Pending, null, null);
        if (!_sections[section].Results.TryGetValue(key, out var r)) return new(section, key, EvidenceStatus.NotRecorded, null, notebook);
        static string A(string kind) => (kind.StartsWith('e') ? "an " : "a ") + kind;
        var expected = typeof(T) == typeof(RecordedEstimate) ? "estimate" : typeof(T) == typeof(RecordedTest) ? "test" : typeof(T) == typeof(RecordedValue) ? "value" : typeof(T).Name;
        return r is T t ? new(section, key, EvidenceStatus.Found, t, notebook)
            : throw new InputException($"{notebook} recorded '{section}/{key}' as {A(r.Kind)}; the summary expects {A(expected)}");
    }

    /// <summary>The keys of <paramref name="section"/> that start with <paramref name="prefix"/>, in ordinal order (none when the section has not landed).</summary>
    public IReadOnlyList<string> Keys(string section, string prefix = "") =>
        _sections.TryGetValue(section, out var s) ? s.Results.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList() : [];

    /// <summary>One line per section read (its notebook and number of results), and the files ignored.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (section, r) in _sections)
            sb.Append($"section {section}: {r.Results.Count} results from {_notebooks[section]}\n");
        foreach (var f in Ignored) sb.Append($"ignored {f}: no notebook records this section\n");
        return sb.ToString();
    }
}
