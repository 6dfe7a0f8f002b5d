using System.Collections.Immutable;
using System.Globalization;

namespace Compendium.Econometrics.Formulas;

/// <summary>Recursive-descent parser for <see cref="Formula"/>; tokens carry positions for error carets.</summary>
internal sealed class FormulaParser
{
    private enum Kind { Name, Number, Symbol, End }
    private readonly record struct Token(Kind Kind, string Text, int Position);

    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _i;

    public FormulaParser(string text)
    {
        _text = text ?? throw new ArgumentNullException(nameof(text));
        Tokenize();
    }

    private void Tokenize()
    {
        int p = 0;
        while (p < _text.Length)
        {
            char c = _text[p];
            if (char.IsWhiteSpace(c)) { p++; continue; }
            int start = p;
            if (char.IsLetter(c) || c == '_' || c == '.')
            {
                while (p < _text.Length && (char.IsLetterOrDigit(_text[p]) || _text[p] is '_' or '.')) p++;
                _tokens.Add(new(Kind.Name, _text[start..p], start));
            }
            else if (c == '`')
            {
                int close = _text.IndexOf('`', p + 1);
                if (close < 0) throw Formula.ErrorAt(_text, p, 1, "unclosed back-quote");
                _tokens.Add(new(Kind.Name, _text[(p + 1)..close], start));
                p = close + 1;
            }
            else if (char.IsDigit(c))
            {
                while (p < _text.Length && (char.IsDigit(_text[p]) || _text[p] is '.' or 'e' or 'E')) p++;
                _tokens.Add(new(Kind.Number, _text[start..p], start));
            }
            else if ("~+|:*^(),=-[]".Contains(c))
            {
                _tokens.Add(new(Kind.Symbol, c.ToString(), start));
                p++;
            }
            else throw Formula.ErrorAt(_text, p, 1, $"unexpected character '{c}'");
        }
        _tokens.Add(new(Kind.End, "", _text.Length));
    }

    private Token Peek => _tokens[_i];
    private Token Next() => _tokens[_i++];
    private bool IsSymbol(string s) => Peek.Kind == Kind.Symbol && Peek.Text == s;

    private Token Expect(string symbol, string what)
    {
        if (!IsSymbol(symbol)) throw Error(Peek, $"expected {what}");
        return Next();
    }

    private InputException Error(Token t, string message) =>
        Formula.ErrorAt(_text, t.Position, t.Kind == Kind.End ? 1 : t.Text.Length, t.Kind == Kind.End ? message + " at the end" : $"{message}, found '{t.Text}'");

    public Formula Parse()
    {
        if (string.IsNullOrWhiteSpace(_text)) throw new InputException("formula: empty formula; expected e.g. 'y ~ x1 + x2 | unit + year'");
        var outcome = Name("the outcome variable");
        Expect("~", "'~' after the outcome");
        var (terms, intercept) = RightHandSide();
        var fes = ImmutableArray<FixedEffectTerm>.Empty;
        IvPart? iv = null;
        if (IsSymbol("|"))
        {
            Next();
            if (LooksLikeIv()) iv = IvPart();
            else
            {
                fes = FixedEffects();
                if (IsSymbol("|")) { Next(); iv = IvPart(); }
            }
        }
        if (Peek.Kind != Kind.End) throw Error(Peek, "expected '+', '|' or the end of the formula");
        if (fes.Length > 0 && !intercept)
            throw Formula.ErrorAt(_text, 0, _text.Length, "'0' / '-1' (no intercept) cannot be combined with fixed effects, which absorb the intercept");
        return new Formula(_text, outcome, terms, intercept, fes, iv);
    }

    // The part after the first '|' is an IV part when it contains '~' before any further '|'.
    private bool LooksLikeIv()
    {
        for (int j = _i; j < _tokens.Count; j++)
        {
            if (_tokens[j].Kind == Kind.Symbol && _tokens[j].Text == "|") return false;
            if (_tokens[j].Kind == Kind.Symbol && _tokens[j].Text == "~") return true;
        }
        return false;
    }

    private (ImmutableArray<ModelTerm>, bool) RightHandSide()
    {
        var terms = ImmutableArray.CreateBuilder<ModelTerm>();
        bool intercept = true;
        while (true)
        {
            if (Peek.Kind == Kind.Number && (Peek.Text == "0" || Peek.Text == "1"))
            {
                intercept = Next().Text == "1" && intercept;
            }
            else if (IsSymbol("-"))
            {
                Next();
                if (Peek.Kind == Kind.Number && Peek.Text == "1") { Next(); intercept = false; }
                else throw Error(Peek, "only '-1' (drop the intercept) may follow '-'");
            }
            else terms.AddRange(Term());
            if (IsSymbol("-")) continue; // '- 1' is handled at the top of the loop
            if (!IsSymbol("+")) break;
            Next();
        }
        return (terms.ToImmutable(), intercept);
    }

