using Compendium.Data;
using Compendium.Reproduction;

namespace Compendium.Cli;

/// <summary><c>compendium validate</c>: check a panel file against the study's schema and print a summary.</summary>
public sealed class ValidateCommand : ICliCommand
{
    /// <inheritdoc/>
    public string Name => "validate";
    /// <inheritdoc/>
    public string Summary => "check a panel (.csv or .xlsx) against the study's schema and summarise it";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium validate --data PATH [--facts DIR]

          --data PATH   the panel: .csv or .xlsx (first sheet, header in row 1), one row per city-year
          --facts DIR   folder with cities.csv (default: the repository's data/), for the city-code check

        Reports every problem at once (missing columns, non-numeric cells, duplicate city-years, unknown
        city codes, an unbalanced panel, missing values) and exits 1 if there is any.
        """;

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var path = args.Required("data");
        var factsDir = args.Option("facts") ?? StudyFacts.DefaultDataDir();
        args.EnsureAllUsed();
        // The same check reproduce runs before any notebook (one code path: they cannot disagree).
        var panel = PanelCheck.Run(path, factsDir);
        stdout.WriteLine($"{path}: passes the schema check");
        stdout.Write(panel.Summary.ToString());
        return 0;
    }
}
