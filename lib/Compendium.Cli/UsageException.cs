namespace Compendium.Cli;

/// <summary>Wrong arguments to a command (exit code 2, the command's help printed).</summary>
public sealed class UsageException(string message) : Exception(message);
