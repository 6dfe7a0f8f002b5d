using System.Diagnostics;
using Compendium.Figures;
using Compendium.Tests.Notebooks;
using Xunit;

namespace Compendium.Tests.Packaging;

/// <summary>
/// Chromium dies with the process that started it: a reproduction killed while it draws figures
/// (SIGKILL, which no handler sees, or SIGTERM) leaves no browser process behind.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NoOrphanedBrowserTests
{
    private static readonly string Root = Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory);

    /// <summary>Processes whose command line names the Chromium profile of process <paramref name="pid"/>.</summary>
    private static List<(int Pid, string CommandLine)> BrowserOf(int pid)
    {
        var marker = "compendium-chromium-" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<(int, string)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var p) || p == Environment.ProcessId) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (cmd.Contains(marker, StringComparison.Ordinal)) found.Add((p, cmd.Length > 120 ? cmd[..120] : cmd));
        }
        return found;
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(100);
        }
        return condition();
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public void AKilledReproductionLeavesNoChromium(string signal)
    {
        Assert.True(OperatingSystem.IsLinux(), "this test reads /proc");
        if (!ImageRenderer.IsAvailable) return; // no Chromium installed: nothing could be left behind
        var cli = Path.Combine(AppContext.BaseDirectory, "Compendium.Cli.dll");
        var psi = ChildProcess.StartInfo("dotnet", [cli, "reproduce", "--only", "01", "--out", Temp.Dir()], Root);
        using var child = Process.Start(psi)!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            Assert.True(WaitFor(() => BrowserOf(child.Id).Count >= 2 || child.HasExited, TimeSpan.FromSeconds(120)), "Chromium did not start");
            Assert.False(child.HasExited, "the reproduction ended before it could be killed");
            Thread.Sleep(500);
            if (signal == "KILL") child.Kill(); // SIGKILL: no handler in the child runs
            else ChildProcess.Run(ChildProcess.StartInfo("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Root), TimeSpan.FromSeconds(10));
            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(60)), "the reproduction did not end");
            var gone = WaitFor(() => BrowserOf(child.Id).Count == 0, TimeSpan.FromSeconds(15));
            Assert.True(gone, $"Chromium outlived the reproduction (SIG{signal}):\n" + string.Join("\n", BrowserOf(child.Id).Select(b => $"{b.Pid}: {b.CommandLine}")));
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            foreach (var (pid, _) in BrowserOf(child.Id))
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } // ours: started by this test's child
        }
    }
}
