using Xunit;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>
/// One reproduction of every notebook under notebooks/ into a temporary output folder, shared by
/// the snapshot, staleness and determinism tests of a test run (running the notebooks is the slow
/// part; each test only reads the result).
/// </summary>
public sealed class ReproductionFixture : IDisposable
{
    public string RepoRoot { get; } = Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory);
    public string OutputRoot { get; } = Path.Combine(Path.GetTempPath(), "compendium-repro-" + Guid.NewGuid().ToString("N"));
    public ReproduceResult Result { get; }
    public string Log { get; }

    public ReproductionFixture()
    {
        var log = new StringWriter();
        Result = Reproducer.RunAsync(new ReproduceOptions(RepoRoot, OutputRoot), log).GetAwaiter().GetResult();
        Log = log.ToString();
    }

    public NotebookResult Notebook(string name) =>
        Result.Notebooks.SingleOrDefault(n => n.Name == name)
        ?? throw new InvalidOperationException($"notebook {name} did not run; log:\n{Log}");

    public void Dispose()
    {
        try { Directory.Delete(OutputRoot, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Tests that run notebooks share one fixture and run alone, after the parallel tests: a notebook
/// run sets the process's working directory (to the notebook's folder) and default culture, which
/// would disturb tests running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection : ICollectionFixture<ReproductionFixture>
{
    public const string Name = "notebooks";
}
