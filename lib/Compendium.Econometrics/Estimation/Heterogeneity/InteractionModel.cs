using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>Choices of <see cref="InteractionModel"/>.</summary>
/// <param name="Reference">The group whose effect is the main treatment coefficient (default: the first level). Ignored when <paramref name="Saturated"/>.</param>
/// <param name="Saturated">One treatment coefficient per group (<c>i(G, treat)</c>, no main term) instead of the reference group's effect plus differences.</param>
/// <param name="GroupSpecificFixedEffects">Fixed effects of the formula to interact with the group (e.g. <c>year</c> → <c>year^G</c>: group-specific time effects, as in separate subsample fits).</param>
/// <param name="Fit">Weights and singleton handling of the underlying <see cref="Feols"/> fit.</param>
public sealed record InteractionOptions(string? Reference = null, bool Saturated = false,
    ImmutableArray<string> GroupSpecificFixedEffects = default, FeolsOptions? Fit = null)
{
    /// <summary>Reference = first level, common fixed effects.</summary>
    public static InteractionOptions Default { get; } = new();
}

/// <summary>
/// A pooled treatment × group interaction model and the Wald test that the treatment effect is the same in
/// every group. Coefficients are named as fixest names <c>i(G, treat)</c>: <c>G::level:treat</c>.
/// </summary>
/// <param name="Model">The fitted pooled model (clustered or otherwise as asked).</param>
/// <param name="Treatment">The treatment variable interacted with the groups.</param>
/// <param name="Grouping">The grouping column.</param>
/// <param name="Levels">The groups in order.</param>
/// <param name="Reference">The reference group (null when saturated).</param>
/// <param name="EqualEffects">Wald F test that the treatment effect is equal across groups (every interaction zero; saturated: every group's coefficient equal to the first's), F(q, n − K) as fixest's <c>wald()</c>.</param>
public sealed record InteractionModelResult(FeolsResult Model, string Treatment, string Grouping, ImmutableArray<string> Levels,
    string? Reference, TestStatistic EqualEffects)
{
    /// <summary>The coefficient name of group <paramref name="level"/>'s interaction, <c>G::level:treat</c>.</summary>
    public string InteractionName(string level) => InteractionModel.TermName(Grouping, level, Treatment);

    /// <summary>
    /// The treatment effect in each group as a linear combination of the coefficients: the reference group's
    /// is the main coefficient; another group's is main + its interaction (saturated: its own coefficient).
    /// SE = √(a′V̂a), t, p and 95% interval on the model's t degrees of freedom. Named by the level.
    /// </summary>
    public ImmutableArray<Coefficient> GroupEffects() =>
    [
        .. Levels.Select(level =>
        {
            var weights = new Dictionary<string, double>(StringComparer.Ordinal);
            if (Reference is null) weights[InteractionName(level)] = 1;
            else
            {
                weights[Treatment] = 1;
                if (level != Reference) weights[InteractionName(level)] = 1;
            }
            return InteractionModel.Combination(Model, level, weights);
        }),
    ];

    /// <summary>The interaction coefficients with their inference, the Wald test in the notes.</summary>
    public Table ToTable(string? id = null, string? title = null)
    {
        var rows = Model.Coefficients.Where(c => c.Name == Treatment || c.Name.StartsWith(Grouping + "::", StringComparison.Ordinal))
            .Select(c => new TableRow(c.Name, Format.Number(c.Estimate, 4), Format.Number(c.StdError, 4), Format.Number(c.T, 3), Format.Number(c.P, 4),
                Format.Number(c.CiLow, 4), Format.Number(c.CiHigh, 4)));
        var w = EqualEffects;
        return new Table(id ?? "interaction", title ?? Model.Formula, ["", "Estimate", "Std. error", "t", "p", "95% CI low", "95% CI high"], rows,
        [
            string.Create(CultureInfo.InvariantCulture, $"Equal effects across {Grouping} (Wald): F({w.Df1}, {w.Df2}) = {w.Statistic:F3}, p = {w.PValue:F4}."),
            Reference is null ? $"One {Treatment} coefficient per group." : $"{Treatment} is the effect in the reference group {Reference}; {Grouping}::level:{Treatment} is the difference from it.",
            .. Model.Notes(),
        ]);
    }

    /// <summary>JSON: <c>grouping</c>, <c>treatment</c>, <c>reference</c>, <c>equal_effects</c> (test), <c>group_effects</c> (coefficients), <c>model</c> (the estimation JSON).</summary>
    public string ToJson() => ResultJson.Object(Write);

    /// <summary>Write the members of <see cref="ToJson"/> into an open JSON object.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteString("grouping", Grouping);
        w.WriteString("treatment", Treatment);
        if (Reference is null) w.WriteNull("reference"); else w.WriteString("reference", Reference);
        w.WritePropertyName("equal_effects");
        ResultJson.Test(w, EqualEffects);
        ResultJson.Coefficients(w, "group_effects", GroupEffects());
        w.WriteStartObject("model");
        ResultJson.Write(w, Model);
        w.WriteEndObject();
    }
}

