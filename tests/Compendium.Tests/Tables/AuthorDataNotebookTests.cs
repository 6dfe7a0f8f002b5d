using Xunit;
using Compendium.Reproduction;
using Compendium.Tests.Notebooks;

namespace Compendium.Tests.Tables;

/// <summary>
/// Notebooks 04 and 05 on an author's panel (a copy of the synthetic panel without truth.json beside
/// it): they run, carry the author's-data banner, say the truth is unknown and write no truth tables.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class AuthorDataNotebookTests(ReproductionFixture fixture)
{
    [Fact]
    public void BaselineAndEventStudyRunWithoutATruthFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "compendium-author-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var panel = Path.Combine(dir, "panel.csv");
        File.Copy(Path.Combine(fixture.RepoRoot, "data", "synthetic", "panel.csv"), panel);
        var output = Path.Combine(dir, "output");
        var r = Reproducer.RunAsync(new ReproduceOptions(fixture.RepoRoot, output, ["04", "05"], panel, RenderImages: false, BuildSite: false), TextWriter.Null)
            .GetAwaiter().GetResult();
        Assert.True(r.Failure is null, r.Failure?.ToString());
        Assert.Equal(["04_baseline_did", "05_event_study"], r.Notebooks.Select(n => n.Name));
        Assert.All(r.Notebooks, n => Assert.False(n.Data!.IsSynthetic));
        Assert.False(File.Exists(Path.Combine(output, "tables", "table2_truth.csv")));
        Assert.False(File.Exists(Path.Combine(output, "tables", "table4_truth.csv")));
        Assert.StartsWith("**Baseline DID", File.ReadAllText(Path.Combine(output, "tables", "table2_baseline.md")));
        Assert.Contains("Author's data", File.ReadAllText(Path.Combine(output, "tables", "table2_baseline.md")));
        Assert.All(r.Notebooks, n => Assert.Contains("the true", n.Json));
        Assert.All(r.Notebooks, n => Assert.Contains("unknown", n.Json));
        // Same panel, same numbers: the baseline table's body equals the committed synthetic one.
        Assert.Equal(File.ReadAllText(Path.Combine(fixture.RepoRoot, "output", "tables", "table2_baseline.csv")),
            File.ReadAllText(Path.Combine(output, "tables", "table2_baseline.csv")));
    }

    [Fact]
    public void RecodedTimingSkipsTheTruthAndTheEventStudySeesTheMistiming()
    {
        var output = Path.Combine(Path.GetTempPath(), "compendium-alt-" + Guid.NewGuid().ToString("N"));
        var r = Reproducer.RunAsync(new ReproduceOptions(fixture.RepoRoot, output, ["04", "05"], null, [new("timing", "alternative")], RenderImages: false, BuildSite: false), TextWriter.Null)
            .GetAwaiter().GetResult();
        Assert.True(r.Failure is null, r.Failure?.ToString());
        Assert.All(r.Notebooks, n => Assert.Contains("The treatment was recoded", n.Json));
        Assert.False(File.Exists(Path.Combine(output, "tables", "table2_truth.csv")));
        Assert.False(File.Exists(Path.Combine(output, "tables", "event_study_truth.csv")));
        // One year late for every pilot city: the effect starts at k = -1 of the recoded event time,
        // the reference period, so the leads are far from zero relative to it.
        var es = File.ReadAllText(Path.Combine(output, "tables", "event_study.md"));
        Assert.Contains("p = 0.0000", es);
    }
}
