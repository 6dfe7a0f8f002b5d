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
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    private static string Castle => CliHarness.Castle;

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
    private sealed class BuggyCommand : CommandDefinition
    {
        public override string Name => "buggy";
        public override string Summary => "throws";
        protected override IEnumerable<System.CommandLine.Symbol> Symbols => [];
        protected override int Run(System.CommandLine.ParseResult parse, TextWriter stdout, TextWriter stderr)
        {
            Parallel.For(0, 2, i => { if (i == 1) throw new NullReferenceException("the thing was null"); });
            return 0;
        }
    }

    [Fact]
    public void AnUnexpectedErrorIsOneLineAndTheTraceComesWithVerbose()
    {
        var commands = Program.Commands();
        commands.Add(new BuggyCommand());
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
        Assert.Contains("Option '--out' is required", err);

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
        // Two factors linked in one long cycle (a_k, b_k), (a_k+1, b_k): alternating projections needed far more
        // than the iteration limit; enough columns that they are demeaned in parallel (the case that crashed).
        // Conjugate gradients converge on it, so the limit is set low (--fixef-maxiter) to reach the message.
        const int length = 10_000;
        var sb = new StringBuilder("y,x1,x2,x3,x4,x5,x6,x7,x8,x9,a,b\n");
        var rng = new Random(1);
        for (int k = 0; k < length; k++)
            foreach (var a in new[] { k, (k + 1) % length })
                sb.Append(string.Join(",", Enumerable.Range(0, 10).Select(_ => rng.NextDouble().ToString("F6", CultureInfo.InvariantCulture))))
                  .Append(CultureInfo.InvariantCulture, $",{a},{k}\n");
        var path = TempFile("ring.csv", sb.ToString());
        var (code, _, err) = Cli("fit", "--data", path, "--formula", "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 | a + b", "--vcov", "iid", "--fixef-cg", "--fixef-maxiter", "3");
        Assert.Equal(1, code);
        Assert.Contains("did not converge", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}

/// <summary>The command line on System.CommandLine: help, response files, exit codes.</summary>
public sealed class CommandLineParsingTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    private static string Castle => CliHarness.Castle;

    [Theory]
    [InlineData("fit", "--formula <FORMULA> (REQUIRED)")]
    [InlineData("iv", "--keep-singletons")]
    [InlineData("reproduce", "--param <NAME=VALUE>")]
    [InlineData("simulate", "--force")]
    [InlineData("validate", "--data <PATH> (REQUIRED)")]
    public void EveryConvertedCommandHasGeneratedHelp(string command, string expected)
    {
        var (code, output, _) = Cli(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains($"compendium {command} [options]", output);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void TheListingNamesEveryCommand()
    {
        var (code, output, _) = Cli("help");
        Assert.Equal(0, code);
        foreach (var c in new[] { "fit", "iv", "reproduce", "simulate", "validate" }) Assert.Contains($"  {c} ", output);
        Assert.Equal(2, Cli().Code);
        var (unknown, _, err) = Cli("fitt");
        Assert.Equal(2, unknown);
        Assert.Contains("unknown command 'fitt'", err);
    }

    [Fact]
    public void AResponseFileStandsForItsArguments()
    {
        var rsp = Path.Combine(Directory.CreateTempSubdirectory("compendium-rsp-").FullName, "fit.rsp");
        File.WriteAllText(rsp, $"# the castle TWFE model\n--data {Castle}\n--formula \"l_homicide ~ post | sid + year\"\n--vcov iid\n");
        var (code, viaFile, err) = Cli("fit", $"@{rsp}", "--json");
        Assert.True(code == 0, err);
        var (_, direct, _) = Cli("fit", "--data", Castle, "--formula", "l_homicide ~ post | sid + year", "--vcov", "iid", "--json");
        Assert.Equal(direct, viaFile);
        Assert.Equal(2, Cli("fit", "@/nonexistent/args.rsp").Code);
    }

    [Theory]
    [InlineData(new[] { "fit", "--formula", "y ~ x" }, "Option '--data' is required")]
    [InlineData(new[] { "fit", "--data", "a.csv", "--formula", "y ~ x", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "fit", "--data", "a.csv", "--data", "b.csv", "--formula", "y ~ x" }, "expects a single argument")]
    [InlineData(new[] { "simulate", "--out", "x", "--seed", "seven" }, "Cannot parse argument 'seven'")]
    [InlineData(new[] { "simulate", "--out", "x", "--timing", "sometimes" }, "'sometimes' not recognized")]
    [InlineData(new[] { "reproduce", "--param", "novalue" }, "expected name=value")]
    public void UsageErrorsExitWithTwoAndShowTheHelp(string[] args, string message)
    {
        var (code, _, err) = Cli(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Contains($"compendium {args[0]} [options]", err);
    }

    [Fact]
    public void EveryRegisteredCommandHasGeneratedHelpAndRejectsAnUnknownOption()
    {
        var commands = Program.Commands();
        Assert.True(commands.All.Count >= 15, string.Join(", ", commands.All.Select(c => c.Name)));
        foreach (var c in commands.All)
        {
            // A command with sub-commands: each sub-command has its own help and options.
            var paths = c.Command.Subcommands.Count == 0 ? [[c.Name]] : c.Command.Subcommands.Select(s => new[] { c.Name, s.Name }).ToArray();
            foreach (var path in paths)
            {
                var words = string.Join(" ", path);
                var (code, output, _) = Cli([.. path, "--help"]);
                Assert.True(code == 0, words);
                Assert.Contains($"compendium {words} [options]", output);
                Assert.Contains("Options:", output);
                var (bad, _, err) = Cli([.. path, "--nonsense", "1"]);
                Assert.True(bad == 2, $"{words}: exit {bad}");
                Assert.Contains("Unrecognized command or argument '--nonsense'", err);
                Assert.Contains($"compendium {words} [options]", err);
                Assert.Single(err.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            }
        }
        var (none, _, e) = Cli("spatial");
        Assert.Equal(2, none);
        Assert.Contains("compendium spatial [command]", e);
    }
}
