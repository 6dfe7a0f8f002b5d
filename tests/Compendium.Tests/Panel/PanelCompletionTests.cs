using Xunit;
using Compendium.Cli;
using Compendium.Data;
using Compendium.Econometrics.Tables;

namespace Compendium.Tests.Panel;

/// <summary>An author's panel may omit the columns that follow from public facts and its own indicators.</summary>
public sealed class PanelCompletionTests : IDisposable
{
    private static readonly string PanelPath = Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "compendium-complete-" + Guid.NewGuid().ToString("N"));

    public PanelCompletionTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The committed panel without the derivable columns, as an author's file would come.</summary>
    private string WithoutDerivedColumns(Func<string[], string[]>? edit = null)
    {
        var lines = File.ReadAllText(PanelPath).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var drop = PanelCompletion.Missing([]).Select(v => Array.IndexOf(header, v.Name)).ToHashSet();
        var kept = lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => !drop.Contains(i)))).ToArray();
        var path = Path.Combine(_dir, "author.csv");
        File.WriteAllText(path, string.Join("\n", edit?.Invoke(kept) ?? kept) + "\n");
        return path;
    }

    [Fact]
    public void DerivedColumnsEqualTheSimulatorsOnes()
    {
        var original = PanelLoader.Load(PanelPath).Table;
        var panel = PanelLoader.Load(WithoutDerivedColumns());
        Assert.Equal(PanelCompletion.Missing([]).Select(v => v.Name).Order(), panel.Summary.Derived.Order());
        foreach (var name in new[] { "pilot", "policy_year", "treat", "latitude", "longitude" })
            Assert.Equal(original.Numeric(name), panel.Table.Numeric(name));
        foreach (var name in new[] { "city", "province", "size_class", "region" })
            Assert.Equal(original.Text(name), panel.Table.Text(name));
        var rel0 = original.Numeric("rel_year"); var rel1 = panel.Table.Numeric("rel_year");
        Assert.All(Enumerable.Range(0, rel0.Length), i => Assert.True(rel0[i].Equals(rel1[i]), $"rel_year row {i}"));
        // The committed index and instrument were rounded to 7 significant digits when written.
        foreach (var name in new[] { "resilience", "resilience_resistance", "resilience_adaptability", "resilience_innovation", "iv_tel_internet" })
        {
            var a = original.Numeric(name); var b = panel.Table.Numeric(name);
            Assert.All(Enumerable.Range(0, a.Length), i => Assert.True(Math.Abs(a[i] - b[i]) <= 1e-6 * Math.Abs(a[i]), $"{name} row {i}: {a[i]} vs {b[i]}"));
        }
    }

    [Fact]
    public void ValidateSaysWhichColumnsItDerived()
    {
        var o = new StringWriter(); var e = new StringWriter();
        Assert.Equal(0, Program.Run(["validate", "--data", WithoutDerivedColumns()], o, e));
        Assert.Contains("treated cities: 57", o.ToString());
        Assert.Contains("derived (absent from the file", o.ToString());
        Assert.Contains("resilience", o.ToString());
    }

    [Fact]
    public void UnknownCityBlocksDerivationWithAClearMessage()
    {
        var path = WithoutDerivedColumns(lines => lines.Select((l, i) => i == 1 ? "999999" + l[l.IndexOf(',')..] : l).ToArray());
        var o = new StringWriter(); var e = new StringWriter();
        Assert.Equal(1, Program.Run(["validate", "--data", path], o, e));
        Assert.Contains("city_code 999999", e.ToString());
        Assert.Contains("columns not derived", e.ToString());
        Assert.DoesNotContain("   at ", e.ToString());
    }

    [Fact]
    public void MissingIndicatorBlocksDerivationAndNamesTheLine()
    {
        var path = WithoutDerivedColumns(lines =>
        {
            int c = Array.IndexOf(lines[0].Split(','), "gdp_pc");
            return lines.Select((l, i) => { if (i != 3) return l; var f = l.Split(','); f[c] = ""; return string.Join(",", f); }).ToArray();
        });
        var o = new StringWriter(); var e = new StringWriter();
        Assert.Equal(1, Program.Run(["validate", "--data", path], o, e));
        Assert.Contains("column 'gdp_pc': 1 missing value(s) (e.g. line 4)", e.ToString());
        Assert.Contains("columns not derived", e.ToString());
    }
}
