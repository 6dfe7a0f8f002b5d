using System.Globalization;
using System.Text;
using Compendium.Cli;
using Compendium.Data;
using Xunit;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Compendium.Tests.Packaging;

/// <summary>
/// Every failure of a command is a message (one line, exit 1 or 2), never a stack trace; inputs are
/// never overwritten by accident; defaults are the ones a user of fixest expects.
/// </summary>
public sealed class CommandLineFailureTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Castle => Path.Combine(Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory), "tests", "reference", "fe", "castle_derived.csv");

    private static string TempFile(string name, string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("compendium-cli-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertOneLineError(string err)
    {
        Assert.StartsWith("error: ", err);
        Assert.DoesNotContain("   at ", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void ADirectoryGivenAsTheDataFileIsOneLine()
    {
        var dir = Directory.CreateTempSubdirectory("compendium-dir-").FullName;
        var (code, _, err) = Cli("fit", "--data", dir, "--formula", "y ~ x");
        Assert.Equal(1, code);
        Assert.Equal($"error: {dir}: is a folder, not a file; give the CSV file itself", err.TrimEnd());
        (code, _, err) = Cli("validate", "--data", dir);
        Assert.Equal(1, code);
        Assert.Contains("is a folder", err);
    }

    [Fact]
    public void ASemicolonSeparatedFileIsNamedAsSuch()
    {
        var path = TempFile("semi.csv", "y;x\n1,5;2\n2;3,25\n");
        var (code, _, err) = Cli("fit", "--data", path, "--formula", "y ~ x");
        Assert.Equal(1, code);
        Assert.Contains("looks semicolon-separated; the compendium reads comma-separated CSV", err);
        AssertOneLineError(err);
    }

    [Fact]
    public void FitReadsASpreadsheet()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new Dictionary<string, object?>
        {
            ["g"] = i % 5, ["x"] = Math.Sin(i), ["y"] = 1 + 2 * Math.Sin(i) + Math.Cos(3 * i) + i % 5,
        }).ToList();
        var path = Path.Combine(Directory.CreateTempSubdirectory("compendium-xlsx-").FullName, "d.xlsx");
        MiniExcel.SaveAs(path, rows);
        var (code, output, err) = Cli("fit", "--data", path, "--formula", "y ~ x | g", "--vcov", "iid", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(40, doc.RootElement.GetProperty("nobs").GetInt32());
        Assert.InRange(doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), 1.5, 2.5);
    }

    [Fact]
    public void FitClustersByTheFirstFixedEffectByDefaultAndSaysSo()
    {
        var (code, output, err) = Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post | sid + year", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"vcov\": \"cluster:sid\"", output);
        Assert.Contains("note: standard errors clustered by sid, the first fixed effect", err);
        // As fixest: feols(l_homicide ~ post | sid + year, castle) reports SE 0.0588 clustered by sid (the
        // committed reference value of castle_twfe_cluster).
        var reference = Compendium.Tests.Estimation.ReferenceValues.Load("castle");
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(reference["castle_twfe_cluster", "coef:post:std_error"], doc.RootElement.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble(), 1e-10);
        // Without fixed effects it stays iid, and an explicit --vcov wins.
        (code, output, err) = Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post", "--json");
        Assert.Contains("\"vcov\": \"iid\"", output);
        Assert.DoesNotContain("note:", err);
        (code, output, _) = Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post | sid + year", "--vcov", "iid", "--json");
        Assert.Contains("\"vcov\": \"iid\"", output);
    }

    [Fact]
    public void ACombinedFirstFixedEffectIsClusteredByItsLevels()
    {
        var (code, output, err) = Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post + x_int | sid^g7 + year", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"vcov\": \"cluster:sid^g7\"", output);
    }

    [Fact]
    public void AGapInATreatedUnitsEventTimeIsRejectedWithUnitAndYear()
    {
        var lines = File.ReadAllLines(Path.Combine(Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory), "tests", "reference", "fe", "mpdta_derived.csv"));
        var header = lines[0].Split(',');
        int rel = Array.IndexOf(header, "\"rel\""), county = Array.IndexOf(header, "\"countyreal\""), year = Array.IndexOf(header, "\"year\"");
        int at = Array.FindIndex(lines, l => l.Split(',')[county] == "8001" && l.Split(',')[year] == "2005");
        var f = lines[at].Split(','); f[rel] = ""; lines[at] = string.Join(",", f);
        var path = TempFile("gap.csv", string.Join("\n", lines) + "\n");
        var (code, _, err) = Cli("fit", "--data", path, "--formula", "lemp ~ i(rel, ref = -1) | countyreal + year");
        Assert.Equal(1, code);
        Assert.Contains("'rel' is missing in row", err);
        Assert.Contains("countyreal 8001, year 2005", err);
        Assert.Contains("would silently make the row a control", err);
        // Never-treated units (rel missing in every row) stay controls; the order of the fixed effects does not matter.
        Assert.Equal(0, Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post | sid + year").Code);
        var ok = Cli("fit", "--data", Path.Combine(Path.GetDirectoryName(Castle)!, "mpdta_derived.csv"), "--formula", "lemp ~ i(rel, ref = -1) | year + countyreal");
        Assert.True(ok.Code == 0, ok.Err);
    }

    /// <summary>A command with a bug: what a user sees when something no check foresaw goes wrong.</summary>
    private sealed class BuggyCommand : ICliCommand
    {
        public string Name => "buggy";
        public string Summary => "throws";
        public string Usage => "usage: compendium buggy";
        public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
        {
            args.EnsureAllUsed();
            Parallel.For(0, 2, i => { if (i == 1) throw new NullReferenceException("the thing was null"); });
            return 0;
        }
    }

    [Fact]
    public void AnUnexpectedErrorIsOneLineAndTheTraceComesWithVerbose()
    {
        var commands = Program.Commands();
        commands["buggy"] = new BuggyCommand();
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, Program.Run(["buggy"], o, e, commands));
        Assert.Equal("error: 'compendium buggy' stopped on an unexpected NullReferenceException: the thing was null (run again with --verbose for the stack trace)", e.ToString().TrimEnd());
        e = new StringWriter();
        Assert.Equal(1, Program.Run(["buggy", "--verbose"], o, e, commands));
        Assert.StartsWith("error: 'compendium buggy' stopped on an unexpected NullReferenceException: the thing was null\n", e.ToString().ReplaceLineEndings("\n"));
        Assert.Contains("   at ", e.ToString());
        // A damaged spreadsheet is bad input (exit 1, one line), not a crash.
        var (code, _, err) = Cli("fit", "--data", TempFile("broken.xlsx", "not a zip file"), "--formula", "y ~ x");
        Assert.Equal(1, code);
        AssertOneLineError(err);
    }

    [Fact]
    public void SimulateNeedsOutAndDoesNotOverwriteAPanelWithoutForce()
    {
        var (code, _, err) = Cli("simulate", "--seed", "7");
        Assert.Equal(2, code);
        Assert.Contains("option --out is required", err);

        var synthetic = Path.Combine(StudyFacts.DefaultDataDir(), "synthetic");
        var before = Directory.GetFiles(synthetic).ToDictionary(f => f, File.ReadAllBytes);
        (code, _, err) = Cli("simulate", "--seed", "7", "--out", synthetic);
        Assert.Equal(1, code);
        Assert.Contains("already holds panel.csv, potential_outcomes.csv, truth.json", err);
        Assert.Contains("--force", err);
        foreach (var (f, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(f));

        // An author's panel: writing truth.json beside it would mark it as synthetic.
        var author = Directory.CreateTempSubdirectory("compendium-author-").FullName;
        File.WriteAllText(Path.Combine(author, "my_panel.csv"), "city_code,year\n");
        (code, _, err) = Cli("simulate", "--out", author);
        Assert.Equal(1, code);
        Assert.Contains("my_panel.csv", err);
        Assert.False(File.Exists(Path.Combine(author, "truth.json")));
    }

    [Fact]
    public void ANonConvergingFixedEffectsSolveIsAMessage()
    {
        // Two factors linked in one long cycle (a_k, b_k), (a_k+1, b_k): alternating projections need far more
        // than the iteration limit; enough columns that they are demeaned in parallel (the case that crashed).
        const int length = 10_000;
        var sb = new StringBuilder("y,x1,x2,x3,x4,x5,x6,x7,x8,x9,a,b\n");
        var rng = new Random(1);
        for (int k = 0; k < length; k++)
            foreach (var a in new[] { k, (k + 1) % length })
                sb.Append(string.Join(",", Enumerable.Range(0, 10).Select(_ => rng.NextDouble().ToString("F6", CultureInfo.InvariantCulture))))
                  .Append(CultureInfo.InvariantCulture, $",{a},{k}\n");
        var path = TempFile("ring.csv", sb.ToString());
        var (code, _, err) = Cli("fit", "--data", path, "--formula", "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 | a + b", "--vcov", "iid");
        Assert.Equal(1, code);
        Assert.Contains("did not converge", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}
