using System.Globalization;

namespace Compendium.Figures;

/// <summary>
/// Folders named after the process that made them (<c>PREFIX</c> + process id): a Chromium profile,
/// a reproduction's staging folder. A process that is killed cannot remove its folder, so the next
/// process removes the folders of processes that no longer exist.
/// </summary>
internal static class ProcessFolders
{
    /// <summary>The folder <c>PARENT/PREFIX{pid}</c> of this process.</summary>
    public static string Own(string parent, string prefix) =>
        Path.Combine(parent, prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Delete a folder and everything in it; false when something could not be removed (left for the next run).</summary>
    public static bool TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Delete the folders <c>PARENT/PREFIX{pid}</c> whose process no longer runs.</summary>
    public static void DeleteOrphans(string parent, string prefix)
    {
        string[] dirs;
        try { dirs = Directory.GetDirectories(parent, prefix + "*"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var dir in dirs)
        {
            if (int.TryParse(Path.GetFileName(dir)[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !IsRunning(pid))
                TryDelete(dir);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }
}
