using System.Globalization;
using System.Reflection;
using Compendium.Econometrics;

namespace Compendium.Cli;

/// <summary>
/// Entry point of <c>compendium</c>. Exit codes: 0 success, 1 bad input or a failed run
/// (the message says what and where), 2 bad command-line usage.
/// </summary>
public static class Program
{
    /// <summary>Process entry point: <see cref="Run"/> on the console streams; returns the exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Run a command line in-process (tests call this directly).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        // Outputs must not depend on the machine's locale.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

        var commands = Commands();
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            stdout.WriteLine("usage: compendium <command> [options]\n\ncommands:");
            foreach (var c in commands.Values) stdout.WriteLine($"  {c.Name,-10} {c.Summary}");
            stdout.WriteLine("\n'compendium <command> --help' shows a command's options.");
            return args.Count == 0 ? 2 : 0;
        }
        if (!commands.TryGetValue(args[0], out var command))
        {
            stderr.WriteLine($"error: unknown command '{args[0]}'. Commands: {string.Join(", ", commands.Keys)}.");
            return 2;
        }
        try
        {
            var rest = args.Skip(1).ToList();
            if (rest.Contains("--help")) { stdout.WriteLine(command.Usage); return 0; }
            var flags = command is IHasFlags f ? f.Flags : [];
            return command.Run(new CliArgs(rest, flags), stdout, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(command.Usage);
            return 2;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static SortedDictionary<string, ICliCommand> Commands() =>
        new(typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
            .ToDictionary(c => c.Name, StringComparer.Ordinal), StringComparer.Ordinal);
}

/// <summary>A command's options that take no value (e.g. <c>--json</c>).</summary>
public interface IHasFlags
{
    /// <summary>Names (without <c>--</c>) of the options that take no value; <c>help</c> is always one.</summary>
    IReadOnlyList<string> Flags { get; }
}
