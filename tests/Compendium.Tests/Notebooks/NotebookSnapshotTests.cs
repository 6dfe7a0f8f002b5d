using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using Xunit;
using Compendium.Reproduction;

namespace Compendium.Tests.Notebooks;

/// <summary>
/// Every notebook under notebooks/ is executed (once, by the fixture) and its normalised outputs
/// are compared with tests/Compendium.Tests/Notebooks/approved/NotebookSnapshotTests.Outputs.NAME.approved.txt.
/// A notebook without an approved file fails; to approve, inspect the .received.txt written beside
/// it and rename it to .approved.txt.
/// </summary>
[Collection(NotebookCollection.Name)]
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("approved")]
public sealed class NotebookSnapshotTests(ReproductionFixture fixture)
{
    public static TheoryData<string> NotebookNames()
    {
        var root = Compendium.Data.RepoRoot.Find(AppContext.BaseDirectory);
        var data = new TheoryData<string>();
        foreach (var p in Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(p));
        return data;
    }

    [Theory]
    [MemberData(nameof(NotebookNames))]
    public void Outputs(string notebook)
    {
        var result = fixture.Notebook(notebook);
        Assert.True(result.Succeeded, $"{result.Failure}\n{fixture.Log}");
        using (ApprovalResults.ForScenario(notebook))
            Approvals.Verify(SnapshotText.Of(result, fixture.OutputRoot));
    }
}
