using Compendium.Econometrics;

namespace Compendium.Data;

/// <summary>Finds the repository root (the folder holding Compendium.sln).</summary>
public static class RepoRoot
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Compendium.sln, or null.</summary>
    public static string? TryFind(string start)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(start)); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Compendium.sln"))) return d.FullName;
        return null;
    }

    /// <summary>
    /// As <see cref="TryFind"/> from <paramref name="start"/> (default: the current directory, then the
    /// application's base directory, so that tests and tools run from bin/ find it too); an
    /// <see cref="InputException"/> if there is none.
    /// </summary>
    public static string Find(string? start = null)
    {
        var starts = start is null ? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory] : new[] { start };
        return starts.Select(TryFind).FirstOrDefault(r => r is not null)
            ?? throw new InputException($"cannot find the compendium's root (a folder with Compendium.sln) above '{string.Join("' or '", starts)}'");
    }
}
