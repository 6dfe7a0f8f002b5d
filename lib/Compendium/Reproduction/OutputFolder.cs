using Compendium.Econometrics;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>
/// The output folder of one reproduction, changed all at once or not at all.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A lock: <c>OUT/.lock</c> is held (an exclusive <c>flock</c>, which the kernel releases when
/// the process ends, however it ends) for the whole run, so a second reproduction into the same
/// folder stops at once with a message instead of interleaving its files.</item>
/// <item>A staging folder, <c>OUT/.staging-PID</c>: the notebooks write there; the folder the
/// reader sees is untouched while they run. <see cref="Commit"/> then swaps the managed entries
/// (<see cref="Managed"/>) of the output folder for the staged ones, one rename each; anything
/// else in the output folder is left alone.</item>
/// <item>On failure, an exception, or SIGTERM, the staging folder is deleted and the output folder is
/// byte-for-byte as before. After SIGKILL the next run deletes the staging folders of dead processes.</item>
/// </list>
/// </remarks>
internal sealed class OutputFolder : IDisposable
{
    /// <summary>What a reproduction owns in the output folder; the manifest lists every file in them.</summary>
    public static readonly string[] Managed = ["notebooks", "tables", "figures", "results", "site", Manifest.FileName];

    private const string LockName = ".lock", StagingPrefix = ".staging-", TrashPrefix = ".trash-";

    private readonly FileStream _lock;
    private readonly EventHandler _onExit;

    private OutputFolder(string root, string display, FileStream lockFile)
    {
        Root = root;
        Display = display;
        _lock = lockFile;
        ProcessFolders.DeleteOrphans(root, StagingPrefix);
        ProcessFolders.DeleteOrphans(root, TrashPrefix);
        Staging = ProcessFolders.Own(root, StagingPrefix);
        ProcessFolders.TryDelete(Staging);
        Directory.CreateDirectory(Staging);
        _onExit = (_, _) => Dispose(); // SIGTERM and normal exit: no staging folder left behind
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>The output folder (full path).</summary>
    public string Root { get; }

    /// <summary>How messages name the output folder (relative to the repository or as given).</summary>
    public string Display { get; }

    /// <summary>Where this run writes; becomes the output folder's content on <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>
    /// Create the folder if needed, check that it is writable, and take its lock; an
    /// <see cref="InputException"/> when it cannot be written or another reproduction holds it.
    /// </summary>
    public static OutputFolder Open(string root, string display)
    {
        root = Path.GetFullPath(root);
        if (File.Exists(root)) throw new InputException($"output folder {display} is a file; give a folder with --out");
        try { Directory.CreateDirectory(root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the output folder {display} ({e.Message}); nothing was run", e);
        }
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(root, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (HeldByAnother(e))
        {
            throw new InputException($"another reproduction is writing to {display} (it holds {display.TrimEnd('/')}/{LockName}); wait for it to finish, or write elsewhere with --out. Nothing was run.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"output folder {display} is not writable ({e.Message}); nothing was run", e);
        }
        try { return new OutputFolder(root, display, lockFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            throw new InputException($"output folder {display} is not writable ({e.Message}); nothing was run", e);
        }
    }

    /// <summary>A lock held by another process: EWOULDBLOCK from flock on Linux (11) and macOS (35), a sharing violation on Windows.</summary>
    private static bool HeldByAnother(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    /// <summary>The files (relative, forward slashes) under the managed entries of the output folder as it is now.</summary>
    public IReadOnlyList<string> CurrentFiles() => Files(Root);

    /// <summary>The staged files (relative, forward slashes) under the managed entries.</summary>
    public IReadOnlyList<string> StagedFiles() => Files(Staging);

    private static List<string> Files(string root)
    {
        var files = new List<string>();
        foreach (var m in Managed)
        {
            var p = Path.Combine(root, m);
            if (File.Exists(p)) files.Add(m);
            else if (Directory.Exists(p))
                files.AddRange(Directory.GetFiles(p, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')));
        }
        return files.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Copy files of the current output folder into the staging folder (outputs of notebooks this run keeps).</summary>
    public void Keep(IEnumerable<string> relativePaths)
    {
        foreach (var rel in relativePaths)
        {
            var target = Path.Combine(Staging, rel);
            if (File.Exists(target)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Root, rel), target);
        }
    }

    /// <summary>
    /// Make the staged outputs the output folder's: each managed entry is renamed away and the staged
    /// one renamed into its place (undone if a rename fails). Returns the files that were in the output
    /// folder and are not in the new one (stale outputs, now removed).
    /// </summary>
    public IReadOnlyList<string> Commit()
    {
        var before = CurrentFiles();
        var after = StagedFiles().ToHashSet(StringComparer.Ordinal);
        var trash = ProcessFolders.Own(Root, TrashPrefix);
        ProcessFolders.TryDelete(trash);
        Directory.CreateDirectory(trash);
        var done = new List<(string Entry, bool HadOld, bool HasNew)>();
        try
        {
            foreach (var m in Managed)
            {
                var (current, staged, old) = (Path.Combine(Root, m), Path.Combine(Staging, m), Path.Combine(trash, m));
                bool hadOld = Move(current, old);
                done.Add((m, hadOld, false));
                bool hasNew = Move(staged, current);
                done[^1] = (m, hadOld, hasNew);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Put back what was moved, newest first, so the folder is as it was.
            foreach (var (m, hadOld, hasNew) in Enumerable.Reverse(done))
            {
                if (hasNew) Move(Path.Combine(Root, m), Path.Combine(Staging, m));
                if (hadOld) Move(Path.Combine(trash, m), Path.Combine(Root, m));
            }
            throw new InputException($"could not replace the outputs in {Display} ({e.Message}); the folder is as it was", e);
        }
        ProcessFolders.TryDelete(trash);
        return before.Where(f => !after.Contains(f)).ToList();
    }

    private static bool Move(string from, string to)
    {
        if (Directory.Exists(from)) { Directory.Move(from, to); return true; }
        if (File.Exists(from)) { File.Move(from, to); return true; }
        return false;
    }

    /// <summary>Delete the staging folder (after a failure: the output folder is untouched) and release the lock.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        ProcessFolders.TryDelete(Staging);
        _lock.Dispose();
    }
}
