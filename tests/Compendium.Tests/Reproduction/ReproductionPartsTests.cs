using Xunit;
using Compendium.Econometrics;
using Compendium.Reproduction;
using Compendium.Tests.Notebooks;
using Compendium.Data;

namespace Compendium.Tests.Reproduction;

public sealed class NotebookParametersTests
{
    private const string Cell = "var timing = \"default\";   // or \"alternative\"\nvar seed = 20260101;\ndouble caliper = 0.05;\nvar useControls = true;\nstring[] controls = [\"a\", \"b\"];\n";

    [Fact]
    public void ParsesDeclarationsWithTypesAndComments()
    {
        var p = NotebookParameters.Parse(Cell);
        Assert.Equal(["timing", "seed", "caliper", "useControls", "controls"], p.Select(x => x.Name));
        Assert.Equal(["string", "int", "double", "bool", "code"], p.Select(x => x.Kind));
        Assert.Equal("string[]", p[4].Type);
    }

    [Fact]
    public void OverridesAreTypedByTheDeclarationTheyReplace()
    {
        var p = NotebookParameters.Parse(Cell);
        var src = NotebookParameters.InjectedSource("nb", p,
            [new("timing", "alternative"), new("seed", "7"), new("caliper", "1"), new("useControls", "false"), new("controls", "[\"c\"]")]);
        Assert.Contains("var timing = \"alternative\";", src);
        Assert.Contains("var seed = 7;", src);
        Assert.Contains("double caliper = 1.0;", src);
        Assert.Contains("var useControls = false;", src);
        Assert.Contains("string[] controls = [\"c\"];", src);
        Assert.Throws<InputException>(() => NotebookParameters.InjectedSource("nb", p, [new("seed", "1.5")]));
        Assert.Throws<InputException>(() => NotebookParameters.InjectedSource("nb", p, [new("useControls", "yes")]));
        Assert.Throws<InputException>(() => NotebookParameters.InjectedSource("nb", p, [new("caliper", "0,05")]));
    }
}

public sealed class DataSourceTests
{
    [Fact]
    public void SyntheticExactlyWhenTheSimulatorsSidecarIsBesideThePanel()
    {
        var dir = Temp.Dir();
        var panel = Path.Combine(dir, "panel.csv");
        File.WriteAllText(panel, "city_code,year\n");
        var author = DataSource.Of(panel);
        Assert.Equal(DataKind.Author, author.Kind);
        Assert.StartsWith("Author's data:", author.Banner);
        File.WriteAllText(Path.Combine(dir, DataSource.SidecarName), "{}");
        var synthetic = DataSource.Of(panel);
        Assert.Equal(DataKind.Synthetic, synthetic.Kind);
        Assert.StartsWith("SYNTHETIC DATA:", synthetic.Banner);
        Assert.Contains(synthetic.Sha256[..12], synthetic.Banner);
    }

    [Fact]
    public void MissingDataIsAnInputError()
    {
        var e = Assert.Throws<InputException>(() => DataSource.Of("/nonexistent/panel.csv"));
        Assert.Contains("/nonexistent/panel.csv", e.Message);
    }

    [Fact]
    public void TheCommittedSyntheticPanelIsRecognised()
    {
        var root = RepoRoot.Find(AppContext.BaseDirectory);
        var d = DataSource.Of(Path.Combine(root, "data", "synthetic", "panel.csv"));
        Assert.True(d.IsSynthetic);
        Assert.Equal("data/synthetic/panel.csv", d.DisplayPath);
    }
}

public sealed class AtomicFileTests
{
    [Fact]
    public void WritesWholeFilesAndLeavesNoTemporaries()
    {
        var dir = Temp.Dir();
        var path = Path.Combine(dir, "sub", "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(Path.Combine(dir, "sub")).Select(Path.GetFileName));
    }
}
