using System.CommandLine;
using Compendium.Data;
using Compendium.Reproduction;

namespace Compendium.Cli;

/// <summary><c>compendium validate</c>: check a panel file against the study's schema and print a summary.</summary>
public sealed class ValidateCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "the panel: .csv or .xlsx (first sheet, header in row 1), one row per city-year", required: true, helpName: "PATH");
    private readonly Option<string> _facts = Text("--facts", "folder with cities.csv and the pilot-zone calendar (default: the repository's data/)", helpName: "DIR");

    /// <inheritdoc/>
    public override string Name => "validate";
    /// <inheritdoc/>
    public override string Summary => "check a panel (.csv or .xlsx) against the study's schema and summarise it";
    /// <inheritdoc/>
    public override string Details => """
        Reports every problem at once (missing columns, non-numeric cells, duplicate city-years, unknown
        city codes, an unbalanced panel, missing values, treatment columns that disagree, an index that
        disagrees with its indicators by more than 0.001) and exits 1 if there is any. 'compendium
        reproduce' runs exactly this check on every panel before it runs a notebook.
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _facts];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var path = parse.GetRequiredValue(_data);
        var factsDir = parse.GetValue(_facts) ?? StudyFacts.DefaultDataDir();
        // The same check reproduce runs before any notebook (one code path: they cannot disagree).
        var panel = PanelCheck.Run(path, factsDir);
        stdout.WriteLine($"{path}: passes the schema check");
        stdout.Write(panel.Summary.ToString());
        return 0;
    }
}
