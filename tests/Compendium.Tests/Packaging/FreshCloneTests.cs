using System.Text.RegularExpressions;
using Xunit;

namespace Compendium.Tests.Packaging;

/// <summary>
/// A journal's data editor clones the repository and runs the README's test command with nothing
/// beside the clone. These tests hold that: no test names a file outside the repository, and the
/// tests that once read a folder beside it pass in a fresh clone in an empty temporary folder.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class FreshCloneTests
{
    private static readonly string Root = Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory);

    /// <summary>The tests that read the validation data from a folder beside the clone before the data were copied into tests/reference.</summary>
    private const string FormerlyExternal =
        "FullyQualifiedName~VifTests|FullyQualifiedName~LogitTests|FullyQualifiedName~CastlePublishedTwfeEstimate|FullyQualifiedName~FitCommand";

    [Fact]
    public void NoTestSourceNamesAFolderOutsideTheRepository()
    {
        var offenders = Directory.GetFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.EndsWith(nameof(FreshCloneTests) + ".cs", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((l, i) => (f, i, l)))
            .Where(x => Regex.IsMatch(x.l, "\"(\\.\\./)+shared|\"/work/|\"/home/|\\\"\\.\\.\", \\\"shared\\\""))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1}: {x.l.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "tests must read only files inside the repository:\n" + string.Join("\n", offenders));
    }

    /// <summary>
    /// The reference scripts, the benchmark script and their READMEs must work from a clone alone too: R fixest
    /// comes from tests/reference/r-packages, data from tests/reference, never from a folder beside the clone.
    /// </summary>
    [Fact]
    public void NoReferenceOrBenchmarkScriptNamesAFolderOutsideTheRepository()
    {
        string[] kinds = ["*.R", "*.sh", "*.py", "*.md"];
        var offenders = kinds.SelectMany(k => Directory.GetFiles(Path.Combine(Root, "tests"), k, SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((l, i) => (f, i, l)))
            .Where(x => Regex.IsMatch(x.l, @"(\.\./)+shared\b|/work/|/home/"))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1}: {x.l.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "scripts and their READMEs must name only files inside the repository:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void FormerlyExternalTestsPassInAFreshCloneWithNothingBesideIt()
    {
        if (!Directory.Exists(Path.Combine(Root, ".git")) && !File.Exists(Path.Combine(Root, ".git")))
            throw new InvalidOperationException($"{Root} is not a git checkout; this test clones it");
        var empty = Directory.CreateTempSubdirectory("compendium-clone-").FullName;
        try
        {
            var clone = Path.Combine(empty, "repo");
            var (code, o, e) = ChildProcess.Run(ChildProcess.StartInfo("git", ["clone", "--quiet", "--no-hardlinks", Root, clone], empty), TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"git clone failed:\n{o}\n{e}");
            Assert.Equal(["repo"], Directory.GetFileSystemEntries(empty).Select(Path.GetFileName));
            (code, o, e) = ChildProcess.Run(
                ChildProcess.StartInfo("dotnet", ["test", "tests/Compendium.Tests", "-c", "Release", "--filter", FormerlyExternal], clone),
                TimeSpan.FromMinutes(15));
            Assert.True(code == 0, $"dotnet test in a fresh clone failed (exit {code}):\n{Tail(o)}\n{Tail(e)}");
            var summary = Regex.Match(o, @"Passed!\s+-\s+Failed:\s+0, Passed:\s+(\d+)");
            Assert.True(summary.Success && int.Parse(summary.Groups[1].Value) >= 10, "expected at least 10 passing tests:\n" + Tail(o));
        }
        finally
        {
            try { Directory.Delete(empty, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(string s) => string.Join("\n", s.Split('\n').TakeLast(40));
}

/// <summary>Tests that build a fresh clone run alone: the build takes both cores for a minute or two.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FreshCloneCollection
{
    public const string Name = "fresh-clone";
}
