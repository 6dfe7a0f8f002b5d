using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium compare-groups</c>: does a treatment effect differ across the groups of a unit-level
/// column? Subsample fits, the pooled treatment × group model with its Wald test, each group's difference
/// from the reference group, and a seeded permutation test of those differences (group labels reshuffled
/// across units) with Holm and Romano–Wolf adjusted p-values (<see cref="GroupComparison"/>).
/// </summary>
public sealed class CompareGroupsCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "compare-groups";
    /// <inheritdoc/>
    public string Summary => "heterogeneity by group: subsample fits, treat × group model (Wald), permutation test, Holm, Romano–Wolf";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium compare-groups --data FILE.csv --formula "y ~ d + x1 | unit + year" --group VAR
                                         [--coef d] [--unit VAR] [--reference LEVEL] [--vcov cluster:VAR]
                                         [--draws 1000] [--seed 1] [--strata VAR] [--group-specific-fe FE]
                                         [--keep-singletons] [--json]
          --group     a column constant within each unit (text or numbers): the groups to compare
          --coef      the treatment whose effect is compared (default: the first regressor of the formula)
          --unit      the unit whose labels are permuted (default: the first fixed effect)
          --reference the group the others are compared with (default: the first level, sorted)
          --vcov      variance estimator (default cluster:UNIT)
          --draws     permutations (default 1000; 0 skips the permutation test); --seed the SplitMix64 seed (default 1)
          --strata    a unit-level column within whose values labels are permuted (e.g. the treatment cohort),
                      so every group keeps its composition; recommended when a group has few treated units
          --group-specific-fe  a fixed effect of the formula to interact with the group in the pooled model (repeatable)
          --json      JSON: grouping, coefficient, reference, subsamples {groups [{level, fit}]}, interaction
                      {equal_effects, group_effects, model}, differences [{level, reference, estimate, std_error, z, p}],
                      permutation {unit, permuted, strata, draws, seed, tests [{name, statistic, studentised, p_value,
                      p_value_studentised, p_holm, p_romano_wolf, draws, draws_studentised}]} or null
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json", "keep-singletons"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formulaText = args.Required("formula");
        var group = args.Required("group");
        var coef = args.Option("coef");
        var unit = args.Option("unit");
        var reference = args.Option("reference");
        var vcovSpec = args.Option("vcov");
        int draws = args.Int("draws", 1000);
        var seedText = args.Option("seed") ?? "1";
        var strata = args.Option("strata");
        var groupFe = args.All("group-specific-fe");
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        if (draws < 0) throw new UsageException($"option --draws: {draws} is negative");
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            throw new UsageException($"option --seed: '{seedText}' is not a whole number ≥ 0");

        var formula = Formula.Parse(formulaText);
        coef ??= formula.Regressors.OfType<VariableTerm>().FirstOrDefault()?.Name
                 ?? throw new UsageException("the formula has no plain regressor to compare; name it with --coef");
        unit ??= formula.FixedEffects.FirstOrDefault() is { Parts.Length: 1 } fe ? fe.Name
                 : throw new UsageException("name the unit whose group labels are permuted with --unit (the formula's first fixed effect is not a single variable)");
        var vcov = Vcov.Parse(vcovSpec ?? "cluster:" + unit);
        var data = ColumnTableCsv.Read(dataPath);
        var groups = UnitGroups.FromColumn(data, group, UnitIndex.Of(data, unit));
        var result = GroupComparison.Run(data, formulaText, vcov, coef, groups, new GroupComparisonOptions(reference,
            draws == 0 ? null : new PermutationOptions(draws, seed, strata), [.. groupFe], new FeolsOptions(null, !keepSingletons)));
        if (json) stdout.Write(result.ToJson() + "\n");
        else
        {
            stdout.Write(result.Subsamples.ToTable(coef, "subsamples").ToMarkdown());
            stdout.WriteLine();
            stdout.Write(result.Interaction.ToTable("interaction").ToMarkdown());
            stdout.WriteLine();
            stdout.Write(result.ToTable().ToMarkdown());
        }
        return 0;
    }
}
