namespace Compendium.Econometrics;

/// <summary>
/// A problem with what the user gave us (a file, a formula, a parameter), as opposed to a bug.
/// The message is complete and meant to be printed as it is: it names the file, row, column or
/// variable and says what was expected. The command line prints it without a stack trace and
/// exits non-zero.
/// </summary>
public class InputException : Exception
{
    /// <summary>An input error with a complete, printable message.</summary>
    public InputException(string message) : base(message) { }
    /// <summary>An input error with a complete, printable message, wrapping the exception that revealed it.</summary>
    public InputException(string message, Exception inner) : base(message, inner) { }
}
