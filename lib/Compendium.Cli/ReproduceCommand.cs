using System.Globalization;
using Compendium.Reproduction;
using Compendium.Data;

namespace Compendium.Cli;

/// <summary><c>compendium reproduce</c>: rerun the notebooks and rewrite output/.</summary>
public sealed class ReproduceCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "reproduce";
    /// <inheritdoc/>
    public string Summary => "run the notebooks headless; write output/ (notebooks, tables, figures, site, manifest)";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium reproduce [--only NAME]... [--data PATH] [--param name=value]... [--out DIR] [--no-images]

        Runs notebooks/*.ipynb in file-name order, each in a fresh C# kernel, and writes
        output/notebooks/*.ipynb (executed), output/tables/, output/figures/, output/site/ and
        output/manifest.json. Stops at the first failing cell (exit 1) naming notebook, cell and error.

          --only NAME        run only notebooks whose name starts with NAME (repeatable), e.g. --only 01
          --data PATH        run every notebook on this panel CSV (its dataPath parameter) instead of
                             the synthetic panel; tables then carry the "Author's data" banner
          --param name=value override a parameters-cell value in every notebook that declares it
                             (repeatable), e.g. --param timing=alternative
          --out DIR          write here instead of <root>/output
          --no-images        skip SVG/PNG figures (no Chromium needed)
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["no-images"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var only = args.All("only");
        var data = args.Option("data");
        var parameters = args.All("param").Select(p =>
        {
            var eq = p.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--param '{p}': expected name=value");
            return KeyValuePair.Create(p[..eq], p[(eq + 1)..]);
        }).ToList();
        var root = RepoRoot.Find();
        var outDir = args.Option("out") is { } o ? Path.GetFullPath(o) : Path.Combine(root, "output");
        var images = !args.Flag("no-images");
        args.EnsureAllUsed();
        if (parameters.Any(p => p.Key == "dataPath") && data is not null)
            throw new UsageException("give the data either with --data or with --param dataPath=..., not both");

        var result = Reproducer.RunAsync(new ReproduceOptions(root, outDir, only, data, parameters, images), stdout).GetAwaiter().GetResult();
        if (result.Failure is { } f)
        {
            stderr.WriteLine($"error: notebook {f}");
            return 1;
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reproduced {result.Notebooks.Count} notebook(s), {result.Notebooks.Sum(n => n.Artifacts.Count(a => a.Kind is "table" or "figure"))} tables/figures in {result.Elapsed.TotalSeconds:F1} s -> {Path.GetRelativePath(root, outDir)}/"));
        return 0;
    }
}