/// <summary>
/// The pooled heterogeneity model y = β·treat + Σ_{g ≠ ref} δ_g·treat·1[G = g] + x′γ + FE + ε (or the
/// saturated form Σ_g β_g·treat·1[G = g]), with the treatment's interactions built from a grouping
/// column and added to any formula, and the Wald test that every δ_g is zero. Unlike subsample fits
/// (<see cref="SubsampleFits"/>) the controls and fixed effects are common to all groups unless
/// <see cref="InteractionOptions.GroupSpecificFixedEffects"/> interacts them with the group.
/// </summary>
/// <example><code>
/// var m = InteractionModel.Fit(panel, "resilience ~ treat + fdi | city_code + year", Vcov.Cluster("city_code"),
///     "treat", "size3", new InteractionOptions(Reference: "medium_small"));
/// Console.WriteLine(m.EqualEffects);
/// </code></example>
public static class InteractionModel
{
    /// <summary>Fit the interaction model for grouping column <paramref name="groupColumn"/> (levels sorted as numbers when all are numbers, else ordinally).</summary>
    /// <param name="data">The data.</param>
    /// <param name="formula">The model without the interactions; must contain <paramref name="treatment"/> as a regressor.</param>
    /// <param name="vcov">Variance estimator.</param>
    /// <param name="treatment">The variable whose effect may differ by group.</param>
    /// <param name="groupColumn">The groups (text or numbers; no missing value in the sample).</param>
    /// <param name="options">Reference group, form, group-specific fixed effects.</param>
    public static InteractionModelResult Fit(ColumnTable data, string formula, Vcov vcov, string treatment, string groupColumn, InteractionOptions? options = null)
    {
        if (!data.HasColumn(groupColumn)) throw data.Missing(groupColumn);
        return FitLevels(data, formula, vcov, treatment, groupColumn, UnitGroups.SortLevels(data.Text(groupColumn)), options ?? InteractionOptions.Default);
    }

    /// <summary>Fit the interaction model for a unit-level split (added to the data as column <see cref="UnitGroups.Name"/>), in its level order.</summary>
    public static InteractionModelResult Fit(ColumnTable data, string formula, Vcov vcov, string treatment, UnitGroups groups, InteractionOptions? options = null) =>
        FitLevels(groups.AddTo(data), formula, vcov, treatment, groups.Name, groups.Levels, options ?? InteractionOptions.Default);

    /// <summary>The name of an interaction column, as fixest names <c>i(G, treat)</c>: <c>G::level:treat</c>.</summary>
    public static string TermName(string grouping, string level, string treatment) => $"{grouping}::{level}:{treatment}";

