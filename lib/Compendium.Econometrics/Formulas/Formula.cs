using System.Collections.Immutable;

namespace Compendium.Econometrics.Formulas;

/// <summary>
/// A model formula in the fixest style, parsed into a typed specification:
/// <c>y ~ x1 + x2 + x1:x2 + i(rel_year, ref = -1) | city_code + year | d ~ z1 + z2</c>.
/// Part 1 is the outcome and the exogenous regressors, part 2 (optional) the fixed effects,
/// part 3 (optional) the instrumented variables and their instruments.
/// </summary>
/// <remarks>
/// Grammar (whitespace free): <c>formula = lhs "~" rhs ["|" fes] ["|" iv]</c>;
/// <c>rhs = term {"+" term} | "0" | "-1"</c> (<c>0</c>/<c>-1</c> remove the intercept of a model without
/// fixed effects); <c>term = atom {":" atom} | atom "*" atom</c> (<c>a*b</c> = <c>a + b + a:b</c>);
/// <c>atom = name | i(name [, name] [, ref = v | ref = c(v, …)] [, bin = [lo, hi]])</c>;
/// <c>fes = name {"^" name} {"+" …}</c> (<c>a^b</c> is the combined factor); <c>iv = name {"+" name} "~" name {"+" name}</c>.
/// Every term keeps its character position so errors point at the token.
/// </remarks>
public sealed record Formula(
    string Text,
    VariableTerm Outcome,
    ImmutableArray<ModelTerm> Regressors,
    bool Intercept,
    ImmutableArray<FixedEffectTerm> FixedEffects,
    IvPart? Iv)
{
    /// <summary>Parse a formula; a malformed one throws <see cref="InputException"/> with a caret under the offending token.</summary>
    public static Formula Parse(string text) => new FormulaParser(text).Parse();

    /// <summary>Every data column the formula reads (outcome, regressors, fixed effects, IV parts), in order, without duplicates.</summary>
    public IEnumerable<VariableTerm> Variables()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<VariableTerm> all = new[] { Outcome }
            .Concat(Regressors.SelectMany(t => t.Variables()))
            .Concat(FixedEffects.SelectMany(f => f.Parts))
            .Concat(Iv is null ? [] : Iv.Endogenous.Concat(Iv.Instruments));
        foreach (var v in all) if (seen.Add(v.Name)) yield return v;
    }

    /// <summary>The same formula with an exogenous regressor list replaced (used by IV first stages and placebo variants).</summary>
    public Formula WithRegressors(IEnumerable<ModelTerm> regressors) => this with { Regressors = regressors.ToImmutableArray() };

    /// <summary>An <see cref="InputException"/> that shows the formula with a caret under <paramref name="position"/>.</summary>
    public static InputException ErrorAt(string text, int position, int length, string message)
    {
        position = Math.Clamp(position, 0, text.Length);
        var caret = new string(' ', position) + new string('^', Math.Max(1, length));
        return new InputException($"formula: {message}\n  {text}\n  {caret}");
    }

    /// <summary>The formula as written.</summary>
    public override string ToString() => Text;
}

/// <summary>One term of the right-hand side; it expands into one or more regressor columns.</summary>
public abstract record ModelTerm(int Position, int Length)
{
    /// <summary>The data columns this term reads.</summary>
    public abstract IEnumerable<VariableTerm> Variables();
}

/// <summary>A data column by name, e.g. <c>treat</c>.</summary>
public sealed record VariableTerm(string Name, int Position, int Length) : ModelTerm(Position, Length)
{
    /// <inheritdoc/>
    public override IEnumerable<VariableTerm> Variables() { yield return this; }
    /// <summary>The column name.</summary>
    public override string ToString() => Name;
}

/// <summary>A product of two or more atoms, <c>x1:x2</c>; named like R (<c>x1:x2</c>).</summary>
public sealed record InteractionTerm(ImmutableArray<ModelTerm> Parts, int Position, int Length) : ModelTerm(Position, Length)
{
    /// <inheritdoc/>
    public override IEnumerable<VariableTerm> Variables() => Parts.SelectMany(p => p.Variables());
    /// <summary>The parts joined by <c>:</c>, e.g. <c>x1:x2</c>.</summary>
    public override string ToString() => string.Join(":", Parts);
}

/// <summary>
/// Factor expansion <c>i(var, [by,] ref = r, bin = [lo, hi])</c>: one dummy per value of <c>var</c>
/// except the reference value(s), each multiplied by <c>by</c> when given. Values at or below
/// <c>lo</c> (at or above <c>hi</c>) are pooled into one end bin. A missing <c>var</c> (e.g. the relative
/// time of a never-treated unit) gives zeros in every dummy: such rows stay in the sample as controls.
/// Columns are named as fixest names them: <c>rel_year::-3</c>, <c>rel_year::-3:treat</c>, and the bins <c>rel_year::&lt;=-6</c>, <c>rel_year::&gt;=6</c>.
/// </summary>
public sealed record FactorTerm(VariableTerm Variable, VariableTerm? By, ImmutableArray<double> References,
    double? BinLow, double? BinHigh, int Position, int Length) : ModelTerm(Position, Length)
{
    /// <inheritdoc/>
    public override IEnumerable<VariableTerm> Variables()
    {
        yield return Variable;
        if (By is not null) yield return By;
    }
    /// <summary><c>i(var)</c> or <c>i(var, by)</c> (references and bins omitted).</summary>
    public override string ToString() => $"i({Variable}{(By is null ? "" : ", " + By)})";
}

/// <summary>A fixed effect: one factor, or several combined with <c>^</c> (e.g. <c>province^year</c>).</summary>
public sealed record FixedEffectTerm(ImmutableArray<VariableTerm> Parts)
{
    /// <summary>The factor's name: the parts joined by <c>^</c>, e.g. <c>province^year</c>.</summary>
    public string Name => string.Join("^", Parts.Select(p => p.Name));
    /// <summary>The factor's name (<see cref="Name"/>).</summary>
    public override string ToString() => Name;
}

/// <summary>The IV part <c>d1 + d2 ~ z1 + z2</c>: endogenous regressors and excluded instruments.</summary>
public sealed record IvPart(ImmutableArray<VariableTerm> Endogenous, ImmutableArray<VariableTerm> Instruments);
