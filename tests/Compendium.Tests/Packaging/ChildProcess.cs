using System.Diagnostics;
using System.Text;

namespace Compendium.Tests.Packaging;

/// <summary>Runs a program as a child process for tests that need a real process (a fresh clone's build, a killed reproduction).</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Environment variables a test host inherits from <c>dotnet test</c> that would steer a nested
    /// <c>dotnet</c> (MSBuild paths of the outer build, the outer test platform's settings).
    /// </summary>
    private static readonly string[] HostVariablePrefixes = ["MSBuild", "MSBUILD", "VSTEST", "TESTINGPLATFORM", "DOTNET_HOST_PATH"];

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => HostVariablePrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
            psi.Environment.Remove(key);
        return psi;
    }

    /// <summary>Run to completion (killed after <paramref name="timeout"/>); exit code and both streams.</summary>
    public static (int Code, string Out, string Err) Run(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var p = new Process { StartInfo = psi };
        var (o, e) = (new StringBuilder(), new StringBuilder());
        p.OutputDataReceived += (_, a) => { if (a.Data is not null) lock (o) o.AppendLine(a.Data); };
        p.ErrorDataReceived += (_, a) => { if (a.Data is not null) lock (e) e.AppendLine(a.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish in {timeout}; output so far:\n{o}\n{e}");
        }
        p.WaitForExit();
        return (p.ExitCode, o.ToString(), e.ToString());
    }
}
