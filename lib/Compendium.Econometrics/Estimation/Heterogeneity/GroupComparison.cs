using System.Collections.Immutable;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>Choices of <see cref="GroupComparison"/>.</summary>
/// <param name="Reference">The group every other group is compared with (default: the first level).</param>
/// <param name="Permutation">Draws, seed and strata of the permutation test of each difference; null skips it.</param>
/// <param name="GroupSpecificFixedEffects">Fixed effects to interact with the group in the pooled model (see <see cref="InteractionOptions"/>).</param>
/// <param name="Fit">Weights and singleton handling of every fit.</param>
public sealed record GroupComparisonOptions(string? Reference = null, PermutationOptions? Permutation = null,
    ImmutableArray<string> GroupSpecificFixedEffects = default, FeolsOptions? Fit = null);

/// <summary>
/// Everything a heterogeneity analysis by one split reports: the subsample fits, the pooled interaction model
/// with its Wald test of equal effects, each group's difference from the reference group (subsample estimates,
/// normal test), and, when asked, the permutation test of those differences with Holm and Romano–Wolf adjustments.
/// </summary>
/// <param name="Coefficient">The coefficient compared across groups (the treatment).</param>
/// <param name="Reference">The reference group.</param>
/// <param name="Subsamples">The model on each group.</param>
/// <param name="Interaction">The pooled treatment × group model.</param>
/// <param name="Differences">Each other group minus the reference, from the subsample fits.</param>
/// <param name="Permutation">The permutation test of those differences (hypotheses named LEVEL_vs_REFERENCE), or null.</param>
public sealed record GroupComparisonResult(string Coefficient, string Reference, SubsampleFitsResult Subsamples, InteractionModelResult Interaction,
    ImmutableArray<CoefficientDifference> Differences, PermutationTestResult? Permutation)
{
    /// <summary>One row per group other than the reference: subsample difference, its SE and normal p, the pooled model's interaction and p, permutation p-values and their adjustments.</summary>
    public Table ToTable(string? id = null, string? title = null)
    {
        var rows = Differences.Select((d, i) =>
        {
            var inter = Interaction.Model[Interaction.InteractionName(d.Level)];
            var cells = new List<string>
            {
                $"{d.Level} − {d.Reference}", Format.Number(d.Estimate, 4), Format.Number(d.StdError, 4), Format.Number(d.P, 4),
                Format.Number(inter.Estimate, 4), Format.Number(inter.P, 4),
            };
            if (Permutation is { } p)
                cells.AddRange([Format.Number(p.P[i], 4), Format.Number(p.PStudentised[i], 4), Format.Number(p.Holm[i], 4), Format.Number(p.RomanoWolf[i], 4)]);
            return new TableRow([.. cells]);
        });
        var header = new List<string> { "Difference", "Subsamples", "Std. error", "p (normal)", "Interaction", "p (interaction)" };
        if (Permutation is not null) header.AddRange(["p (permutation, raw)", "p (permutation, studentised)", "Holm", "Romano–Wolf"]);
        var notes = new List<string>
        {
            $"Subsamples: {Coefficient} estimated on each group separately; SE √(SE_a² + SE_b²), the groups sharing no cluster.",
            $"Interaction: {Interaction.Model.Formula}. {Interaction.EqualEffects}",
        };
        if (Permutation is not null) notes.Add(Permutation.Description);
        return new Table(id ?? "group_comparison", title ?? $"Does the effect of {Coefficient} differ by {Subsamples.Grouping}?", header, rows, notes);
    }

    /// <summary>
    /// JSON: <c>grouping</c>, <c>coefficient</c>, <c>reference</c>, <c>subsamples</c> (see <see cref="SubsampleFitsResult.Write"/>),
    /// <c>interaction</c> (see <see cref="InteractionModelResult.Write"/>), <c>differences</c> [{<c>level</c>, <c>reference</c>,
    /// <c>estimate</c>, <c>std_error</c>, <c>z</c>, <c>p</c>}], <c>permutation</c> (see <see cref="PermutationTestResult.Write"/>, or null).
    /// </summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        w.WriteString("grouping", Subsamples.Grouping);
        w.WriteString("coefficient", Coefficient);
        w.WriteString("reference", Reference);
        w.WriteStartObject("subsamples");
        Subsamples.Write(w);
        w.WriteEndObject();
        w.WriteStartObject("interaction");
        Interaction.Write(w);
        w.WriteEndObject();
        w.WriteStartArray("differences");
        foreach (var d in Differences)
        {
            w.WriteStartObject();
            w.WriteString("level", d.Level);
            w.WriteString("reference", d.Reference);
            ResultJson.Num(w, "estimate", d.Estimate); ResultJson.Num(w, "std_error", d.StdError);
            ResultJson.Num(w, "z", d.Z); ResultJson.Num(w, "p", d.P);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (Permutation is null) w.WriteNull("permutation");
        else
        {
            w.WriteStartObject("permutation");
            Permutation.Write(w);
            w.WriteEndObject();
        }
    });
}

/// <summary>
/// Compare a treatment effect across the groups of one unit-level split (the heterogeneity section of a
/// DID paper in one call; see <see cref="GroupComparisonResult"/>).
/// </summary>
/// <example><code>
/// var size = UnitGroups.FromColumn(panel, "size_class", UnitIndex.Of(panel, "city_code"));
/// var c = GroupComparison.Run(panel, "resilience ~ treat + fdi | city_code + year", Vcov.Cluster("city_code"), "treat", size,
///     new GroupComparisonOptions("small", new PermutationOptions(1000, 1, Strata: "policy_year")));
/// </code></example>
public static class GroupComparison
{
    /// <summary>Run the comparison.</summary>
    /// <param name="data">The panel.</param>
    /// <param name="formula">The model (the treatment among its regressors).</param>
    /// <param name="vcov">Variance estimator of every fit.</param>
    /// <param name="coefficient">The treatment variable whose effect is compared.</param>
    /// <param name="groups">The split (one label per unit); added to the data as column <see cref="UnitGroups.Name"/>.</param>
    /// <param name="options">Reference group, permutation test, group-specific fixed effects.</param>
    public static GroupComparisonResult Run(ColumnTable data, string formula, Vcov vcov, string coefficient, UnitGroups groups, GroupComparisonOptions? options = null)
    {
        options ??= new GroupComparisonOptions();
        var reference = options.Reference ?? groups.Levels[0];
        if (!groups.Levels.Contains(reference))
            throw new InputException($"reference group '{reference}' does not occur in '{groups.Name}'; groups: {string.Join(", ", groups.Levels)}.");
        var subsamples = SubsampleFits.Fit(data, formula, vcov, groups, options.Fit);
        var interaction = InteractionModel.Fit(data, formula, vcov, coefficient, groups,
            new InteractionOptions(reference, false, options.GroupSpecificFixedEffects, options.Fit));
        var others = groups.Levels.Where(l => l != reference).ToList();
        var differences = others.Select(l => subsamples.Difference(coefficient, l, reference)).ToImmutableArray();
        PermutationTestResult? permutation = null;
        if (options.Permutation is { } po)
        {
            var family = others.Select(l => GroupHypothesis.Contrast($"{l}_vs_{reference}", formula, coefficient, groups.Name, l, reference)).ToList();
            permutation = GroupPermutationTest.Run(groups.AddTo(data), groups.Index.Variable, [groups.Name], family, vcov, po with { Fit = options.Fit });
        }
        return new GroupComparisonResult(coefficient, reference, subsamples, interaction, differences, permutation);
    }
}
