using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Compendium.Econometrics;

namespace Compendium.Reproduction;

/// <summary>One declaration of a notebook's parameters cell, e.g. <c>var timing = "default";</c>.</summary>
public sealed record NotebookParameter(string Name, string Type, string Literal)
{
    /// <summary>string, bool, int, double, or code (any other expression).</summary>
    public string Kind => Literal switch
    {
        _ when Literal.StartsWith('"') || Literal.StartsWith("@\"", StringComparison.Ordinal) => "string",
        "true" or "false" => "bool",
        _ when int.TryParse(Literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && Type is "var" or "int" or "long" => "int",
        _ when double.TryParse(Literal.TrimEnd('d', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "double",
        _ => "code",
    };
}

/// <summary>
/// The papermill convention for C# notebooks. A notebook's code cell tagged <c>parameters</c>
/// declares the choices an author varies, one per line (<c>var NAME = VALUE;</c> or
/// <c>TYPE NAME = VALUE;</c>). A run overrides some of them with <c>name=value</c> pairs: the runner
/// inserts a cell tagged <c>injected-parameters</c> right after the parameters cell that
/// redeclares them (C# script submissions may redeclare a variable). Values are typed by the
/// declaration they replace: a string declaration quotes the value; bool, int and double ones
/// check it; any other declaration takes the value as C# code.
/// </summary>
public static partial class NotebookParameters
{
    /// <summary>Cell tags: <c>parameters</c> marks the declarations cell, <c>injected-parameters</c> the inserted overrides cell (also its cell id).</summary>
    public const string Tag = "parameters", InjectedTag = "injected-parameters", InjectedId = "injected-parameters";

    [GeneratedRegex(@"^\s*(?<type>var|[A-Za-z_][\w<>\[\],.? ]*?)\s+(?<name>[A-Za-z_]\w*)\s*=\s*(?<value>.+?)\s*;\s*(//.*)?$")]
    private static partial Regex Declaration();

    /// <summary>The declarations of a parameters cell, in order.</summary>
    public static IReadOnlyList<NotebookParameter> Parse(string source) =>
        source.Split('\n')
            .Select(l => Declaration().Match(l.TrimEnd('\r')))
            .Where(m => m.Success)
            .Select(m => new NotebookParameter(m.Groups["name"].Value, m.Groups["type"].Value.Trim(), m.Groups["value"].Value))
            .ToList();

    /// <summary>
    /// The source of the injected cell for <paramref name="overrides"/> (applied in the given order),
    /// or an <see cref="InputException"/> naming the unknown parameter or the bad value.
    /// </summary>
    public static string InjectedSource(string notebook, IReadOnlyList<NotebookParameter> declared, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var sb = new StringBuilder("// Parameters injected by `compendium reproduce` (override the cell above).\n");
        foreach (var (name, value) in overrides)
        {
            var p = declared.FirstOrDefault(d => d.Name == name)
                ?? throw new InputException($"{notebook}: no parameter '{name}' in its parameters cell; it has: {string.Join(", ", declared.Select(d => d.Name))}");
            sb.Append(p.Type).Append(' ').Append(name).Append(" = ").Append(Literal(notebook, p, value)).Append(";\n");
        }
        return sb.ToString();
    }

    private static string Literal(string notebook, NotebookParameter p, string value)
    {
        switch (p.Kind)
        {
            case "string":
                return SymbolDisplay.FormatLiteral(value, quote: true);
            case "bool":
                return value is "true" or "false" ? value
                    : throw new InputException($"{notebook}: parameter '{p.Name}' is a bool; give true or false, not '{value}'");
            case "int":
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? i.ToString(CultureInfo.InvariantCulture)
                    : throw new InputException($"{notebook}: parameter '{p.Name}' is an integer; '{value}' is not");
            case "double":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                    throw new InputException($"{notebook}: parameter '{p.Name}' is a number; '{value}' is not (use a dot for decimals)");
                var s = d.ToString("R", CultureInfo.InvariantCulture);
                return s.Contains('.') || s.Contains('E') ? s : s + ".0";
            default:
                return value;
        }
    }
}
