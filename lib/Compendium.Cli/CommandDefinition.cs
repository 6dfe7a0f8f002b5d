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
/// <para>Converting a command written against <see cref="ICliCommand"/>/<see cref="CliArgs"/> (those keep
/// working unchanged through an adapter) is mechanical:</para>
/// <list type="number">
/// <item>derive from <see cref="CommandDefinition"/> instead of implementing <see cref="ICliCommand"/> and <see cref="IHasFlags"/>;</item>
/// <item>turn each <c>args.Required("x")</c> into a field <c>Text("--x", "…", required: true)</c>, each
/// <c>args.Option("x")</c> into <c>Text("--x", "…")</c>, each <c>args.Flag("x")</c> into <c>Flag("--x", "…")</c>,
/// each <c>args.All("x")</c> into <c>Repeatable("--x", "…")</c> and each <c>args.Int("x", d)</c> into
/// <c>Int("--x", "…", d)</c>, and list the fields in <see cref="Symbols"/>;</item>
/// <item>move the body of <c>Run(CliArgs, …)</c> into <see cref="Run(ParseResult, TextWriter, TextWriter)"/>,
/// reading <c>parse.GetValue(_x)</c>; drop <c>EnsureAllUsed</c> and the positional-argument check (System.CommandLine
/// rejects unknown options and stray arguments itself);</item>
/// <item>the first paragraph of the old usage text becomes <see cref="Summary"/>, the rest <see cref="Details"/>.</item>
/// </list>
/// <para>Exit codes stay as before: a parse error or a <see cref="UsageException"/> is 2 (with the
/// command's help), an <see cref="Econometrics.InputException"/> 1, success 0.</para>
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

    /// <summary>Run with the parsed command line; return the exit code. Throw <see cref="Econometrics.InputException"/> or <see cref="UsageException"/> for user errors.</summary>
    protected abstract int Run(ParseResult parse, TextWriter stdout, TextWriter stderr);

    /// <summary>The System.CommandLine command: description, options, action.</summary>
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
        command.SetAction(parse => Run(parse, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>An option with a text value, e.g. <c>--data FILE</c>.</summary>
    protected static Option<string> Text(string name, string description, bool required = false, string? helpName = null) =>
        new(name) { Description = description, Required = required, HelpName = helpName ?? name.TrimStart('-').ToUpperInvariant() };

    /// <summary>An option without a value (a switch), e.g. <c>--json</c>.</summary>
    protected static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option that may be given several times, each with one value, e.g. <c>--only 01 --only 02</c>.</summary>
    protected static Option<string[]> Repeatable(string name, string description, string? helpName = null) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false, HelpName = helpName ?? name.TrimStart('-').ToUpperInvariant() };

    /// <summary>An integer option with a default, e.g. <c>--seed N</c>.</summary>
    protected static Option<int> Int(string name, string description, int defaultValue, string? helpName = null) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName ?? "N" };
}
