using System.Text.Json;
using Compendium.Cli;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>The did, bacon, honest and boot commands: documented JSON fields and the reference numbers.</summary>
public class DidCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Ref(string file) => Path.Combine(IvDiagReference.Root, "tests", "reference", "did", file);

    [Fact]
    public void DidCsJsonHasTheDocumentedFieldsAndThePublishedNumbers()
    {
        var (code, output, err) = Run("did", "--estimator", "cs", "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal",
            "--time", "year", "--group", "first.treat", "--method", "reg", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var cell = root.GetProperty("att_gt").EnumerateArray().Single(c => c.GetProperty("group").GetDouble() == 2004 && c.GetProperty("time").GetDouble() == 2006);
        DidReference.Printed(-0.1373, cell.GetProperty("att").GetDouble(), 4, "ATT(2004,2006)");
        Assert.True(cell.GetProperty("std_error").GetDouble() > 0);
        var dyn = root.GetProperty("dynamic").EnumerateArray().ToArray();
        Assert.Equal(-3, dyn[0].GetProperty("event_time").GetInt32());
        foreach (var f in new[] { "estimate", "std_error", "ci_low", "ci_high" }) Assert.True(dyn[0].TryGetProperty(f, out _), f);
        Assert.True(root.GetProperty("overall").GetProperty("std_error").GetDouble() > 0);
        DidReference.Printed(0.16812, root.GetProperty("pretest").GetProperty("p").GetDouble(), 5, "pre-test");
        Assert.True(root.GetProperty("pretest").TryGetProperty("statistic", out _));
    }

    [Theory]
    [InlineData("sa")]
    [InlineData("bjs")]
    public void DidSaAndBjsWriteDynamicAndOverall(string est)
    {
        var (code, output, err) = Run("did", "--estimator", est, "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal",
            "--time", "year", "--group", "first.treat", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = DidReference.Load(est == "sa" ? "sa_reference.csv" : "bjs_reference.csv");
        double overall = doc.RootElement.GetProperty("overall").GetProperty("estimate").GetDouble();
        DidReference.Close(est == "sa" ? r["mpdta_never", "att", "estimate"] : r["mpdta", "estimate", "overall"], overall, what: "overall");
        Assert.NotEmpty(doc.RootElement.GetProperty("dynamic").EnumerateArray());
    }

    [Fact]
    public void DidTableByDefaultAndUsageErrors()
    {
        var (code, output, _) = Run("did", "--estimator", "bjs", "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal", "--time", "year", "--group", "first.treat");
        Assert.Equal(0, code);
        Assert.Contains("event_time::0", output);
        Assert.Equal(2, Run("did", "--estimator", "xx", "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal", "--time", "year", "--group", "first.treat").Code);
        var (c2, _, e2) = Run("did", "--estimator", "sa", "--method", "reg", "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal", "--time", "year", "--group", "first.treat");
        Assert.Equal(2, c2);
        Assert.Contains("--method applies to --estimator cs only", e2);
        var (c3, _, e3) = Run("did", "--estimator", "cs", "--data", Ref("mpdta.csv"), "--y", "nope", "--unit", "countyreal", "--time", "year", "--group", "first.treat");
        Assert.NotEqual(0, c3);
        Assert.Contains("nope", e3);
    }

    [Fact]
    public void BaconJsonReproducesCastle()
    {
        var (code, output, err) = Run("bacon", "--data", Ref("castle.csv"), "--formula", "l_homicide ~ post | sid + year", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        DidReference.Close(0.0818116169306475, root.GetProperty("twfe").GetProperty("estimate").GetDouble(), 1e-10, what: "twfe");
        var comps = root.GetProperty("components").EnumerateArray().ToArray();
        Assert.All(comps, c => { Assert.True(c.TryGetProperty("type", out _)); Assert.True(c.TryGetProperty("weight", out _)); Assert.True(c.TryGetProperty("estimate", out _)); });
        var never = root.GetProperty("by_type").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "treated_vs_never");
        DidReference.Printed(0.90834, never.GetProperty("weight").GetDouble(), 5, "weight");
    }

    [Fact]
    public void HonestFromAPanelAndFromDidJson()
    {
        var (code, output, err) = Run("honest", "--data", Ref("mpdta.csv"), "--y", "lemp", "--unit", "countyreal", "--time", "year",
            "--group", "first.treat", "--estimator", "cs", "--restriction", "sd", "--m", "0,0.02", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var bounds = doc.RootElement.GetProperty("bounds").EnumerateArray().ToArray();
        Assert.Equal(2, bounds.Length);
        var (c1, didJson, e1) = Run("did", "--estimator", "cs", "--base-period", "universal", "--data", Ref("mpdta.csv"), "--y", "lemp",
            "--unit", "countyreal", "--time", "year", "--group", "first.treat", "--json");
        Assert.True(c1 == 0, e1);
        var tmp = Path.Combine(Path.GetTempPath(), $"cs_{Guid.NewGuid():N}.json");
        File.WriteAllText(tmp, didJson);
        try
        {
            var (c2, o2, e2) = Run("honest", "--event-study", tmp, "--restriction", "sd", "--m", "0,0.02", "--json");
            Assert.True(c2 == 0, e2);
            using var d2 = JsonDocument.Parse(o2);
            var b2 = d2.RootElement.GetProperty("bounds").EnumerateArray().ToArray();
            for (int i = 0; i < 2; i++)
                DidReference.Close(bounds[i].GetProperty("lower").GetDouble(), b2[i].GetProperty("lower").GetDouble(), 1e-9, what: "same bounds");
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void BootJsonMatchesTheReference()
    {
        var r = DidReference.Load("wild_reference.csv");
        var (code, output, err) = Run("boot", "--data", Ref("wild_panel_subset.csv"), "--formula", "resilience ~ treat + econ_density + gov_intervention | city_code + year",
            "--coef", "treat", "--cluster", "province", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(r["panel_provinces", "p", "0"], root.GetProperty("p").GetDouble());
        DidReference.Close(r["panel_provinces", "ci", "low"], root.GetProperty("ci_low").GetDouble(), what: "ci low");
        Assert.True(root.GetProperty("full_enumeration").GetBoolean());
    }
}
