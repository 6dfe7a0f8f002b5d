using System.Globalization;
using Xunit;
using Compendium.Data;
using Compendium.Simulation;

namespace Compendium.Tests.Simulation;

/// <summary>data/README.md's "Synthetic panel" section agrees with the code.</summary>
public class CodebookTests
{
    private static string Section()
    {
        var text = File.ReadAllText(Path.Combine(StudyFacts.DefaultDataDir(), "README.md"));
        int i = text.IndexOf("## Synthetic panel", StringComparison.Ordinal);
        Assert.True(i >= 0, "data/README.md has no '## Synthetic panel' section");
        return text[i..];
    }

    [Fact]
    public void EveryPanelColumnIsDocumented()
    {
        var s = Section();
        foreach (var v in PanelSchema.Variables) Assert.Contains($"`{v.Name}`", s);
    }

    [Fact]
    public void IndicatorParameterTableMatchesTheSimulator()
    {
        var rows = Section().Split('\n').SkipWhile(l => !l.StartsWith("| k | m_k", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
        Assert.Equal(14, rows.Count);
        static double N(string cell) => double.Parse(cell.Split(' ')[0].Replace(",", "").Replace('−', '-'), CultureInfo.InvariantCulture);
        foreach (var g in PanelSimulator.IndicatorDgps)
        {
            var r = rows.Single(x => x[0] == g.Name);
            Assert.Equal([g.Level, g.LevelLoad, g.LevelSd, g.Trend, g.TrendSd, g.NoiseSd, g.Shock, g.Effect],
                new[] { 1, 2, 3, 4, 5, 6, 7, 8 }.Select(c => N(r[c])).ToArray());
        }
    }
}
