using System.Globalization;

namespace Compendium.Cli;

/// <summary>
/// One sub-command of <c>compendium</c>. Each lives in its own file and is found by reflection,
/// so adding a command touches no shared file.
/// </summary>
public interface ICliCommand
{
    /// <summary>The sub-command word (<c>compendium NAME ...</c>); unique across commands.</summary>
    string Name { get; }
    /// <summary>One line for <c>compendium help</c>.</summary>
    string Summary { get; }
    /// <summary>Full usage text, shown by <c>compendium NAME --help</c> and after an argument error.</summary>
    string Usage { get; }
    /// <summary>Run; return the exit code. Throw <see cref="Compendium.Econometrics.InputException"/> or <see cref="UsageException"/> for user errors.</summary>
    int Run(CliArgs args, TextWriter stdout, TextWriter stderr);
}

/// <summary>Wrong arguments to a command (exit code 2, usage printed).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parsed <c>--name value</c> options, <c>--flag</c> switches and positional arguments.
/// Options may repeat (<c>--param a=1 --param b=2</c>). Unknown options are an error, caught by
/// <see cref="EnsureAllUsed"/>.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    /// <summary>Arguments that are not options, in command-line order (a bare <c>--</c> is kept here too).</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <param name="args">The arguments after the command name.</param>
    /// <param name="flagNames">Options that take no value.</param>
    public CliArgs(IReadOnlyList<string> args, IEnumerable<string> flagNames)
    {
        var flags = new HashSet<string>(flagNames, StringComparer.Ordinal) { "help" };
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2) { positional.Add(a); continue; }
            var name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq > 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"option --{name} takes no value");
                _flags.Add(name);
                continue;
            }
            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option --{name} needs a value"));
            if (!_options.TryGetValue(name, out var list)) _options[name] = list = [];
            list.Add(value);
        }
        Positional = positional;
    }

    /// <summary>True if the valueless option <c>--name</c> was given; marks it as used.</summary>
    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    /// <summary>The value of <c>--name</c>, or null if absent; marks it as used. Throws <see cref="UsageException"/> if it was given more than once.</summary>
    public string? Option(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var list)) return null;
        if (list.Count > 1) throw new UsageException($"option --{name} given {list.Count} times; give it once");
        return list[0];
    }

    /// <summary>The value of <c>--name</c>; throws <see cref="UsageException"/> if it is absent or repeated.</summary>
    public string Required(string name) => Option(name) ?? throw new UsageException($"option --{name} is required");

    /// <summary>Every value of a repeatable option <c>--name</c>, in order (empty if absent); marks it as used.</summary>
    public IReadOnlyList<string> All(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var list) ? list : [];
    }

    /// <summary>The value of <c>--name</c> parsed as an invariant-culture integer, or <paramref name="fallback"/> if absent; throws <see cref="UsageException"/> if it is not an integer.</summary>
    public int Int(string name, int fallback)
    {
        var s = Option(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"option --{name}: '{s}' is not an integer");
    }

    /// <summary>Fail on options the command did not ask for (typos should not be ignored).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Concat(_flags).Where(k => k != "help" && !_used.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
    }
}
