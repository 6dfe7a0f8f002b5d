using System.CommandLine;

namespace Compendium.Cli;

/// <summary>
/// One sub-command of <c>compendium</c>, declared with System.CommandLine: its options are
/// <see cref="Option{T}"/> fields, System.CommandLine parses them (types, required options, repeated
/// options, <c>--name=value</c>, response files <c>@FILE</c>) and writes <c>--help</c>. Each command
/// lives in its own file and is found by reflection (<see cref="CommandRegistry"/>): adding one touches
/// no shared file.
/// </summary>
/// <remarks>
/// <para>Writing a command:</para>
/// <list type="number">
/// <item>derive from <see cref="CommandDefinition"/>; set <see cref="Name"/>, <see cref="Summary"/> (one line)
/// and, if needed, <see cref="Details"/> (conventions, JSON fields);</item>
/// <item>declare each option as a field made with <see cref="Text"/> (a value; <c>required: true</c> or a default),
/// <see cref="Flag"/> (a switch), <see cref="Repeatable"/> (given several times), <see cref="Int"/>,
/// <see cref="Number"/>, <see cref="OptionalNumber"/> or <see cref="Seed"/>, and list the fields in <see cref="Symbols"/>;</item>
/// <item>read them in <see cref="Run(ParseResult, TextWriter, TextWriter)"/> with <c>parse.GetValue(_x)</c>;
/// System.CommandLine rejects unknown options, stray arguments and values of the wrong type itself, so the
/// command only checks what the types cannot say (ranges with <see cref="AtLeast"/>, combinations) and throws
/// <see cref="UsageException"/>;</item>
/// <item>a command with sub-commands (<c>compendium spatial moran</c>) lists them in <see cref="SubCommands"/>,
/// each a <see cref="CommandDefinition"/> nested in the parent's class (reflection registers only top-level
/// classes), and leaves <see cref="Symbols"/> empty; its <see cref="Run"/> is never called.</item>
/// </list>
/// <para>Exit codes: a parse error or a <see cref="UsageException"/> is 2 (with the command's help), an
/// <see cref="Econometrics.InputException"/> 1, success 0.</para>
/// </remarks>
public abstract class CommandDefinition
{
    /// <summary>The sub-command word (<c>compendium NAME ...</c>); unique across commands.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>compendium help</c>, and the first line of the command's help.</summary>
    public abstract string Summary { get; }

    /// <summary>Further help text (what the command writes, its conventions), printed under the summary.</summary>
    public virtual string? Details => null;

    /// <summary>The options (and arguments) of the command, in the order help lists them.</summary>
    protected abstract IEnumerable<Symbol> Symbols { get; }

    /// <summary>The sub-commands (<c>compendium NAME SUB ...</c>); none by default.</summary>
    protected virtual IEnumerable<CommandDefinition> SubCommands => [];

    /// <summary>Run with the parsed command line; return the exit code. Throw <see cref="Econometrics.InputException"/> or <see cref="UsageException"/> for user errors.</summary>
    protected abstract int Run(ParseResult parse, TextWriter stdout, TextWriter stderr);

    /// <summary>The System.CommandLine command: description, options, sub-commands, action.</summary>
    internal Command Build()
    {
        var command = new Command(Name, Details is null ? Summary : Summary + "\n\n" + Details.TrimEnd());
        foreach (var s in Symbols)
        {
            switch (s)
            {
                case Option o: command.Options.Add(o); break;
                case Argument a: command.Arguments.Add(a); break;
                default: throw new InvalidOperationException($"{Name}: {s.Name} is neither an option nor an argument");
            }
        }
        foreach (var sub in SubCommands) command.Subcommands.Add(sub.Build());
        // A command with sub-commands has no action of its own: System.CommandLine then asks for one.
        if (command.Subcommands.Count == 0)
            command.SetAction(parse => Run(parse, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>An option with a text value, e.g. <c>--data FILE</c>; with <paramref name="defaultValue"/> help shows it.</summary>
    protected static Option<string> Text(string name, string description, bool required = false, string? helpName = null, string? defaultValue = null)
    {
        var o = new Option<string>(name) { Description = description, Required = required, HelpName = helpName ?? name.TrimStart('-').ToUpperInvariant() };
        if (defaultValue is not null) o.DefaultValueFactory = _ => defaultValue;
        return o;
    }

    /// <summary>An option without a value (a switch), e.g. <c>--json</c>.</summary>
    protected static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option that may be given several times, each with one value, e.g. <c>--only 01 --only 02</c>.</summary>
    protected static Option<string[]> Repeatable(string name, string description, string? helpName = null) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false, HelpName = helpName ?? name.TrimStart('-').ToUpperInvariant() };

    /// <summary>An integer option with a default, e.g. <c>--seed N</c>.</summary>
    protected static Option<int> Int(string name, string description, int defaultValue, string? helpName = null) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName ?? "N" };

    /// <summary>A floating-point option with a default (invariant culture), e.g. <c>--alpha 0.05</c>.</summary>
    protected static Option<double> Number(string name, string description, double defaultValue, string? helpName = null) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName ?? "X" };

    /// <summary>A floating-point option without a default (null when absent), e.g. <c>--caliper 0.05</c>.</summary>
    protected static Option<double?> OptionalNumber(string name, string description, string? helpName = null) =>
        new(name) { Description = description, HelpName = helpName ?? "X" };

    /// <summary>The <c>--seed</c> of a random stream: a whole number ≥ 0 (SplitMix64 seeds are 64-bit).</summary>
    protected static Option<ulong> Seed(string description, ulong defaultValue = 1) =>
        new("--seed") { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "S" };

    /// <summary>The value of an integer option, checked to be at least <paramref name="min"/> (a <see cref="UsageException"/> otherwise).</summary>
    protected static int AtLeast(ParseResult parse, Option<int> option, int min)
    {
        int v = parse.GetValue(option);
        return v >= min ? v : throw new UsageException($"option {option.Name}: {v} is {(min == 0 ? "negative" : $"less than {min}")}");
    }

    /// <summary>A probability option's value, checked to lie in (0, 1) (a <see cref="UsageException"/> otherwise).</summary>
    protected static double Probability(ParseResult parse, Option<double> option)
    {
        double v = parse.GetValue(option);
        return v > 0 && v < 1 ? v : throw new UsageException($"option {option.Name}: {v} is not a number in (0, 1)");
    }

    /// <summary>Print JSON (one line, newline-terminated) or the markdown of the table(s).</summary>
    protected static int Write(TextWriter stdout, bool json, Func<string> toJson, Func<string> toMarkdown)
    {
        stdout.Write(json ? toJson() + "\n" : toMarkdown());
        return 0;
    }
}