    private static InteractionModelResult FitLevels(ColumnTable data, string formula, Vcov vcov, string treatment, string column,
        IReadOnlyList<string> levels, InteractionOptions o)
    {
        var parsed = Formula.Parse(formula);
        if (parsed.Iv is not null) throw Formula.ErrorAt(formula, 0, formula.Length, "interaction models take no IV part");
        if (!parsed.Intercept && parsed.FixedEffects.Length == 0) throw Formula.ErrorAt(formula, 0, formula.Length, "interaction models need an intercept or fixed effects");
        foreach (var v in parsed.Variables())
            if (!data.HasColumn(v.Name))
                throw Formula.ErrorAt(formula, v.Position, v.Length, $"unknown variable '{v.Name}' in {data.Source}. Columns: {string.Join(", ", data.ColumnNames)}");
        int at = parsed.Regressors.IndexOf(parsed.Regressors.FirstOrDefault(t => t is VariableTerm vt && vt.Name == treatment)!);
        if (at < 0) throw Formula.ErrorAt(formula, 0, formula.Length, $"the treatment '{treatment}' must be a regressor of the formula");
        if (levels.Count < 2) throw new InputException($"{data.Source}: '{column}' has {levels.Count} group(s); an interaction model needs at least two.");
        string? reference = o.Saturated ? null : o.Reference ?? levels[0];
        if (reference is not null && !levels.Contains(reference))
            throw new InputException($"{data.Source}: reference group '{reference}' does not occur in '{column}'; groups: {string.Join(", ", levels)}.");

        // The interaction columns treat·1[G = g].
        var d = data.Numeric(treatment);
        var g = data.Text(column);
        var interacted = levels.Where(l => l != reference).ToList();
        foreach (var level in interacted)
        {
            var col = new double[d.Length];
            for (int i = 0; i < col.Length; i++) col[i] = g[i] is null ? double.NaN : g[i] == level ? d[i] : 0.0;
            data = data.With(TermName(column, level, treatment), col);
        }

        // The formula: the treatment term (kept unless saturated) followed by the interactions; group-specific fixed effects.
        var fixedSet = o.GroupSpecificFixedEffects.IsDefault ? [] : o.GroupSpecificFixedEffects;
        foreach (var fe in fixedSet)
            if (!parsed.FixedEffects.Any(f => f.Name == fe))
                throw new InputException($"'{fe}' is not a fixed effect of '{formula}'; fixed effects: {string.Join(", ", parsed.FixedEffects.Select(f => f.Name))}.");
        var rhs = new List<string>();
        for (int j = 0; j < parsed.Regressors.Length; j++)
        {
            if (j == at)
            {
                if (!o.Saturated) rhs.Add(Render(parsed.Regressors[j], formula));
                rhs.AddRange(interacted.Select(l => Quote(TermName(column, l, treatment))));
            }
            else rhs.Add(Render(parsed.Regressors[j], formula));
        }
        var fes = parsed.FixedEffects.Select(f => string.Join("^", f.Parts.Select(p => Quote(p.Name))) + (fixedSet.Contains(f.Name) ? "^" + Quote(column) : ""));
        var text = $"{Quote(parsed.Outcome.Name)} ~ {string.Join(" + ", rhs)}" + (parsed.FixedEffects.Length > 0 ? " | " + string.Join(" + ", fes) : "");
        var model = Feols.Fit(data, text, vcov, o.Fit);

        TestStatistic wald;
        var nullText = $"the effect of {treatment} is the same in every group of {column}";
        if (reference is not null)
            wald = model.Wald([.. interacted.Select(l => TermName(column, l, treatment))]) with { Null = nullText };
        else
        {
            int k = model.Coefficients.Length;
            var r = new double[levels.Count - 1, k];
            int first = model.Coefficients.IndexOf(model[TermName(column, levels[0], treatment)]);
            for (int a = 1; a < levels.Count; a++)
            {
                r[a - 1, model.Coefficients.IndexOf(model[TermName(column, levels[a], treatment)])] = 1;
                r[a - 1, first] = -1;
            }
            wald = model.Wald(r, null, nullText);
        }
        return new InteractionModelResult(model, treatment, column, [.. levels], reference, wald);
    }

    /// <summary>a′β̂ with SE √(a′V̂a), t, p and 95% interval on the result's t degrees of freedom.</summary>
    internal static Coefficient Combination(EstimationResult r, string name, IReadOnlyDictionary<string, double> weights)
    {
        int k = r.Coefficients.Length;
        var a = new double[k];
        foreach (var (coef, w) in weights) a[r.Coefficients.IndexOf(r[coef])] = w;
        double est = 0, var = 0;
        for (int i = 0; i < k; i++)
        {
            est += a[i] * r.Coefficients[i].Estimate;
            for (int j = 0; j < k; j++) var += a[i] * r.Variance.Matrix[i * k + j] * a[j];
        }
        double se = Math.Sqrt(var), t = est / se, df = r.Variance.DegreesOfFreedom, q = Distributions.TQuantile(0.975, df);
        return new Coefficient(name, est, se, t, Distributions.TwoSidedT(t, df), est - q * se, est + q * se);
    }

    private static string Render(ModelTerm term, string text) => term switch
    {
        VariableTerm v => Quote(v.Name),
        InteractionTerm it => string.Join(":", it.Parts.Select(p => Render(p, text))),
        _ => text.Substring(term.Position, term.Length),
    };

    private static string Quote(string name) => name.All(c => char.IsLetterOrDigit(c) || c is '_' or '.') && !char.IsDigit(name[0]) ? name : "`" + name + "`";
}
