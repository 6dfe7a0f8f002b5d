using Compendium.Econometrics.Data;
using Compendium.Econometrics.Staggered;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium bacon</c>: the Goodman-Bacon decomposition of a TWFE DID coefficient on any balanced
/// panel CSV. <c>--json</c>: <c>twfe</c> {estimate, std_error, nobs, vcov}, <c>components</c> [{type,
/// treated, comparison, weight, estimate}], <c>by_type</c> [{type, weight, estimate, count}], <c>weighted_sum</c>.
/// </summary>
public sealed class BaconCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "bacon";
    /// <inheritdoc/>
    public string Summary => "Goodman-Bacon decomposition of the TWFE DID estimate into 2x2 comparisons";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium bacon --data FILE.csv --formula "y ~ d | unit + time" [--json]
          --formula   outcome, a 0/1 absorbing treatment dummy, unit and time fixed effects (balanced panel, no controls)
          --json      JSON: twfe {estimate, std_error}, components [{type, treated, comparison, weight, estimate}],
                      by_type [{type, weight, estimate, count}]; type is treated_vs_never, earlier_vs_later,
                      later_vs_earlier or later_vs_always
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        var r = BaconDecomposition.Fit(ColumnTableCsv.Read(dataPath), formula);
        stdout.Write(json ? r.ToJson() + "\n" : r.ToTable().ToMarkdown() + "\n" + r.ComponentTable().ToMarkdown());
        return 0;
    }
}
