using System.CommandLine;
using System.CommandLine.Help;

namespace Compendium.Cli;

/// <summary>One sub-command as the entry point sees it, whichever way it is written.</summary>
/// <param name="Name">The sub-command word.</param>
/// <param name="Summary">One line for <c>compendium help</c>.</param>
/// <param name="Command">The System.CommandLine command that parses its arguments and runs it.</param>
/// <param name="WriteHelp">Writes its help (<c>--help</c>, and after a usage error).</param>
internal sealed record CliEntry(string Name, string Summary, Command Command, Action<TextWriter> WriteHelp);

/// <summary>
/// Every sub-command, found by reflection in this assembly: classes deriving from
/// <see cref="CommandDefinition"/> (System.CommandLine) and, through an adapter, classes implementing
/// <see cref="ICliCommand"/> (the earlier <see cref="CliArgs"/> style). The adapter lets
/// System.CommandLine pass every token after the command word to the command untouched (after
/// expanding response files), so a <see cref="CliArgs"/> command behaves exactly as before.
/// </summary>
internal sealed class CommandRegistry
{
    private readonly SortedDictionary<string, CliEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The commands of this assembly.</summary>
    public static CommandRegistry Discover()
    {
        var registry = new CommandRegistry();
        foreach (var t in typeof(CommandRegistry).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsNested: false }))
        {
            if (typeof(CommandDefinition).IsAssignableFrom(t)) registry.Add((CommandDefinition)Activator.CreateInstance(t)!);
            else if (typeof(ICliCommand).IsAssignableFrom(t)) registry.Add((ICliCommand)Activator.CreateInstance(t)!);
        }
        return registry;
    }

    /// <summary>Add a System.CommandLine command.</summary>
    public void Add(CommandDefinition definition)
    {
        var command = definition.Build();
        // System.CommandLine writes the help: description, usage line, options with their descriptions.
        Add(new CliEntry(definition.Name, definition.Summary, command,
            w => Root().Parse([definition.Name, "--help"]).Invoke(new InvocationConfiguration { Output = w })));
    }

    /// <summary>Add a <see cref="CliArgs"/>-style command through the adapter.</summary>
    public void Add(ICliCommand legacy)
    {
        var command = new Command(legacy.Name, legacy.Summary) { TreatUnmatchedTokensAsErrors = false };
        var flags = legacy is IHasFlags f ? f.Flags : [];
        command.SetAction(parse => legacy.Run(new CliArgs(parse.UnmatchedTokens, flags), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        Add(new CliEntry(legacy.Name, legacy.Summary, command, w => w.WriteLine(legacy.Usage)));
    }

    private void Add(CliEntry entry)
    {
        if (!_entries.TryAdd(entry.Name, entry)) throw new InvalidOperationException($"two commands are called '{entry.Name}'");
        _root = null;
    }

    private Command? _root;

    /// <summary>The commands, by name.</summary>
    public IReadOnlyCollection<CliEntry> All => _entries.Values;

    /// <summary>The command called <paramref name="name"/>, or null.</summary>
    public CliEntry? Find(string name) => _entries.GetValueOrDefault(name);

    /// <summary>The root command <c>compendium</c> with every sub-command under it.</summary>
    public Command Root()
    {
        if (_root is not null) return _root;
        var help = new HelpOption { Recursive = true };
        if (help.Action is HelpAction action) action.MaxWidth = 100;
        var root = new Command("compendium", "Replication compendium: big data pilot zones and urban economic resilience") { help };
        foreach (var e in _entries.Values) root.Subcommands.Add(e.Command);
        return _root = root;
    }
}
