using Xunit;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>
/// The summary of the paper's claims (notebook 14_claims) reads the sections' results files: it stops with
/// one message naming a section whose notebook exists but whose results are absent, and the site opens on
/// its claims table.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class ClaimsSummaryTests(ReproductionFixture fixture)
{
    private const string Summary = "14_claims";

    [Fact]
    public void TheSummaryStopsNamingASectionWhoseResultsAreAbsent()
    {
        Assert.True(fixture.Result.Failure is null, fixture.Result.Failure?.ToString());
        var output = Temp.Dir();
        Directory.CreateDirectory(Path.Combine(output, "results"));
        foreach (var f in Directory.GetFiles(Path.Combine(fixture.OutputRoot, "results")))
            File.Copy(f, Path.Combine(output, "results", Path.GetFileName(f)));
        File.Delete(Path.Combine(output, "results", "event_study.json"));

        var r = NotebookRunner.RunAsync(new NotebookRunOptions(Path.Combine(fixture.RepoRoot, "notebooks", Summary + ".ipynb"), output, RenderImages: false))
            .GetAwaiter().GetResult();

        Assert.False(r.Succeeded);
        Assert.Equal("setup", r.Failure!.CellId);
        Assert.StartsWith("InputException: section 'event_study' did not run: notebooks/05_event_study.ipynb records it, but ", r.Failure.Message);
        Assert.Contains("event_study.json is absent", r.Failure.Message);
        Assert.Contains("compendium reproduce --only 05_event_study", r.Failure.Message);
        Assert.DoesNotContain("'baseline'", r.Failure.Message);
        Assert.Single(r.Cells.SelectMany(c => c.Outputs), o => o.OutputType == "error");
        Assert.False(File.Exists(Path.Combine(output, "tables", "claims.md")), "no claims table from incomplete results");
    }

    [Fact]
    public void TheSummaryRunsLastAndTheSiteOpensOnItsClaimsTable()
    {
        Assert.True(fixture.Result.Failure is null, fixture.Result.Failure?.ToString());
        Assert.Equal(Summary, fixture.Result.Notebooks[^1].Name);
        var index = File.ReadAllText(Path.Combine(fixture.OutputRoot, "site", "index.html"));
        int claims = index.IndexOf("<caption>The paper&#39;s claims", StringComparison.Ordinal);
        int notebooks = index.IndexOf("<h2>Notebooks</h2>", StringComparison.Ordinal);
        Assert.InRange(claims, 0, notebooks);
        Assert.Contains("compendium-notice", index[..claims]); // the banner saying what the verdicts are about
        Assert.StartsWith($"<li><a href=\"{Summary}.html\">", index[notebooks..].Split('\n')[2]);
        Assert.Contains("<a href=\"04_baseline_did.html\">04_baseline_did</a> (<a href=\"04_baseline_did.html#cell-table2\">table2_baseline</a>)", index[claims..notebooks]);
        Assert.DoesNotContain("Evidence behind each verdict", index[..notebooks]); // the detail table stays on the notebook's page
    }

    [Fact]
    public void OnAnAuthorsDataTheSummaryIsTheReplicationReport()
    {
        Assert.True(fixture.Result.Failure is null, fixture.Result.Failure?.ToString());
        var dir = Temp.Dir();
        var panel = Path.Combine(dir, "panel.csv");
        File.Copy(Path.Combine(fixture.RepoRoot, "data", "synthetic", "panel.csv"), panel); // no truth.json beside it: the author's data
        // The sections' results of the fixture's run: computed on a file with the same bytes, so the summary accepts them.
        var output = Path.Combine(dir, "output");
        Directory.CreateDirectory(Path.Combine(output, "results"));
        foreach (var f in Directory.GetFiles(Path.Combine(fixture.OutputRoot, "results")))
            File.Copy(f, Path.Combine(output, "results", Path.GetFileName(f)));
        var r = Reproducer.RunAsync(new ReproduceOptions(fixture.RepoRoot, output, [Summary], panel, RenderImages: false, BuildSite: false), TextWriter.Null)
            .GetAwaiter().GetResult();
        Assert.True(r.Failure is null, r.Failure?.ToString());
        var claims = File.ReadAllText(Path.Combine(output, "tables", "claims.md"));
        Assert.StartsWith("**Replication report: the paper's claims on the author's data**", claims);
        Assert.DoesNotContain("Recovers the truth", claims);
        Assert.DoesNotContain("synthetic", claims, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Author's data", claims);
        // Same numbers, so the same verdicts; only the truth column is gone.
        var synthetic = Compendium.Econometrics.Data.Csv.Read(Path.Combine(fixture.OutputRoot, "tables", "claims.csv"));
        var author = Compendium.Econometrics.Data.Csv.Read(Path.Combine(output, "tables", "claims.csv"));
        Assert.Equal(synthetic.Header[..^1].ToList(), author.Header.ToList());
        Assert.Equal(synthetic.Rows.Length, author.Rows.Length);
        for (int i = 0; i < author.Rows.Length; i++)
            foreach (var column in author.Header) Assert.Equal(synthetic.Rows[i][column], author.Rows[i][column]);
    }

    [Fact]
    public void TheSummaryRunsAloneOnAFilledOutputFolder()
    {
        Assert.True(fixture.Result.Failure is null, fixture.Result.Failure?.ToString());
        var output = Temp.CopyOf(fixture.OutputRoot);
        string Results() => string.Concat(Directory.GetFiles(Path.Combine(output, "results")).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        var before = Results();
        var r = Reproducer.RunAsync(new ReproduceOptions(fixture.RepoRoot, output, [Summary], RenderImages: false), TextWriter.Null).GetAwaiter().GetResult();
        Assert.True(r.Failure is null, r.Failure?.ToString());
        Assert.Equal([Summary], r.Notebooks.Select(n => n.Name));
        Assert.Equal(before, Results()); // the sections' results were read and kept, not rewritten
        Assert.Equal(File.ReadAllText(Path.Combine(fixture.OutputRoot, "tables", "claims.md")), File.ReadAllText(Path.Combine(output, "tables", "claims.md")));
    }
}
