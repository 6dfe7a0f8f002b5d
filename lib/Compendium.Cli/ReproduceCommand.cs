using System.CommandLine;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Reproduction;
using Compendium.Data;

namespace Compendium.Cli;

/// <summary><c>compendium reproduce</c>: rerun the notebooks and rewrite output/, all at once or not at all.</summary>
public sealed class ReproduceCommand : CommandDefinition
{
    private readonly Option<string[]> _only = Repeatable("--only", "run only notebooks whose name starts with NAME (repeatable), e.g. --only 01; the other notebooks' outputs are kept", "NAME");
    private readonly Option<string> _data = Text("--data", "run every notebook that reads a panel (its dataPath parameter) on this .csv/.xlsx instead of the synthetic panel; tables then carry the \"Author's data\" banner", helpName: "PATH");
    private readonly Option<string[]> _param = Repeatable("--param", "override a parameters-cell value in the selected notebooks that declare it (repeatable), e.g. --param timing=alternative; a name no selected notebook declares is a usage error", "NAME=VALUE");
    private readonly Option<string> _out = Text("--out", "write here instead of <root>/output", helpName: "DIR");
    private readonly Option<bool> _noImages = Flag("--no-images", "skip SVG/PNG figures (no Chromium needed)");

    /// <inheritdoc/>
    public override string Name => "reproduce";
    /// <inheritdoc/>
    public override string Summary => "run the notebooks headless; write output/ (notebooks, tables, figures, results, site, manifest) all at once or not at all";
    /// <inheritdoc/>
    public override string Details => """
        Runs notebooks/*.ipynb in file-name order, each in a fresh C# kernel, and writes
        output/notebooks/*.ipynb (executed), output/tables/, output/figures/, output/results/ (what
        the summary of the claims reads), output/site/ and
        output/manifest.json.

        All or nothing: before any notebook runs, every --param is checked against the notebooks'
        parameters cells, every panel the notebooks will read goes through the checks of
        'compendium validate', and the output folder is locked. The notebooks write into a staging
        folder, which replaces the output folder's contents only when every notebook succeeded; on a
        failure (exit 1, naming notebook, cell and error) the output folder is left as it was.
        Outputs a run no longer makes are removed from the folder and the manifest.
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_only, _data, _param, _out, _noImages];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var only = parse.GetValue(_only) ?? [];
        var data = parse.GetValue(_data);
        var parameters = (parse.GetValue(_param) ?? []).Select(p =>
        {
            var eq = p.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--param '{p}': expected name=value");
            return KeyValuePair.Create(p[..eq], p[(eq + 1)..]);
        }).ToList();
        var root = RepoRoot.Find();
        var outOption = parse.GetValue(_out);
        var outDir = outOption is { } o ? Path.GetFullPath(o) : Path.Combine(root, "output");
        var shownOut = outOption ?? Path.GetRelativePath(root, outDir);
        var images = !parse.GetValue(_noImages);
        if (parameters.Any(p => p.Key == Reproducer.DataPathParameter) && data is not null)
            throw new UsageException("give the data either with --data or with --param dataPath=..., not both");

        ReproduceResult result;
        try
        {
            result = Reproducer.RunAsync(new ReproduceOptions(root, outDir, only, data, parameters, images), stdout).GetAwaiter().GetResult();
        }
        catch (ReproduceUsageException e)
        {
            throw new UsageException(e.Message);
        }
        catch (InputException e)
        {
            throw new InputException($"{e.Message}\n{shownOut}/ was not changed.", e);
        }
        if (result.Failure is { } f)
        {
            stderr.WriteLine($"error: notebook {f}");
            stderr.WriteLine($"{shownOut}/ was not changed: a reproduction replaces its outputs only when every notebook succeeds.");
            return 1;
        }
        var removed = result.Removed?.Count ?? 0;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reproduced {result.Notebooks.Count} notebook(s), {result.Notebooks.Sum(n => n.Artifacts.Count(a => a.Kind is "table" or "figure"))} tables/figures in {result.Elapsed.TotalSeconds:F1} s -> {shownOut}/{(removed > 0 ? $" ({removed} stale file(s) removed)" : "")}"));
        return 0;
    }
}
