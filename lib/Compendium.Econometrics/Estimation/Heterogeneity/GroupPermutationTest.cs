using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// One hypothesis of a heterogeneity family, evaluated on the data as they are and under each permutation
/// of the unit-level attributes. Its statistic comes in two forms: raw (a difference of coefficients, or a
/// coefficient) and studentised (divided by its standard error).
/// </summary>
/// <param name="Name">Short name of the hypothesis (a row of the result).</param>
public abstract record GroupHypothesis(string Name)
{
    /// <summary>
    /// The difference of coefficient <paramref name="coefficient"/> between the subsample fits of groups
    /// <paramref name="level"/> and <paramref name="reference"/> of <paramref name="groupColumn"/> (the "Fisher
    /// permutation test" of Chinese DID papers); studentised by √(SE_a² + SE_b²) (<see cref="CoefficientDifference"/>).
    /// </summary>
    public static GroupHypothesis Contrast(string name, string formula, string coefficient, string groupColumn, string level, string reference) =>
        new SubsampleContrast(name, formula, coefficient, groupColumn, level, reference);

    /// <summary>A coefficient of a pooled model (e.g. <c>treat:moderator_c</c>, or an interaction <c>G::g:treat</c>), studentised by its SE (its t).</summary>
    public static GroupHypothesis Coefficient(string name, string formula, string coefficient) =>
        new PooledCoefficient(name, formula, coefficient);

    /// <summary>Every data column the hypothesis reads.</summary>
    internal abstract IEnumerable<string> Columns();

    /// <summary>(raw, studentised) on <paramref name="data"/>; <paramref name="cache"/> shares subsample fits between hypotheses of one evaluation.</summary>
    internal abstract (double Raw, double Studentised) Evaluate(ColumnTable data, Vcov vcov, FeolsOptions? options, Dictionary<(string, string, string), FeolsResult> cache);

    private protected static IEnumerable<string> FormulaColumns(string formula) => Formula.Parse(formula).Variables().Select(v => v.Name);
}

/// <summary>See <see cref="GroupHypothesis.Contrast"/>.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Formula">The model fitted in each group.</param>
/// <param name="CoefficientName">The coefficient compared.</param>
/// <param name="GroupColumn">The grouping column.</param>
/// <param name="Level">Group a.</param>
/// <param name="Reference">Group b (the statistic is a − b).</param>
public sealed record SubsampleContrast(string Name, string Formula, string CoefficientName, string GroupColumn, string Level, string Reference) : GroupHypothesis(Name)
{
    internal override IEnumerable<string> Columns() => FormulaColumns(Formula).Append(GroupColumn);

    internal override (double, double) Evaluate(ColumnTable data, Vcov vcov, FeolsOptions? options, Dictionary<(string, string, string), FeolsResult> cache)
    {
        Coefficient Fit(string level)
        {
            if (!cache.TryGetValue((Formula, GroupColumn, level), out var r))
                cache[(Formula, GroupColumn, level)] = r = SubsampleFits.FitGroup(data, Formulas.Formula.Parse(Formula), vcov, GroupColumn, level, options);
            return r[CoefficientName];
        }
        var a = Fit(Level);
        var b = Fit(Reference);
        double d = a.Estimate - b.Estimate;
        return (d, d / Math.Sqrt(a.StdError * a.StdError + b.StdError * b.StdError));
    }
}

/// <summary>See <see cref="GroupHypothesis.Coefficient"/>.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Formula">The pooled model.</param>
/// <param name="CoefficientName">The coefficient tested.</param>
public sealed record PooledCoefficient(string Name, string Formula, string CoefficientName) : GroupHypothesis(Name)
{
    internal override IEnumerable<string> Columns() => FormulaColumns(Formula);

    internal override (double, double) Evaluate(ColumnTable data, Vcov vcov, FeolsOptions? options, Dictionary<(string, string, string), FeolsResult> cache)
    {
        var c = Feols.Fit(data, Formula, vcov, options)[CoefficientName];
        return (c.Estimate, c.T);
    }
}

