using System.Globalization;
using System.Reflection;
using Compendium.Econometrics;

namespace Compendium.Cli;

/// <summary>
/// Entry point of <c>compendium</c>. Exit codes: 0 success, 1 bad input or a failed run
/// (the message says what and where), 2 bad command-line usage. No command ends with a stack trace:
/// an unexpected exception is reported in one line naming the command and the error, exit 1; the
/// global option <c>--verbose</c> (anywhere on the line) adds the full trace.
/// </summary>
public static class Program
{
    /// <summary>Process entry point: <see cref="Run"/> on the console streams; returns the exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Run a command line in-process (tests call this directly).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, Commands());

    /// <summary>Run a command line with the given commands (tests add commands that fail in ways no real command should).</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, SortedDictionary<string, ICliCommand> commands)
    {
        // Outputs must not depend on the machine's locale.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

        bool verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToList();
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            stdout.WriteLine("usage: compendium <command> [options]\n\ncommands:");
            foreach (var c in commands.Values) stdout.WriteLine($"  {c.Name,-10} {c.Summary}");
            stdout.WriteLine("\n'compendium <command> --help' shows a command's options; --verbose (any command) adds the stack trace to an unexpected error.");
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
        catch (Exception e) when (Unwrap(e) is InputException input)
        {
            stderr.WriteLine($"error: {input.Message}");
            return 1;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            var message = inner.Message.ReplaceLineEndings(" ").Trim();
            stderr.WriteLine($"error: 'compendium {command.Name}' stopped on an unexpected {inner.GetType().Name}: {message}"
                + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            if (verbose) stderr.WriteLine(e.ToString());
            return 1;
        }
    }

    /// <summary>The exception that says what happened, inside the wrappers of tasks, parallel loops and reflection.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException or TargetInvocationException or TypeInitializationException && e.InnerException is not null)
            e = e is AggregateException a && a.Flatten().InnerExceptions.Count > 0 ? a.Flatten().InnerExceptions[0] : e.InnerException!;
        return e;
    }

    internal static SortedDictionary<string, ICliCommand> Commands() =>
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
