using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;
using Compendium.Econometrics;
using Compendium.Reproduction;
using Compendium.Tests.Notebooks;
using Compendium.Data;

namespace Compendium.Tests.Reproduction;

/// <summary>The runner on a small notebook made for the purpose (tests/…/Reproduction/smoke_notebook).</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookRunnerTests
{
    private static readonly string Root = RepoRoot.Find(AppContext.BaseDirectory);
    private static readonly string SmokeDir = Path.Combine(Root, "tests", "Compendium.Tests", "Reproduction", "smoke_notebook");
    private static readonly string Smoke = Path.Combine(SmokeDir, "smoke.ipynb");

    private static NotebookResult Run(string notebook, string outDir, params (string, string)[] parameters) =>
        NotebookRunner.RunAsync(new NotebookRunOptions(notebook, outDir, parameters.Select(p => KeyValuePair.Create(p.Item1, p.Item2)).ToList(), RenderImages: false))
            .GetAwaiter().GetResult();

    [Fact]
    public void RunsCellsInjectsParametersAndSavesOutputs()
    {
        var outDir = Temp.Dir();
        var r = Run(Smoke, outDir, ("n", "4"), ("label", "say \"hi\""));
        Assert.True(r.Succeeded, r.Failure?.ToString());

        // The injected cell follows the parameters cell, is tagged, and shows the values used.
        var ids = r.Cells.Select(c => c.Id).ToList();
        Assert.Equal(ids.IndexOf("parameters") + 1, ids.IndexOf(NotebookParameters.InjectedId));
        var injected = r.Cells.Single(c => c.Id == NotebookParameters.InjectedId);
        Assert.Contains(NotebookParameters.InjectedTag, injected.Tags);
        Assert.Contains("var n = 4;", injected.Source);
        Assert.Contains("var label = \"say \\\"hi\\\"\";", injected.Source);

        // Streams use the overridden values and invariant numbers.
        var stream = r.Cells.Single(c => c.Id == "stream");
        Assert.Equal("n = 4, label = say \"hi\"\n1234567.89\n", stream.Outputs.Single(o => o.OutputType == "stream").Text);
        var result = stream.Outputs.Single(o => o.OutputType == "execute_result");
        Assert.Equal("12.566370614359172", result.Data!["text/plain"]);

        // The table was written in four formats, with the synthetic-data banner as its first note.
        Assert.Equal(["tables/smoke_table.md", "tables/smoke_table.tex", "tables/smoke_table.csv", "tables/smoke_table.html"], r.Artifacts.Single(a => a.Id == "smoke_table").Files);
        var md = File.ReadAllText(Path.Combine(outDir, "tables", "smoke_table.md"));
        Assert.Contains("| row 4 | 2.00 |", md);
        Assert.Contains("SYNTHETIC DATA: tests/Compendium.Tests/Reproduction/smoke_notebook/data/panel.csv", md);
        Assert.Equal(DataKind.Synthetic, r.Data!.Kind);

        // The table's output is marked for the site's contents page; the figure JSON was written.
        var tableOut = r.Cells.Single(c => c.Id == "table").Outputs.Single();
        Assert.Equal("smoke_table", tableOut.Metadata!["compendium"]!["id"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "smoke_figure.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "smoke_figure.html")));

        // The written notebook keeps the original #r lines (not the runner's rewritten path).
        Assert.Contains("#r \\\"../../../../lib/Compendium/bin/Debug/net10.0/Compendium.dll\\\"", r.Json);
        AssertValidNotebook(r.Json);
    }

    [Fact]
    public void StopsAtTheFirstFailingCellAndNamesIt()
    {
        var dir = CopySmoke(source => source.Replace("Math.PI * n", "throw new InvalidOperationException(\\\"boom in cell\\\");"));
        var r = Run(Path.Combine(dir, "smoke.ipynb"), Temp.Dir());
        Assert.False(r.Succeeded);
        Assert.Equal(4, r.Failure!.CellNumber); // markdown + parameters + setup + stream
        Assert.Equal("stream", r.Failure.CellId);
        Assert.Contains("boom in cell", r.Failure.Message);
        Assert.DoesNotContain(" at ", r.Failure.Message);
        // Later cells are not run.
        Assert.Null(r.Cells.Single(c => c.Id == "table").ExecutionCount);
        Assert.DoesNotContain(r.Artifacts, a => a.Id == "smoke_table");
    }

    [Fact]
    public void CompileErrorsAreReportedWithTheCell()
    {
        var dir = CopySmoke(source => source.Replace("Math.PI * n", "undefinedVariable * n"));
        var r = Run(Path.Combine(dir, "smoke.ipynb"), Temp.Dir());
        Assert.Contains("undefinedVariable", r.Failure!.Message);
        Assert.Contains("cell 4 (id stream)", r.Failure.ToString());
    }

    [Fact]
    public void UnknownOrBadParametersAreInputErrors()
    {
        var e = Assert.Throws<InputException>(() => Run(Smoke, Temp.Dir(), ("nope", "1")));
        Assert.Contains("no parameter 'nope'", e.Message);
        Assert.Contains("dataPath, n, label", e.Message);
        e = Assert.Throws<InputException>(() => Run(Smoke, Temp.Dir(), ("n", "three")));
        Assert.Contains("'n' is an integer", e.Message);
    }

    [Fact]
    public void AuthorDataGetsTheAuthorBanner()
    {
        var data = Path.Combine(Temp.Dir(), "panel.csv"); // no truth.json beside it
        File.Copy(Path.Combine(SmokeDir, "data", "panel.csv"), data);
        var outDir = Temp.Dir();
        var r = Run(Smoke, outDir, ("dataPath", data));
        Assert.True(r.Succeeded, r.Failure?.ToString());
        Assert.Equal(DataKind.Author, r.Data!.Kind);
        var md = File.ReadAllText(Path.Combine(outDir, "tables", "smoke_table.md"));
        Assert.Contains("Author's data:", md);
        Assert.DoesNotContain("SYNTHETIC", md);
    }

    private static string CopySmoke(Func<string, string> edit)
    {
        var dir = Temp.Dir();
        File.WriteAllText(Path.Combine(dir, "smoke.ipynb"), edit(File.ReadAllText(Smoke)));
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        foreach (var f in Directory.GetFiles(Path.Combine(SmokeDir, "data"))) File.Copy(f, Path.Combine(dir, "data", Path.GetFileName(f)));
        return dir;
    }

    /// <summary>
    /// Validate with Debian's python3-nbformat (the reference validator) when it is installed;
    /// otherwise check the nbformat 4.5 essentials here (ids on every cell, outputs well-formed).
    /// </summary>
    internal static void AssertValidNotebook(string json)
    {
        var nb = JsonNode.Parse(json)!;
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.Equal(5, nb["nbformat_minor"]!.GetValue<int>());
        foreach (var cell in nb["cells"]!.AsArray())
        {
            Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", cell!["id"]!.GetValue<string>());
            if (cell["cell_type"]!.GetValue<string>() == "code")
                foreach (var o in cell["outputs"]!.AsArray())
                    Assert.Contains(o!["output_type"]!.GetValue<string>(), new[] { "stream", "display_data", "execute_result", "error" });
        }
        if (!File.Exists("/usr/bin/python3")) return;
        var file = Path.Combine(Temp.Dir(), "nb.ipynb");
        File.WriteAllText(file, json);
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", "import sys\ntry:\n import nbformat\nexcept ImportError:\n sys.exit(3)\nnbformat.validate(nbformat.read(sys.argv[1], as_version=4))", file])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 3) return; // nbformat not installed: the checks above stand
        Assert.True(p.ExitCode == 0, "nbformat rejects the notebook: " + err);
    }
}