    private IEnumerable<ModelTerm> Term()
    {
        int start = Peek.Position;
        var first = Atom();
        if (IsSymbol("*"))
        {
            Next();
            var second = Atom();
            int end = _tokens[_i - 1].Position + _tokens[_i - 1].Text.Length;
            return [first, second, new InteractionTerm([first, second], start, end - start)];
        }
        if (!IsSymbol(":")) return [first];
        var parts = ImmutableArray.CreateBuilder<ModelTerm>();
        parts.Add(first);
        while (IsSymbol(":")) { Next(); parts.Add(Atom()); }
        int stop = _tokens[_i - 1].Position + _tokens[_i - 1].Text.Length;
        return [new InteractionTerm(parts.ToImmutable(), start, stop - start)];
    }

    private ModelTerm Atom()
    {
        if (Peek.Kind == Kind.Name && Peek.Text == "i" && _tokens[_i + 1] is { Kind: Kind.Symbol, Text: "(" })
            return FactorCall();
        return Name("a variable name");
    }

    private VariableTerm Name(string what)
    {
        if (Peek.Kind != Kind.Name) throw Error(Peek, $"expected {what}");
        var t = Next();
        return new VariableTerm(t.Text, t.Position, t.Text.Length);
    }

    private FactorTerm FactorCall()
    {
        var head = Next();
        Next(); // (
        var variable = Name("the factor variable inside i()");
        VariableTerm? by = null;
        var refs = ImmutableArray<double>.Empty;
        double? lo = null, hi = null;
        while (IsSymbol(","))
        {
            Next();
            if (Peek.Kind == Kind.Name && _tokens[_i + 1] is { Kind: Kind.Symbol, Text: "=" })
            {
                var key = Next();
                Next(); // =
                switch (key.Text)
                {
                    case "ref": refs = NumberList(); break;
                    case "bin":
                        var b = NumberList();
                        if (b.Length != 2 || b[0] >= b[1]) throw Error(key, "bin needs two increasing end points, e.g. bin = [-6, 6]");
                        lo = b[0]; hi = b[1];
                        break;
                    default: throw Error(key, "unknown argument of i(); use ref = … or bin = [lo, hi]");
                }
            }
            else if (by is null) by = Name("the interacted variable of i()");
            else throw Error(Peek, "i() takes one interacted variable");
        }
        var close = Expect(")", "')' closing i(");
        return new FactorTerm(variable, by, refs, lo, hi, head.Position, close.Position + 1 - head.Position);
    }

    private ImmutableArray<double> NumberList()
    {
        var list = ImmutableArray.CreateBuilder<double>();
        string? closer = null;
        if (IsSymbol("[")) { Next(); closer = "]"; }
        else if (Peek is { Kind: Kind.Name, Text: "c" } && _tokens[_i + 1] is { Kind: Kind.Symbol, Text: "(" }) { Next(); Next(); closer = ")"; }
        do
        {
            if (closer is not null && list.Count > 0) Next(); // the comma
            list.Add(Number());
        } while (closer is not null && IsSymbol(","));
        if (closer is not null) Expect(closer, $"'{closer}'");
        return list.ToImmutable();
    }

    private double Number()
    {
        int sign = 1;
        if (IsSymbol("-")) { Next(); sign = -1; }
        if (Peek.Kind != Kind.Number || !double.TryParse(Peek.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            throw Error(Peek, "expected a number");
        Next();
        return sign * v;
    }

    private ImmutableArray<FixedEffectTerm> FixedEffects()
    {
        var list = ImmutableArray.CreateBuilder<FixedEffectTerm>();
        if (Peek.Kind == Kind.Number && Peek.Text == "0") { Next(); return list.ToImmutable(); }
        while (true)
        {
            var parts = ImmutableArray.CreateBuilder<VariableTerm>();
            parts.Add(Name("a fixed-effect variable"));
            while (IsSymbol("^")) { Next(); parts.Add(Name("a fixed-effect variable after '^'")); }
            list.Add(new FixedEffectTerm(parts.ToImmutable()));
            if (!IsSymbol("+")) break;
            Next();
        }
        return list.ToImmutable();
    }

    private IvPart IvPart()
    {
        var endo = ImmutableArray.CreateBuilder<VariableTerm>();
        endo.Add(Name("an endogenous variable"));
        while (IsSymbol("+")) { Next(); endo.Add(Name("an endogenous variable")); }
        Expect("~", "'~' between the endogenous variables and the instruments");
        var inst = ImmutableArray.CreateBuilder<VariableTerm>();
        inst.Add(Name("an instrument"));
        while (IsSymbol("+")) { Next(); inst.Add(Name("an instrument")); }
        return new IvPart(endo.ToImmutable(), inst.ToImmutable());
    }
}
