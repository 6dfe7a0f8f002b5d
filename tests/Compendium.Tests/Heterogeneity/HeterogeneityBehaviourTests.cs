using System.Text.Json;
using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Figures;
using Compendium.Simulation;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Heterogeneity;

/// <summary>Bad input, edge cases, the command line, the simulator's group truths and the forest plot.</summary>
public class HeterogeneityBehaviourTests
{
    private const string Formula = "resilience ~ treat + fdi | city_code + year";
    private static readonly string PanelPath = Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(PanelPath));
    private static UnitIndex Units => UnitIndex.Of(Panel.Value, "city_code");

    [Fact]
    public void AGroupThatVariesWithinAUnitIsNamed()
    {
        var e = Assert.Throws<InputException>(() => UnitGroups.FromColumn(Panel.Value, "treat", Units));
        Assert.Contains("constant within each city_code", e.Message);
        Assert.Contains("data row", e.Message);
    }

    [Fact]
    public void MergeMustAssignEveryGroupOnce()
    {
        var size = UnitGroups.FromColumn(Panel.Value, "size_class", Units);
        Assert.Contains("not assigned", Assert.Throws<InputException>(() => size.Merge("s", ("big", ["megacity"]))).Message);
        Assert.Contains("no group 'huge'", Assert.Throws<InputException>(() => size.Merge("s", ("big", ["huge"]))).Message);
        Assert.Contains("assigned twice", Assert.Throws<InputException>(() =>
            size.Merge("s", ("a", ["megacity", "super_large", "large_1"]), ("b", ["large_1", "large_2", "medium", "small"]))).Message);
    }

    [Fact]
    public void QuantileGroupsFollowRType7()
    {
        var v = new UnitValues("x", new UnitIndex("u", ["a", "b", "c", "d", "e"], [0, 1, 2, 3, 4]), [5, 1, 4, 2, 3]);
        Assert.Equal(3, v.Quantile(0.5));
        Assert.Equal(new[] { "high", "low", "high", "low", "low" }, UnitGroups.AboveMedian(v).Labels);
        // cuts at 1/3 and 2/3: 2.3333 and 3.6667 → T1 = {1, 2}, T2 = {3}, T3 = {4, 5}
        Assert.Equal(new[] { "T3", "T1", "T3", "T1", "T2" }, UnitGroups.Quantiles(v, 3, "T").Labels);
        Assert.Equal(0, v.Centred().Values.Sum(), 12);
    }

    [Fact]
    public void InteractionModelNeedsTheTreatmentAsARegressorAndAKnownReference()
    {
        var size = UnitGroups.FromColumn(Panel.Value, "size_class", Units);
        Assert.Contains("must be a regressor", Assert.Throws<InputException>(() =>
            InteractionModel.Fit(Panel.Value, "resilience ~ fdi | city_code + year", Vcov.Cluster("city_code"), "treat", size)).Message);
        Assert.Contains("reference group 'huge'", Assert.Throws<InputException>(() =>
            InteractionModel.Fit(Panel.Value, Formula, Vcov.Cluster("city_code"), "treat", size, new InteractionOptions("huge"))).Message);
        Assert.Contains("not a fixed effect", Assert.Throws<InputException>(() =>
            InteractionModel.Fit(Panel.Value, Formula, Vcov.Cluster("city_code"), "treat", size, new InteractionOptions(GroupSpecificFixedEffects: ["province"]))).Message);
    }

    [Fact]
    public void SaturatedAndReferenceFormsGiveTheSameGroupEffectsAndTest()
    {
        var size = UnitGroups.FromColumn(Panel.Value, "size_class", Units);
        var a = InteractionModel.Fit(Panel.Value, Formula, Vcov.Cluster("city_code"), "treat", size, new InteractionOptions("small"));
        var b = InteractionModel.Fit(Panel.Value, Formula, Vcov.Cluster("city_code"), "treat", size, new InteractionOptions(Saturated: true));
        foreach (var (x, y) in a.GroupEffects().Zip(b.GroupEffects()))
        {
            Assert.Equal(x.Name, y.Name);
            Assert.Equal(x.Estimate, y.Estimate, 10);
            Assert.Equal(x.StdError, y.StdError, 10);
        }
        Assert.Equal(a.EqualEffects.Statistic, b.EqualEffects.Statistic, 8);
    }

    [Fact]
    public void UnstratifiedPermutationsThatEmptyAGroupStopWithAHint()
    {
        var size = UnitGroups.FromColumn(Panel.Value, "size_class", Units);
        var data = size.AddTo(Panel.Value);
        var e = Assert.Throws<InputException>(() => GroupPermutationTest.Run(data, "city_code", ["size_class"],
            [GroupHypothesis.Contrast("mega", Formula, "treat", "size_class", "megacity", "small")], Vcov.Cluster("city_code"), new PermutationOptions(40, 3)));
        Assert.Contains("permutation draw", e.Message);
        Assert.Contains("strata", e.Message);
    }

    [Fact]
    public void PermutationsWithinStrataKeepEachStratumsUnits()
    {
        string?[] strata = ["a", "b", "a", "c", "b", "a", null, "c"];
        var perms = UnitPermutations.Draw(strata, 25, 42);
        foreach (var p in perms)
        {
            Assert.Equal(Enumerable.Range(0, strata.Length), p.Order());
            for (int u = 0; u < strata.Length; u++) Assert.Equal(strata[u], strata[p[u]]);
        }
        Assert.Equal(perms.Select(p => string.Join(",", p)), UnitPermutations.Draw(strata, 25, 42).Select(p => string.Join(",", p)));
        Assert.Throws<InputException>(() => UnitPermutations.Draw(strata, 0, 1));
    }

    [Fact]
    public void BoundedDrawsAreUniformEnough()
    {
        var rng = new SplitMix64(9);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextBelow(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.InRange(rng.NextDouble(), 0, 1);
    }

    [Fact]
    public void HolmAndRomanoWolfEdgeCases()
    {
        Assert.Equal(new[] { 0.03, 0.04, 0.04 }, MultipleTesting.Holm([0.01, 0.04, 0.02]));
        Assert.Equal(new[] { double.NaN, 0.7 }, MultipleTesting.Holm([double.NaN, 0.7]));
        // One hypothesis: Romano–Wolf equals the single permutation p-value.
        var draws = new[] { 0.5, -2.5, 1.0, 3.0 }.Select(v => (IReadOnlyList<double>)new[] { v }).ToList();
        Assert.Equal(MultipleTesting.ResamplingP(2.0, draws.Select(d => d[0]).ToArray()), MultipleTesting.RomanoWolf([2.0], draws)[0]);
        Assert.Equal(3 / 5.0, MultipleTesting.ResamplingP(2.0, [0.5, -2.5, 1.0, 3.0]));
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void CompareGroupsCommandWritesTheDocumentedJson()
    {
        string[] args = ["compare-groups", "--data", PanelPath, "--formula", Formula, "--group", "region", "--reference", "west",
            "--draws", "30", "--seed", "5", "--strata", "policy_year", "--json"];
        var (code, output, err) = Run(args);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("region", root.GetProperty("grouping").GetString());
        Assert.Equal("treat", root.GetProperty("coefficient").GetString());
        Assert.Equal("west", root.GetProperty("reference").GetString());
        Assert.Equal(4, root.GetProperty("subsamples").GetProperty("groups").GetArrayLength());
        Assert.Equal(3, root.GetProperty("differences").GetArrayLength());
        var perm = root.GetProperty("permutation");
        Assert.Equal(30, perm.GetProperty("draws").GetInt32());
        var tests = perm.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(new[] { "central_vs_west", "east_vs_west", "northeast_vs_west" }, tests.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tests, t => Assert.Equal(30, t.GetProperty("draws").GetArrayLength()));
        Assert.True(root.GetProperty("interaction").GetProperty("equal_effects").GetProperty("p").GetDouble() is >= 0 and <= 1);

        // The same numbers as the library, and the same bytes on a second run.
        var data = ColumnTableCsv.Read(PanelPath);
        var lib = GroupComparison.Run(data, Formula, Vcov.Cluster("city_code"), "treat", UnitGroups.FromColumn(data, "region", UnitIndex.Of(data, "city_code")),
            new GroupComparisonOptions("west", new PermutationOptions(30, 5, "policy_year")));
        Assert.Equal(lib.Permutation!.RomanoWolf[1], tests[1].GetProperty("p_romano_wolf").GetDouble());
        Assert.Equal(lib.Differences[0].Estimate, root.GetProperty("differences")[0].GetProperty("estimate").GetDouble());
        Assert.Equal(output, Run(args).Out);
    }

    [Fact]
    public void CompareGroupsCommandPrintsTablesAndReportsBadInput()
    {
        var (code, output, err) = Run("compare-groups", "--data", PanelPath, "--formula", Formula, "--group", "region", "--draws", "0");
        Assert.True(code == 0, err);
        Assert.Contains("Does the effect of treat differ by region?", output);
        Assert.DoesNotContain("Romano–Wolf", output);
        var bad = Run("compare-groups", "--data", PanelPath, "--formula", Formula, "--group", "nonexistent", "--draws", "0");
        Assert.Equal(1, bad.Code);
        Assert.Contains("no column 'nonexistent'", bad.Err);
        Assert.Equal(2, Run("compare-groups", "--data", PanelPath, "--formula", Formula).Code);
        Assert.Equal(2, Run("compare-groups", "--data", PanelPath, "--formula", Formula, "--group", "region", "--seed", "-3").Code);
    }

    [Fact]
    public void TrueGroupEffectsMatchTheReferenceScript()
    {
        var r = ReferenceValues.FromFile("tests/reference/heterogeneity/heterogeneity_reference.csv");
        var panel = Panel.Value;
        var te = TrueEffect.TryLoadBeside(PanelPath, panel, "resilience")!;
        Assert.Equal(r["truth", "att:resilience"], te.Att(), 12);
        Assert.Equal(r["truth", "att:talent_share"], TrueEffect.TryLoadBeside(PanelPath, panel, "talent_share")!.Att(), 12);
        Assert.Equal(r["truth", "att:ln_new_firms"], TrueEffect.TryLoadBeside(PanelPath, panel, "ln_new_firms")!.Att(), 12);
        var size3 = UnitGroups.FromColumn(panel, "size_class", Units).Merge("size3",
            ("mega_super", ["megacity", "super_large"]), ("large", ["large_1", "large_2"]), ("medium_small", ["medium", "small"]));
        foreach (var (level, effect, cityYears) in te.ByGroup(size3))
        {
            Assert.Equal(r["truth", $"att:size3:{level}"], effect, 12);
            Assert.Equal(r["truth", $"city_years:size3:{level}"], cityYears);
        }
        var ipC = UnitValues.BeforeTreatment(panel, "ip_protection", Units, "year", "treat").Centred();
        Assert.Equal(r["truth", "slope:ip_c"], te.Slope(Units.Broadcast(ipC.Values)), 10);
        // The event-time profile agrees with truth.json's, which the simulator wrote for the index.
        var file = TruthFile.TryLoadBeside(PanelPath)!;
        foreach (var (k, effect, n) in te.ByEventTime(panel, "rel_year"))
        {
            var expected = file.AttByEventTime.Single(x => x.EventTime == k);
            Assert.Equal(expected.Effect, effect, 6);
            Assert.Equal(expected.CityYears, n);
        }
        Assert.Null(TrueEffect.TryLoadBeside(Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "fe", "castle_derived.csv"), panel, "resilience"));
    }

    [Fact]
    public void ForestPlotDrawsTruthOnlyWhenKnown()
    {
        var rows = new[] { new ForestRow("a", 1, 0.5, 1.5, 1.2), new ForestRow("b", 2, 1, 3) };
        var json = ForestPlot.Of(rows, 1.5, "pooled", "effect").ToJson();
        Assert.Contains("True effect (simulator)", json);
        Assert.Contains("\"pooled\"", json);
        var noTruth = ForestPlot.Of([rows[1]], null, "pooled", "effect").ToJson();
        Assert.DoesNotContain("True effect", noTruth);
        Assert.DoesNotContain("\"pooled\"", noTruth);
    }
}
