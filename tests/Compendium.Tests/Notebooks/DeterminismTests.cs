using System.Globalization;
using Xunit;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>Same inputs, same bytes: a rerun, and a rerun under a German host culture, change nothing.</summary>
[Collection(NotebookCollection.Name)]
public sealed class DeterminismTests(ReproductionFixture fixture)
{
    private const string Notebook = "01_sample_and_policy";

    private NotebookResult Rerun(string outputRoot)
    {
        var path = Path.Combine(fixture.RepoRoot, "notebooks", Notebook + ".ipynb");
        var r = NotebookRunner.RunAsync(new NotebookRunOptions(path, outputRoot)).GetAwaiter().GetResult();
        Assert.True(r.Succeeded, r.Failure?.ToString());
        return r;
    }

    private void AssertSameBytes(NotebookResult second, string outputRoot)
    {
        var first = fixture.Notebook(Notebook);
        Assert.Equal(first.Json, second.Json);
        foreach (var a in first.Artifacts)
            foreach (var f in a.Files)
                Assert.True(File.ReadAllBytes(Path.Combine(fixture.OutputRoot, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outputRoot, f))), $"{f} differs between runs");
    }

    [Fact]
    public void RunningTwiceGivesIdenticalBytes()
    {
        var dir = Temp.Dir();
        AssertSameBytes(Rerun(dir), dir);
    }

    [Fact]
    public void GermanHostCultureGivesIdenticalBytes()
    {
        var dir = Temp.Dir();
        var (c, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1,5", 1.5.ToString()); // the host really is German here
            var r = Rerun(dir);
            AssertSameBytes(r, dir);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (c, ui);
        }
    }
}

internal static class Temp
{
    public static string Dir()
    {
        var d = Path.Combine(Path.GetTempPath(), "compendium-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A new temporary folder holding a copy of <paramref name="dir"/> (entries starting with a dot, such as a lock file, left out).</summary>
    public static string CopyOf(string dir)
    {
        var copy = Dir();
        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(dir, f);
            if (rel.StartsWith('.')) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, rel))!);
            File.Copy(f, Path.Combine(copy, rel));
        }
        return copy;
    }
}
