using System.Diagnostics;
using BenchmarkDotNet.Running;
using Compendium.Benchmarks;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

// `dotnet run -c Release -- --peak N` fits the N-row two-FE model once and reports peak memory
// against the size of the numeric data (8 bytes × rows × 8 columns), the issue's memory target.
if (args.Length == 2 && args[0] == "--peak")
{
    int n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    var data = BenchData.Large(n, thirdFactor: false);
    GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
    var p = Process.GetCurrentProcess();
    p.Refresh();
    long before = p.WorkingSet64;
    var sw = Stopwatch.StartNew();
    var r = Feols.Fit(data, "y ~ x1 + x2 + x3 + x4 + x5 | unit + year", Vcov.Cluster("unit"));
    sw.Stop();
    p.Refresh();
    double dataBytes = 8.0 * n * data.ColumnNames.Length;
    Console.WriteLine($"rows {n}: fit {sw.Elapsed.TotalSeconds:F3} s; working set before fit {before / 1e6:F0} MB, peak {p.PeakWorkingSet64 / 1e6:F0} MB; " +
                      $"numeric data {dataBytes / 1e6:F0} MB; peak / data = {p.PeakWorkingSet64 / dataBytes:F2}; x1 = {r["x1"].Estimate:F6}; {r.DemeaningMethod}");
    return;
}
if (args.Length == 2 && args[0] == "--chol") { Profile.Chol(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)); return; }
if (args.Length == 2 && args[0] == "--frame") { Profile.Frame(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)); return; }
if (args.Length == 1 && args[0] == "--small") { Profile.Small(); return; }
if (args.Length == 1 && args[0] == "--het") { HetProfile.Run(); return; }
if (args.Length == 1 && args[0] == "--staggered") { StaggeredBench.Quick(); return; }
if (args.Length == 1 && args[0] == "--honest-profile") { HonestProfile.Run(); return; }
if (args.Length >= 2 && args[0] == "--profile") { Profile.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Length == 3 && args[2] == "3"); return; }
BenchmarkSwitcher.FromAssembly(typeof(PanelBenchmarks).Assembly).Run(args);
