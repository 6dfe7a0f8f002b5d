namespace Compendium.Tests.Packaging;

/// <summary>Runs <c>compendium</c> in-process and returns the exit code and both streams.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = Compendium.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The castle data (bacondecomp, verbatim columns) committed under tests/reference/fe.</summary>
    public static string Castle => Path.Combine(Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory), "tests", "reference", "fe", "castle_derived.csv");
}
