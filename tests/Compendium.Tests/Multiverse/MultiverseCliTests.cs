using System.Text.Json;
using Xunit;
using Compendium.Cli;
using Compendium.Tests.Estimation;

namespace Compendium.Tests.Multiverse;

public sealed class MultiverseCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Panel => Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");

    [Fact]
    public void MultiverseWritesTheCurveAsJson()
    {
        var choices = Path.Combine(Path.GetTempPath(), $"choices-{Guid.NewGuid():N}.json");
        File.WriteAllText(choices, "{\"controls\": [\"none\", \"study\"], \"timing\": [\"default\", \"alternative\"], \"cluster\": [\"city\", \"province\"]}");
        try
        {
            var (code, output, err) = Run("multiverse", "--data", Panel, "--choices", choices, "--json", "--threads", "2");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var root = doc.RootElement;
            Assert.Equal(8, root.GetProperty("summary").GetProperty("specifications").GetInt32());
            Assert.Equal(8, root.GetProperty("summary").GetProperty("estimated").GetInt32());
            Assert.Equal(8, root.GetProperty("specifications").GetArrayLength());
            var first = root.GetProperty("specifications")[0];
            Assert.Equal("none", first.GetProperty("choices").GetProperty("controls").GetString());
            Assert.True(first.GetProperty("estimate").GetDouble() > 0);
            Assert.Contains("multiverse: 8 specifications", err);
        }
        finally { File.Delete(choices); }
    }

    [Fact]
    public void ABadChoicesFileIsAnInputError()
    {
        var choices = Path.Combine(Path.GetTempPath(), $"choices-{Guid.NewGuid():N}.json");
        File.WriteAllText(choices, "{\"sample\": [\"all\", \"coastal\"]}");
        try
        {
            var (code, _, err) = Run("multiverse", "--data", Panel, "--choices", choices);
            Assert.Equal(1, code);
            Assert.Contains($"{choices}: choice 'sample' has no option 'coastal'", err);
            Assert.DoesNotContain("   at ", err);
        }
        finally { File.Delete(choices); }
    }

    [Fact]
    public void DiagnosePrintsTheTableAndJson()
    {
        var (code, output, err) = Run("diagnose", "--worlds", "2", "--seed", "5");
        Assert.True(code == 0, err);
        Assert.Contains("Synthetic data", output);
        Assert.Contains("| TWFE (Feols) |", output);
        Assert.Contains("seeds 5–6", output);
        var (code2, json, err2) = Run("diagnose", "--worlds", "2", "--json", "--draws", "--threads", "1");
        Assert.True(code2 == 0, err2);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetProperty("worlds").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("diagnosis").EnumerateArray(), d => d.GetProperty("estimator").GetString() == "twfe" && d.GetProperty("scenario").GetString() == "zero");
        Assert.True(doc.RootElement.GetProperty("draws").GetArrayLength() > 0);
        Assert.Equal(2, Run("diagnose", "--draws").Code);
        Assert.Equal(2, Run("diagnose", "--worlds", "0").Code);
    }
}
