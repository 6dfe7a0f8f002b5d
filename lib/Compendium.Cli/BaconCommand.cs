using System.CommandLine;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Staggered;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium bacon</c>: the Goodman-Bacon decomposition of a TWFE DID coefficient on any balanced
/// panel CSV. <c>--json</c>: <c>twfe</c> {estimate, std_error, nobs, vcov}, <c>components</c> [{type,
/// treated, comparison, weight, estimate}], <c>by_type</c> [{type, weight, estimate, count}], <c>weighted_sum</c>.
/// </summary>
public sealed class BaconCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "panel CSV (balanced)", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "\"y ~ d | unit + time\": outcome, a 0/1 absorbing treatment dummy, unit and time fixed effects (balanced panel, no controls)", required: true, helpName: "FORMULA");
    private readonly Option<bool> _json = Flag("--json", "JSON: twfe {estimate, std_error}, components [{type, treated, comparison, weight, estimate}], by_type [{type, weight, estimate, count}]; type is treated_vs_never, earlier_vs_later, later_vs_earlier or later_vs_always");

    /// <inheritdoc/>
    public override string Name => "bacon";
    /// <inheritdoc/>
    public override string Summary => "Goodman-Bacon decomposition of the TWFE DID estimate into 2x2 comparisons";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var r = BaconDecomposition.Fit(ColumnTableCsv.Read(parse.GetRequiredValue(_data)), parse.GetRequiredValue(_formula));
        return Write(stdout, parse.GetValue(_json), r.ToJson, () => r.ToTable().ToMarkdown() + "\n" + r.ComponentTable().ToMarkdown());
    }
}
