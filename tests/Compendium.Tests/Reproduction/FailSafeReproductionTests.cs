using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Compendium.Tests.Notebooks;
using Compendium.Tests.Packaging;
using Xunit;

namespace Compendium.Tests.Reproduction;

/// <summary>
/// A reproduction changes the output folder all at once or not at all: what it checks before running,
/// what a failure leaves, what a second run into the same folder meets, which outputs it removes.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class FailSafeReproductionTests(ReproductionFixture fixture)
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    /// <summary>A copy of a full reproduction's output folder (what a reader of the repository has in output/).</summary>
    private string Prefilled() => Temp.CopyOf(fixture.OutputRoot);

    /// <summary>Every file under <paramref name="dir"/> (the lock file aside) with its SHA-256.</summary>
    private static SortedDictionary<string, string> Snapshot(string dir) =>
        new(Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ".lock")
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);

    private string SyntheticPanel => Path.Combine(fixture.RepoRoot, "data", "synthetic", "panel.csv");

    /// <summary>The synthetic panel's lines with one defect, written where no truth.json lies (an author's file).</summary>
    private string BadPanel(string defect)
    {
        var lines = File.ReadAllLines(SyntheticPanel).ToList();
        var header = lines[0].Split(',');
        int code = Array.IndexOf(header, "city_code");
        string[] Cells(int i) => lines[i].Split(',');
        switch (defect)
        {
            case "non-numeric cell":
                var c = Cells(5); c[Array.IndexOf(header, "econ_density")] = "n/a?"; lines[5] = string.Join(',', c);
                break;
            case "unknown city code":
                var first = Cells(1)[code];
                for (int i = 1; i < lines.Count; i++)
                    if (Cells(i)[code] == first) { var x = Cells(i); x[code] = "999999"; lines[i] = string.Join(',', x); }
                break;
            case "duplicate city-year":
                lines.Add(lines[7]);
                break;
        }
        var path = Path.Combine(Temp.Dir(), "panel.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("non-numeric cell")]
    [InlineData("unknown city code")]
    [InlineData("duplicate city-year")]
    public void BadDataStopsBeforeAnyNotebookAndLeavesTheFolderByteIdentical(string defect)
    {
        var outDir = Prefilled();
        var before = Snapshot(outDir);
        var (code, output, err) = Cli("reproduce", "--data", BadPanel(defect), "--out", outDir, "--no-images");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains(defect, err);
        Assert.Contains("was not changed", err);
        Assert.DoesNotContain("running", output); // no notebook started
        Assert.Equal(before, Snapshot(outDir));
        Assert.Empty(Directory.GetDirectories(outDir, ".staging-*"));
    }

    [Fact]
    public void ValidateAndReproduceJudgeAPanelAlike()
    {
        var bad = BadPanel("unknown city code");
        var (validateCode, _, validateErr) = Cli("validate", "--data", bad);
        var (reproduceCode, _, reproduceErr) = Cli("reproduce", "--data", bad, "--out", Temp.Dir(), "--no-images");
        Assert.Equal(1, validateCode);
        Assert.Equal(1, reproduceCode);
        Assert.Contains("city_code 999999", validateErr);
        Assert.Contains(validateErr.Split('\n')[0].Replace("error: ", ""), reproduceErr);
    }

    [Fact]
    public void AFailingNotebookLeavesTheFolderByteIdentical()
    {
        var outDir = Prefilled();
        var before = Snapshot(outDir);
        // Passes the pre-checks (a string parameter); notebook 02 succeeds, then 04 fails (no such column).
        var (code, output, err) = Cli("reproduce", "--only", "02", "--only", "04", "--param", "cluster=no_such_column", "--out", outDir, "--no-images");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("02_resilience_index: done", output);
        Assert.Contains("error: notebook 04_baseline_did", err);
        Assert.Contains("no_such_column", err);
        Assert.Contains("was not changed", err);
        Assert.Equal(before, Snapshot(outDir));
        Assert.Empty(Directory.GetDirectories(outDir, ".staging-*"));
    }

    [Fact]
    public void AParameterAppliesToTheNotebooksThatDeclareIt()
    {
        var outDir = Temp.Dir();
        var (code, output, err) = Cli("reproduce", "--param", "timing=alternative", "--out", outDir, "--no-images");
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        foreach (var name in new[] { "01_sample_and_policy", "02_resilience_index", "03_descriptives", "04_baseline_did", "05_event_study" })
        {
            var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", name + ".ipynb")))!;
            var injected = nb["cells"]!.AsArray().SingleOrDefault(c => c!["id"]!.GetValue<string>() == "injected-parameters");
            var declares = File.ReadAllText(Path.Combine(fixture.RepoRoot, "notebooks", name + ".ipynb")).Contains("var timing = ");
            if (declares)
                Assert.Contains("var timing = \"alternative\";", string.Concat(injected!["source"]!.AsArray().Select(s => s!.GetValue<string>())));
            else
                Assert.Null(injected);
        }
        Assert.Contains("timing coding: alternative", File.ReadAllText(Path.Combine(outDir, "tables", "tableA1_pilot_zones.md")));
    }

    [Fact]
    public void AParameterNoSelectedNotebookDeclaresIsAUsageError()
    {
        var outDir = Path.Combine(Temp.Dir(), "out");
        var (code, _, err) = Cli("reproduce", "--only", "02", "--param", "timing=alternative", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("no selected notebook declares 'timing'", err);
        Assert.Contains("02_resilience_index: dataPath, pooledWeights, shift", err);
        Assert.False(Directory.Exists(outDir));
        (code, _, err) = Cli("reproduce", "--only", "02", "--param", "pooledWeights=maybe", "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains("'pooledWeights' is a bool", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void OutputsARunNoLongerMakesAreRemovedFromFolderAndManifest()
    {
        var outDir = Prefilled();
        Assert.True(File.Exists(Path.Combine(outDir, "tables", "table2_truth.md")));
        var dataDir = Temp.Dir();
        var author = Path.Combine(dataDir, "panel.csv"); // no truth.json beside it: the author's data
        File.Copy(SyntheticPanel, author);
        var (code, output, err) = Cli("reproduce", "--only", "04", "--data", author, "--out", outDir, "--no-images");
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.False(File.Exists(Path.Combine(outDir, "tables", "table2_truth.md")));
        Assert.Contains("removed tables/table2_truth.md", output);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!;
        Assert.DoesNotContain("table2_truth", manifest.ToJsonString());
        // The notebooks not rerun keep their outputs and entries; every listed output exists and nothing else does.
        Assert.Equal(fixture.Result.Notebooks.Count, manifest["notebooks"]!.AsArray().Count);
        var listed = manifest["outputs"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listed, Snapshot(outDir).Keys.Where(k => k != "manifest.json").ToList());
        // No output carries an absolute path of this machine.
        foreach (var f in Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.DoesNotContain(dataDir, File.ReadAllText(f));
        Assert.Contains("Author's data: …/panel.csv", File.ReadAllText(Path.Combine(outDir, "tables", "table2_baseline.md")));
    }

    [Fact]
    public void ASecondReproductionIntoTheSameFolderStopsWithAMessage()
    {
        var outDir = Prefilled();
        var before = Snapshot(outDir);
        using (new FileStream(Path.Combine(outDir, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, output, err) = Cli("reproduce", "--only", "01", "--out", outDir, "--no-images");
            Assert.Equal(1, code);
            Assert.Contains("another reproduction is writing to", err);
            Assert.DoesNotContain("running", output);
        }
        Assert.Equal(before, Snapshot(outDir));
    }

    [Fact]
    public void AnOutputPathThatIsAFileIsAnInputError()
    {
        var file = Path.Combine(Temp.Dir(), "out.txt");
        File.WriteAllText(file, "x");
        var (code, _, err) = Cli("reproduce", "--only", "01", "--out", file, "--no-images");
        Assert.Equal(1, code);
        Assert.Contains("is a file", err);
    }
}

/// <summary>An author reruns a notebook in the same kernel (VS Code, Jupyter): every run succeeds and replaces its outputs.</summary>
[Collection(NotebookCollection.Name)]
public sealed class InteractiveRerunTests(ReproductionFixture fixture)
{
    [Fact]
    public void ANotebookRunTwiceInOneKernelSucceedsBothTimes()
    {
        var outDir = Temp.Dir();
        var path = Path.Combine(fixture.RepoRoot, "notebooks", "04_baseline_did.ipynb");
        var r = Compendium.Reproduction.NotebookRunner.RunAsync(new Compendium.Reproduction.NotebookRunOptions(path, outDir, RenderImages: false, RunAll: 2)).GetAwaiter().GetResult();
        Assert.True(r.Succeeded, r.Failure?.ToString());
        // The second pass replaced the first pass's outputs: one entry per id, files as a single run writes them.
        Assert.Equal(r.Artifacts.Select(a => a.Id).Distinct().Count(), r.Artifacts.Count);
        var single = fixture.Notebook("04_baseline_did");
        Assert.Equal(single.Artifacts.Select(a => a.Id), r.Artifacts.Select(a => a.Id));
        foreach (var f in single.Artifacts.Where(a => a.Kind == "table").SelectMany(a => a.Files))
            Assert.Equal(File.ReadAllText(Path.Combine(fixture.OutputRoot, f)), File.ReadAllText(Path.Combine(outDir, f)));
    }

    [Fact]
    public void OneHeadlessRunRefusesASecondSaveBeforeWritingAnything()
    {
        var outDir = Temp.Dir();
        var panel = Path.Combine(fixture.RepoRoot, "data", "synthetic", "panel.csv");
        var table = new Compendium.Econometrics.Tables.Table("t1", "first", ["a", "b"], [new Compendium.Econometrics.Tables.TableRow("x", "1")]);
        using (Compendium.Reproduction.ReproductionContext.Use(new Compendium.Reproduction.ReproductionContext(outDir, renderImages: false)))
        {
            Compendium.Reproduction.Report.UseData(panel);
            Compendium.Reproduction.Report.Save(table);
            var before = File.ReadAllText(Path.Combine(outDir, "tables", "t1.md"));
            var e = Assert.Throws<InvalidOperationException>(() => Compendium.Reproduction.Report.Save(table with { Title = "second" }));
            Assert.Contains("saved twice in one run", e.Message);
            Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "tables", "t1.md")));
        }
        // Interactively the same second save replaces the first.
        using (Compendium.Reproduction.ReproductionContext.Use(new Compendium.Reproduction.ReproductionContext(outDir, renderImages: false, interactive: true)))
        {
            Compendium.Reproduction.Report.UseData(panel);
            Compendium.Reproduction.Report.Save(table);
            Compendium.Reproduction.Report.Save(table with { Title = "second" });
            Assert.Contains("second", File.ReadAllText(Path.Combine(outDir, "tables", "t1.md")));
            Assert.Single(Compendium.Reproduction.ReproductionContext.Current.Artifacts);
        }
    }
}
