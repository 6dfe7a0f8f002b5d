using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Compendium.Econometrics;

namespace Compendium.Cli;

/// <summary>
/// Entry point of <c>compendium</c>. Exit codes: 0 success, 1 bad input or a failed run
/// (the message says what and where), 2 bad command-line usage. No command ends with a stack trace:
/// an unexpected exception is reported in one line naming the command and the error, exit 1; the
/// global option <c>--verbose</c> (anywhere on the line) adds the full trace. Arguments are parsed by
/// System.CommandLine (<see cref="CommandDefinition"/>), which also reads response files: <c>@FILE</c>
/// stands for the arguments in FILE (one or more per line, quoted as on a shell line, <c>#</c> comments).
/// </summary>
public static class Program
{
    /// <summary>Process entry point: <see cref="Run(IReadOnlyList{string}, TextWriter, TextWriter)"/> on the console streams; returns the exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Run a command line in-process (tests call this directly).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, Commands());

    /// <summary>Every command of the assembly (tests add commands that fail in ways no real command should).</summary>
    internal static CommandRegistry Commands() => CommandRegistry.Discover();

    /// <summary>Run a command line with the given commands.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CommandRegistry commands)
    {
        // Outputs must not depend on the machine's locale.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

        bool verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToList();
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h" or "-?")
        {
            stdout.WriteLine("usage: compendium <command> [options]\n\ncommands:");
            foreach (var c in commands.All) stdout.WriteLine($"  {c.Name,-15} {c.Summary}");
            stdout.WriteLine("\n'compendium <command> --help' shows a command's options; --verbose (any command) adds the stack trace to an\nunexpected error; @FILE reads further arguments from FILE.");
            return args.Count == 0 ? 2 : 0;
        }
        if (!args[0].StartsWith('@') && commands.Find(args[0]) is null)
        {
            stderr.WriteLine($"error: unknown command '{args[0]}'. Commands: {string.Join(", ", commands.All.Select(c => c.Name))}.");
            return 2;
        }

        var parse = commands.Root().Parse(args.ToArray(), new ParserConfiguration());
        var path = CommandPath(parse.CommandResult);
        if (path.Count == 0 || commands.Find(path[0]) is null)
        {
            stderr.WriteLine($"error: {(parse.Errors.Count > 0 ? ParseErrors(parse) : "no command given")}. Commands: {string.Join(", ", commands.All.Select(c => c.Name))}.");
            return 2;
        }
        var name = string.Join(" ", path);
        if (parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
        {
            commands.WriteHelp(path, stdout);
            return 0;
        }
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine("error: " + ParseErrors(parse));
            commands.WriteHelp(path, stderr);
            return 2;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            commands.WriteHelp(path, stderr);
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
            stderr.WriteLine($"error: 'compendium {name}' stopped on an unexpected {inner.GetType().Name}: {message}"
                + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            if (verbose) stderr.WriteLine(e.ToString());
            return 1;
        }
    }

    /// <summary>The command words of a parse below the root, e.g. <c>["spatial", "moran"]</c>.</summary>
    private static List<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var path = new List<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) path.Insert(0, r.Command.Name);
        return path;
    }

    /// <summary>The exception that says what happened, inside the wrappers of tasks, parallel loops and reflection.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException or TargetInvocationException or TypeInitializationException && e.InnerException is not null)
            e = e is AggregateException a && a.Flatten().InnerExceptions.Count > 0 ? a.Flatten().InnerExceptions[0] : e.InnerException!;
        return e;
    }

    // System.CommandLine's messages end with a full stop; joined, they read "a.; b." otherwise.
    private static string ParseErrors(ParseResult parse) => string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')));
}