/// <summary>Choices of <see cref="GroupPermutationTest"/>.</summary>
/// <param name="Draws">Number of permutations (default 1,000).</param>
/// <param name="Seed">Seed of the <see cref="Numerics.SplitMix64"/> stream (default 1): the same seed gives the same draws on every machine.</param>
/// <param name="Strata">A unit-level column within whose values the attributes are permuted (e.g. the treatment cohort), or null for none.</param>
/// <param name="Fit">Weights and singleton handling of every fit.</param>
public sealed record PermutationOptions(int Draws = 1000, ulong Seed = 1, string? Strata = null, FeolsOptions? Fit = null)
{
    /// <summary>1,000 draws, seed 1, no strata.</summary>
    public static PermutationOptions Default { get; } = new();
}

/// <summary>
/// The result of <see cref="GroupPermutationTest.Run"/>: each hypothesis's observed statistics, their
/// permutation distributions, permutation p-values and p-values adjusted for the family.
/// </summary>
/// <param name="Unit">The unit whose attributes were permuted.</param>
/// <param name="Permuted">The unit-level columns that moved together.</param>
/// <param name="Strata">The strata column, or null.</param>
/// <param name="Draws">Number of permutations B.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Hypotheses">The family, in order.</param>
/// <param name="Observed">Raw statistics on the data.</param>
/// <param name="ObservedStudentised">Studentised statistics on the data.</param>
/// <param name="NullDraws">B rows of raw statistics, one per permutation.</param>
/// <param name="NullDrawsStudentised">B rows of studentised statistics.</param>
/// <param name="P">Permutation p of the raw statistic: (1 + #{|T*| ≥ |T|})/(B + 1).</param>
/// <param name="PStudentised">Permutation p of the studentised statistic (the main one: valid for the null of equal coefficients, not only for exchangeable groups, asymptotically; Chung and Romano 2013, DiCiccio and Romano 2017).</param>
/// <param name="Holm">Holm-adjusted <paramref name="PStudentised"/> (<see cref="MultipleTesting.Holm"/>).</param>
/// <param name="RomanoWolf">Romano–Wolf step-down adjusted p from the studentised statistics of the same permutations (<see cref="MultipleTesting.RomanoWolf"/>).</param>
public sealed record PermutationTestResult(string Unit, ImmutableArray<string> Permuted, string? Strata, int Draws, ulong Seed,
    ImmutableArray<GroupHypothesis> Hypotheses, ImmutableArray<double> Observed, ImmutableArray<double> ObservedStudentised,
    ImmutableArray<ImmutableArray<double>> NullDraws, ImmutableArray<ImmutableArray<double>> NullDrawsStudentised,
    ImmutableArray<double> P, ImmutableArray<double> PStudentised, ImmutableArray<double> Holm, ImmutableArray<double> RomanoWolf)
{
    /// <summary>The row of hypothesis <paramref name="name"/>.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Hypotheses.Length; i++) if (Hypotheses[i].Name == name) return i;
        throw new InputException($"no hypothesis '{name}'; hypotheses: {string.Join(", ", Hypotheses.Select(h => h.Name))}");
    }

    /// <summary>The conventions, for the notes under a table.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Permutation test: {Draws} draws (seed {Seed}, SplitMix64); {string.Join(", ", Permuted)} (constant within each {Unit}) reassigned together across {Unit} values{(Strata is null ? "" : ", within strata of " + Strata)}; p = (1 + #{{|T*| ≥ |T|}})/(B + 1), two-sided. Holm and Romano–Wolf adjust the studentised p-values for the {Hypotheses.Length} tests of the family.");

    /// <summary>One row per hypothesis: raw and studentised statistics, permutation p-values, Holm and Romano–Wolf.</summary>
    public Table ToTable(string? id = null, string? title = null)
    {
        var rows = Hypotheses.Select((h, i) => new TableRow(h.Name, Format.Number(Observed[i], 4), Format.Number(ObservedStudentised[i], 3),
            Format.Number(P[i], 4), Format.Number(PStudentised[i], 4), Format.Number(Holm[i], 4), Format.Number(RomanoWolf[i], 4)));
        return new Table(id ?? "permutation", title ?? "Permutation tests of heterogeneity",
            ["Hypothesis", "Statistic", "Studentised", "p (raw)", "p (studentised)", "Holm", "Romano–Wolf"], rows, [Description]);
    }

    /// <summary>
    /// JSON: <c>unit</c>, <c>permuted</c>, <c>strata</c>, <c>draws</c>, <c>seed</c>, <c>tests</c> [{<c>name</c>,
    /// <c>statistic</c>, <c>studentised</c>, <c>p_value</c>, <c>p_value_studentised</c>, <c>p_holm</c>,
    /// <c>p_romano_wolf</c>, <c>draws</c> (raw statistics), <c>draws_studentised</c>}].
    /// </summary>
    public string ToJson() => ResultJson.Object(Write);

    /// <summary>Write the members of <see cref="ToJson"/> into an open JSON object.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteString("unit", Unit);
        w.WriteStartArray("permuted");
        foreach (var p in Permuted) w.WriteStringValue(p);
        w.WriteEndArray();
        if (Strata is null) w.WriteNull("strata"); else w.WriteString("strata", Strata);
        w.WriteNumber("draws", Draws);
        w.WriteNumber("seed", Seed);
        w.WriteStartArray("tests");
        for (int i = 0; i < Hypotheses.Length; i++)
        {
            w.WriteStartObject();
            w.WriteString("name", Hypotheses[i].Name);
            ResultJson.Num(w, "statistic", Observed[i]);
            ResultJson.Num(w, "studentised", ObservedStudentised[i]);
            ResultJson.Num(w, "p_value", P[i]);
            ResultJson.Num(w, "p_value_studentised", PStudentised[i]);
            ResultJson.Num(w, "p_holm", Holm[i]);
            ResultJson.Num(w, "p_romano_wolf", RomanoWolf[i]);
            foreach (var (name, draws) in new[] { ("draws", NullDraws), ("draws_studentised", NullDrawsStudentised) })
            {
                w.WriteStartArray(name);
                foreach (var row in draws) ResultJsonValue(w, row[i]);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void ResultJsonValue(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
    }
}

/// <summary>
/// A permutation (randomisation) test of treatment-effect heterogeneity: the unit-level attributes that
/// define the groups (labels, moderators) are reshuffled across units, all together and optionally within
/// strata, every hypothesis of the family is re-estimated on each permutation, and the observed statistics
/// are compared with their permutation distributions. Because all hypotheses are recomputed from the same
/// permutations, their joint null distribution is available for the Romano–Wolf adjustment.
/// </summary>
/// <remarks>
/// Draws: <see cref="UnitPermutations.Draw"/> (SplitMix64, Fisher–Yates within strata), so a seed gives
/// identical draws on every machine; draws are evaluated in parallel and stored by draw number, so the
/// result does not depend on the number of threads. A draw in which a hypothesis cannot be computed (e.g. a
/// group without any treated unit, where the coefficient is not identified) stops the test with an
/// <see cref="InputException"/> that suggests strata.
/// Reference: the algorithm is re-implemented in <c>tests/reference/heterogeneity</c> (Python draws, R fixest fits).
/// </remarks>
public static class GroupPermutationTest
{
    /// <summary>Run the test.</summary>
    /// <param name="data">The panel; <paramref name="permuted"/> and the strata must be constant within units.</param>
    /// <param name="unit">The unit identifier column.</param>
    /// <param name="permuted">The unit-level columns whose values move together from unit to unit (group labels, moderators).</param>
    /// <param name="family">The hypotheses (at least one; names unique).</param>
    /// <param name="vcov">The variance estimator of every fit.</param>
    /// <param name="options">Draws, seed, strata, fit options.</param>
    public static PermutationTestResult Run(ColumnTable data, string unit, IReadOnlyList<string> permuted, IReadOnlyList<GroupHypothesis> family,
        Vcov vcov, PermutationOptions? options = null)
    {
        options ??= PermutationOptions.Default;
        if (family.Count == 0) throw new InputException("the permutation test needs at least one hypothesis");
        var dup = family.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"two hypotheses are called '{dup.Key}'; names must be unique");
        if (permuted.Count == 0) throw new InputException("name at least one unit-level column to permute");
        var needed = family.SelectMany(h => h.Columns()).Concat(vcov.Variables).Concat(permuted).Append(unit)
            .Concat(options.Strata is null ? [] : [options.Strata]).Concat(options.Fit?.Weights is { } wt ? [wt] : []).Distinct().ToList();
        data = data.Only(needed);

        var units = UnitIndex.Of(data, unit);
        var values = permuted.Select(c => (Column: c, Numeric: data.IsNumeric(c), Text: units.UnitText(data, c),
            Numbers: data.IsNumeric(c) ? units.UnitNumeric(data, c) : default)).ToList();
        var strata = options.Strata is null ? Enumerable.Repeat<string?>("", units.Count).ToImmutableArray() : units.UnitText(data, options.Strata);

        var observed = Evaluate(data, family, vcov, options.Fit);
        var perms = UnitPermutations.Draw(strata, options.Draws, options.Seed);
        var raw = new ImmutableArray<double>[options.Draws];
        var stud = new ImmutableArray<double>[options.Draws];
        var errors = new ConcurrentDictionary<int, string>();
        Parallel.For(0, options.Draws, b =>
        {
            var d = data;
            var perm = perms[b];
            foreach (var v in values)
                d = v.Numeric
                    ? d.With(v.Column, units.Broadcast(Enumerable.Range(0, units.Count).Select(u => v.Numbers[perm[u]]).ToArray()))
                    : d.With(v.Column, units.Broadcast(Enumerable.Range(0, units.Count).Select(u => v.Text[perm[u]]).ToArray()));
            try
            {
                var s = Evaluate(d, family, vcov, options.Fit);
                raw[b] = s.Raw; stud[b] = s.Studentised;
            }
            catch (InputException e) { errors[b] = e.Message; }
        });
        if (!errors.IsEmpty)
        {
            var first = errors.OrderBy(e => e.Key).First();
            throw new InputException($"permutation draw {first.Key + 1} of {options.Draws} (seed {options.Seed}): {first.Value} " +
                $"({errors.Count} draw(s) failed). A permutation can leave a group without variation in the tested variable; " +
                "permute within strata that keep each group's composition (e.g. the treatment cohort: --strata COLUMN / PermutationOptions.Strata).");
        }
        var p = Enumerable.Range(0, family.Count).Select(j => MultipleTesting.ResamplingP(observed.Raw[j], [.. raw.Select(r => r[j])])).ToImmutableArray();
        var ps = Enumerable.Range(0, family.Count).Select(j => MultipleTesting.ResamplingP(observed.Studentised[j], [.. stud.Select(r => r[j])])).ToImmutableArray();
        var rw = MultipleTesting.RomanoWolf(observed.Studentised, stud.Select(r => (IReadOnlyList<double>)r).ToList());
        return new PermutationTestResult(unit, [.. permuted], options.Strata, options.Draws, options.Seed, [.. family],
            observed.Raw, observed.Studentised, [.. raw], [.. stud], p, ps, MultipleTesting.Holm(ps), rw);
    }

    private static (ImmutableArray<double> Raw, ImmutableArray<double> Studentised) Evaluate(ColumnTable data, IReadOnlyList<GroupHypothesis> family, Vcov vcov, FeolsOptions? options)
    {
        var cache = new Dictionary<(string, string, string), FeolsResult>();
        var raw = new double[family.Count];
        var stud = new double[family.Count];
        for (int j = 0; j < family.Count; j++)
        {
            (raw[j], stud[j]) = family[j].Evaluate(data, vcov, options, cache);
            if (!double.IsFinite(raw[j]) || !double.IsFinite(stud[j]))
                throw new InputException($"hypothesis '{family[j].Name}' has no finite statistic");
        }
        return ([.. raw], [.. stud]);
    }

}
