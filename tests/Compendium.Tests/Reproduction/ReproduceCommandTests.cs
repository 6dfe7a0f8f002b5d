using Xunit;
using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Figures;
using Compendium.Reproduction;
using Compendium.Tests.Notebooks;

namespace Compendium.Tests.Reproduction;

/// <summary>The command line around the runner; the full reproduction itself is the fixture's.</summary>
[Collection(NotebookCollection.Name)]
public sealed class ReproduceCommandTests(ReproductionFixture fixture)
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = Compendium.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void UnknownNotebookIsAnInputError()
    {
        var (code, _, err) = Cli("reproduce", "--only", "99_missing", "--out", Temp.Dir());
        Assert.Equal(1, code);
        Assert.Contains("--only 99_missing: no notebook matches", err);
        Assert.Contains("01_sample_and_policy", err);
    }

    [Fact]
    public void BadUsageExitsWithTwo()
    {
        Assert.Equal(2, Cli("reproduce", "--param", "novalue").Code);
        Assert.Equal(2, Cli("reproduce", "--bogus", "x").Code);
        Assert.Equal(2, Cli("reproduce", "--data", "a.csv", "--param", "dataPath=b.csv").Code);
    }

    [Fact]
    public void WritesSiteAndManifest()
    {
        var site = Path.Combine(fixture.OutputRoot, "site");
        Assert.True(File.Exists(Path.Combine(site, "plotly.min.js")));
        var index = File.ReadAllText(Path.Combine(site, "index.html"));
        foreach (var a in fixture.Result.Notebooks.SelectMany(n => n.Artifacts).Where(a => a.Kind is "table" or "figure"))
            Assert.Contains($"<code>{a.Id}</code>", index);
        Assert.Contains("SYNTHETIC DATA", index);
        var page = File.ReadAllText(Path.Combine(site, "01_sample_and_policy.html"));
        Assert.Contains("<script src=\"plotly.min.js\"></script>", page);
        Assert.Contains("Plotly.newPlot('fig-fig1_pilot_map'", page);
        Assert.DoesNotContain("cdn.plot.ly", page);
        var manifest = File.ReadAllText(Path.Combine(fixture.OutputRoot, "manifest.json"));
        Assert.Contains("\"notebooks/01_sample_and_policy.ipynb\"", manifest);
        Assert.Contains("\"tables/tableA1_pilot_zones.tex\"", manifest);
        Assert.DoesNotContain(DateTime.UtcNow.ToString("yyyy-MM-dd"), manifest);
    }

    [Fact]
    public async Task NoBrowserOutlivesAReproduction()
    {
        if (Compendium.Figures.ImageRenderer.IsAvailable)
        {
            await Compendium.Figures.ImageRenderer.RenderAsync(Compendium.Figures.Figure.Empty.ToJson(), 100, 100);
            Assert.True(Compendium.Figures.ImageRenderer.IsRunning);
        }
        // Even a reproduction that fails at once stops the browser on its way out.
        await Assert.ThrowsAsync<InputException>(() => Compendium.Reproduction.Reproducer.RunAsync(
            new Compendium.Reproduction.ReproduceOptions(fixture.RepoRoot, Temp.Dir(), Only: ["99_missing"]), TextWriter.Null));
        Assert.False(Compendium.Figures.ImageRenderer.IsRunning);
    }

    [Fact]
    public void ExecutedNotebooksAreValidNbformat()
    {
        foreach (var n in fixture.Result.Notebooks)
            NotebookRunnerTests.AssertValidNotebook(n.Json);
    }

    [Fact]
    public void DataOptionRunsEveryNotebookOnTheAuthorsPanel()
    {
        var raw = Path.Combine(Temp.Dir(), "panel.csv");
        File.Copy(Path.Combine(fixture.RepoRoot, "data", "synthetic", "panel.csv"), raw);
        var outDir = Temp.Dir();
        var (code, output, err) = Cli("reproduce", "--only", "01", "--data", raw, "--param", "timing=alternative", "--out", outDir, "--no-images");
        Assert.True(code == 0, err + output);
        var zones = File.ReadAllText(Path.Combine(outDir, "tables", "tableA1_pilot_zones.md"));
        Assert.Contains("Author's data:", zones);
        Assert.Contains("timing coding: alternative", zones);
        var nb = File.ReadAllText(Path.Combine(outDir, "notebooks", "01_sample_and_policy.ipynb"));
        Assert.Contains("injected-parameters", nb);
    }
}
