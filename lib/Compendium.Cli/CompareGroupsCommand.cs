using System.CommandLine;
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
public sealed class CompareGroupsCommand : CommandDefinition
{
    private readonly Option<string> _data = Text("--data", "panel CSV", required: true, helpName: "FILE");
    private readonly Option<string> _formula = Text("--formula", "fixest-style \"y ~ d + x1 | unit + year\"", required: true, helpName: "FORMULA");
    private readonly Option<string> _group = Text("--group", "a column constant within each unit (text or numbers): the groups to compare", required: true, helpName: "VAR");
    private readonly Option<string> _coef = Text("--coef", "the treatment whose effect is compared (default: the first regressor of the formula)", helpName: "NAME");
    private readonly Option<string> _unit = Text("--unit", "the unit whose labels are permuted (default: the first fixed effect)", helpName: "VAR");
    private readonly Option<string> _reference = Text("--reference", "the group the others are compared with (default: the first level, sorted)", helpName: "LEVEL");
    private readonly Option<string> _vcov = Text("--vcov", "variance estimator (default cluster:UNIT)", helpName: "VCOV");
    private readonly Option<int> _draws = Int("--draws", "permutations (0 skips the permutation test)", 1000);
    private readonly Option<ulong> _seed = Seed("the SplitMix64 seed of the permutations");
    private readonly Option<string> _strata = Text("--strata", "a unit-level column within whose values labels are permuted (e.g. the treatment cohort), so every group keeps its composition; recommended when a group has few treated units", helpName: "VAR");
    private readonly Option<string[]> _groupFe = Repeatable("--group-specific-fe", "a fixed effect of the formula to interact with the group in the pooled model (repeatable)", "FE");
    private readonly Option<bool> _keepSingletons = Flag("--keep-singletons", "keep singleton observations of the fixed effects (dropped by default, as reghdfe)");
    private readonly Option<bool> _json = Flag("--json", "JSON: grouping, coefficient, reference, subsamples {groups [{level, fit}]}, interaction {equal_effects, group_effects, model}, differences [{level, reference, estimate, std_error, z, p}], permutation {unit, permuted, strata, draws, seed, tests [{name, statistic, studentised, p_value, p_value_studentised, p_holm, p_romano_wolf, draws, draws_studentised}]} or null");

    /// <inheritdoc/>
    public override string Name => "compare-groups";
    /// <inheritdoc/>
    public override string Summary => "heterogeneity by group: subsample fits, treat × group model (Wald), permutation test, Holm, Romano–Wolf";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_data, _formula, _group, _coef, _unit, _reference, _vcov, _draws, _seed, _strata, _groupFe, _keepSingletons, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var formulaText = parse.GetRequiredValue(_formula);
        int draws = AtLeast(parse, _draws, 0);
        var formula = Formula.Parse(formulaText);
        var coef = parse.GetValue(_coef) ?? formula.Regressors.OfType<VariableTerm>().FirstOrDefault()?.Name
                 ?? throw new UsageException("the formula has no plain regressor to compare; name it with --coef");
        var unit = parse.GetValue(_unit) ?? (formula.FixedEffects.FirstOrDefault() is { Parts.Length: 1 } fe ? fe.Name
                 : throw new UsageException("name the unit whose group labels are permuted with --unit (the formula's first fixed effect is not a single variable)"));
        var vcov = Vcov.Parse(parse.GetValue(_vcov) ?? "cluster:" + unit);
        var data = ColumnTableCsv.Read(parse.GetRequiredValue(_data));
        var groups = UnitGroups.FromColumn(data, parse.GetRequiredValue(_group), UnitIndex.Of(data, unit));
        var result = GroupComparison.Run(data, formulaText, vcov, coef, groups, new GroupComparisonOptions(parse.GetValue(_reference),
            draws == 0 ? null : new PermutationOptions(draws, parse.GetValue(_seed), parse.GetValue(_strata)), [.. parse.GetValue(_groupFe) ?? []],
            new FeolsOptions(null, !parse.GetValue(_keepSingletons))));
        return Write(stdout, parse.GetValue(_json), result.ToJson, () =>
            result.Subsamples.ToTable(coef, "subsamples").ToMarkdown() + "\n" + result.Interaction.ToTable("interaction").ToMarkdown() + "\n" + result.ToTable().ToMarkdown());
    }
}
