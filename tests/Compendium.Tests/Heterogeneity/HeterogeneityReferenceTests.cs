using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Tests.Estimation;
using Xunit;
using Xunit.Abstractions;

namespace Compendium.Tests.Heterogeneity;

/// <summary>
/// Mechanisms, subsample fits, pooled interaction models, continuous interactions, Holm, the seeded
/// permutation test and Romano–Wolf against tests/reference/heterogeneity (R fixest 0.12.2 and an
/// independent Python implementation of the draws; see heterogeneity_reference.R), at 1e-6 relative.
/// </summary>
public class HeterogeneityReferenceTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private const string Dir = "tests/reference/heterogeneity";
    private const string Controls = "econ_density + infrastructure + gov_intervention + fdi + avg_wage";
    private const string Base = "resilience ~ treat + " + Controls + " | city_code + year";
    private static readonly Lazy<ReferenceValues> Ref = new(() => ReferenceValues.FromFile(Dir + "/heterogeneity_reference.csv"));
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")));
    private static readonly Lazy<Prepared> Groups = new(() => Prepared.Of(Panel.Value));

    /// <summary>The panel with the reference script's splits and centred moderators as columns.</summary>
    private sealed record Prepared(ColumnTable Data, UnitIndex Units, UnitValues Ip, UnitValues Cap, Dictionary<string, UnitGroups> Splits)
    {
        public static Prepared Of(ColumnTable panel)
        {
            var units = UnitIndex.Of(panel, "city_code");
            var ip = UnitValues.BeforeTreatment(panel, "ip_protection", units, "year", "treat");
            var cap = UnitValues.BeforeTreatment(panel, "policy_capacity", units, "year", "treat");
            var size3 = UnitGroups.FromColumn(panel, "size_class", units).Merge("size3",
                ("mega_super", ["megacity", "super_large"]), ("large", ["large_1", "large_2"]), ("medium_small", ["medium", "small"]));
            var splits = new Dictionary<string, UnitGroups>
            {
                ["size3"] = size3,
                ["ip_median"] = UnitGroups.AboveMedian(ip) with { Name = "ip_median" },
                ["cap_median"] = UnitGroups.AboveMedian(cap) with { Name = "cap_median" },
                ["ip_tercile"] = UnitGroups.Quantiles(ip, 3, "T") with { Name = "ip_tercile" },
                ["cap_tercile"] = UnitGroups.Quantiles(cap, 3, "T") with { Name = "cap_tercile" },
            };
            var data = panel;
            foreach (var s in splits.Values) data = s.AddTo(data);
            data = ip.Centred().AddTo(data, "ip_c");
            data = cap.Centred().AddTo(data, "cap_c");
            return new Prepared(data, units, ip, cap, splits);
        }
    }

    private static readonly Dictionary<string, string> References = new()
    {
        ["size3"] = "medium_small", ["ip_median"] = "low", ["cap_median"] = "low", ["ip_tercile"] = "T1", ["cap_tercile"] = "T1",
    };

    [Fact]
    public void SplitMix64PublishedTestVector()
    {
        var rng = new SplitMix64(1234567);
        Assert.Equal([6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            Enumerable.Range(0, 5).Select(_ => rng.Next()).ToArray());
    }

    [Fact]
    public void GroupsMatchR()
    {
        var g = Groups.Value;
        var r = Ref.Value;
        Assert.Equal(r["groups", "first_treated_year"], UnitValues.FirstTreatedPeriod(Panel.Value, "year", "treat"));
        foreach (var (name, v) in new[] { ("ip_pre", g.Ip), ("cap_pre", g.Cap) })
        {
            Rel(r["groups", "median:" + name], v.Quantile(0.5), "median " + name);
            Rel(r["groups", "tercile1:" + name], v.Quantile(1 / 3.0), "tercile1 " + name);
            Rel(r["groups", "tercile2:" + name], v.Quantile(2 / 3.0), "tercile2 " + name);
            Rel(r["groups", "mean:" + name], v.Values.Average(), "mean " + name);
        }
        var file = ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, Dir, "groups.csv"));
        Assert.Equal(file.Text("city_code"), g.Units.Units.Select(u => (string?)u).ToArray());
        foreach (var (split, groups) in g.Splits)
        {
            Assert.Equal(file.Text(split), groups.Labels.Select(l => (string?)l).ToArray());
            foreach (var level in groups.Levels) Assert.Equal(r["groups", $"count:{split}:{level}"], groups.Count(level));
        }
        var ipPre = file.Numeric("ip_pre");
        var ipC = file.Numeric("ip_c");
        for (int u = 0; u < g.Units.Count; u++)
        {
            Rel(ipPre[u], g.Ip.Values[u], "ip_pre " + g.Units.Units[u]);
            Rel(ipC[u], g.Ip.Centred().Values[u], "ip_c " + g.Units.Units[u], abs: 1e-12);
        }
    }

    public static TheoryData<string, string> MechanismCases => new()
    {
        { "mech_talent_share_nocontrols", "talent_share ~ treat | city_code + year" },
        { "mech_talent_share_controls", "talent_share ~ treat + " + Controls + " | city_code + year" },
        { "mech_ln_new_firms_nocontrols", "ln_new_firms ~ treat | city_code + year" },
        { "mech_ln_new_firms_controls", "ln_new_firms ~ treat + " + Controls + " | city_code + year" },
        { "mech_resilience_nocontrols", "resilience ~ treat | city_code + year" },
        { "mech_resilience_controls", Base },
    };

    [Theory]
    [MemberData(nameof(MechanismCases))]
    public void MechanismRegressionsMatchR(string @case, string formula) =>
        Compare(@case, Feols.Fit(Panel.Value, formula, Vcov.Cluster("city_code")));

    [Theory]
    [InlineData("talent_share")]
    [InlineData("ln_new_firms")]
    public void MechanismEventStudiesMatchR(string outcome)
    {
        var es = EventStudy.Fit(Panel.Value, outcome, "rel_year", ["city_code", "year"], Vcov.Cluster("city_code"),
            new EventStudyOptions(-1, -4, 6, [.. Controls.Split(" + ")]));
        Compare("event_" + outcome, es.Regression);
        CompareTest("event_" + outcome, es.PreTrend!);
    }

    public static TheoryData<string> Splits => ["size3", "ip_median", "cap_median", "ip_tercile", "cap_tercile"];

    [Theory]
    [MemberData(nameof(Splits))]
    public void SubsampleFitsMatchR(string split)
    {
        var g = Groups.Value;
        var fits = SubsampleFits.Fit(Panel.Value, Base, Vcov.Cluster("city_code"), g.Splits[split]);
        Assert.Equal(g.Splits[split].Levels, fits.Groups.Select(f => f.Level));
        foreach (var f in fits.Groups) Compare($"sub_{split}_{f.Level}", f.Fit);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void PooledInteractionModelAndWaldMatchR(string split)
    {
        var g = Groups.Value;
        var m = InteractionModel.Fit(Panel.Value, Base, Vcov.Cluster("city_code"), "treat", g.Splits[split], new InteractionOptions(References[split]));
        Compare("pooled_" + split, m.Model);
        CompareTest("pooled_" + split, m.EqualEffects);
        // The reference group's effect is the main coefficient; another group's is main + interaction.
        var effects = m.GroupEffects();
        Assert.Equal(m.Model["treat"].Estimate, effects.Single(e => e.Name == References[split]).Estimate);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void SaturatedModelWithGroupSpecificYearEffectsMatchesR(string split)
    {
        var g = Groups.Value;
        var m = InteractionModel.Fit(Panel.Value, Base, Vcov.Cluster("city_code"), "treat", g.Splits[split],
            new InteractionOptions(Saturated: true, GroupSpecificFixedEffects: ["year"]));
        Compare("pooled_groupyear_" + split, m.Model);
        Assert.Null(m.Reference);
        Assert.Equal(m.Model[InteractionModel.TermName(split, g.Splits[split].Levels[0], "treat")].Estimate, m.GroupEffects()[0].Estimate, 15);
    }

    [Theory]
    [InlineData("cont_ip", "resilience ~ treat + treat:ip_c + " + Controls + " | city_code + year")]
    [InlineData("cont_cap", "resilience ~ treat + treat:cap_c + " + Controls + " | city_code + year")]
    [InlineData("cont_both", "resilience ~ treat + treat:ip_c + treat:cap_c + " + Controls + " | city_code + year")]
    public void ContinuousInteractionsMatchR(string @case, string formula)
    {
        var r = Feols.Fit(Groups.Value.Data, formula, Vcov.Cluster("city_code"));
        Compare(@case, r);
        if (@case == "cont_both") CompareTest(@case, r.Wald("treat:ip_c", "treat:cap_c"));
    }

    private static readonly string[] Family =
        ["size_mega_vs_small", "size_large_vs_small", "ip_high_vs_low", "cap_high_vs_low", "ip_t3_vs_t1", "cap_t3_vs_t1", "ip_continuous", "cap_continuous"];

    private static GroupHypothesis[] FamilyHypotheses() =>
    [
        GroupHypothesis.Contrast("size_mega_vs_small", Base, "treat", "size3", "mega_super", "medium_small"),
        GroupHypothesis.Contrast("size_large_vs_small", Base, "treat", "size3", "large", "medium_small"),
        GroupHypothesis.Contrast("ip_high_vs_low", Base, "treat", "ip_median", "high", "low"),
        GroupHypothesis.Contrast("cap_high_vs_low", Base, "treat", "cap_median", "high", "low"),
        GroupHypothesis.Contrast("ip_t3_vs_t1", Base, "treat", "ip_tercile", "T3", "T1"),
        GroupHypothesis.Contrast("cap_t3_vs_t1", Base, "treat", "cap_tercile", "T3", "T1"),
        GroupHypothesis.Coefficient("ip_continuous", "resilience ~ treat + treat:ip_c + " + Controls + " | city_code + year", "treat:ip_c"),
        GroupHypothesis.Coefficient("cap_continuous", "resilience ~ treat + treat:cap_c + " + Controls + " | city_code + year", "treat:cap_c"),
    ];

    [Fact]
    public void HolmOfTheAnalyticFamilyMatchesPAdjust()
    {
        var r = Ref.Value;
        var p = Family.Select(h => r["family", "p_analytic:" + h]).ToArray();
        var holm = MultipleTesting.Holm(p);
        for (int i = 0; i < p.Length; i++) Rel(r["family", "holm_analytic:" + Family[i]], holm[i], "holm " + Family[i]);
        // The analytic p-values themselves come from the pooled models checked above.
        var g = Groups.Value;
        var size = InteractionModel.Fit(Panel.Value, Base, Vcov.Cluster("city_code"), "treat", g.Splits["size3"], new InteractionOptions("medium_small"));
        Rel(p[0], size.Model["size3::mega_super:treat"].P, "analytic p of size_mega_vs_small");
    }

    [Fact]
    public void PermutationsAreTheDocumentedDraws()
    {
        var g = Groups.Value;
        var strata = g.Units.UnitText(Panel.Value, "policy_year");
        var perms = UnitPermutations.Draw(strata, 50, 1);
        var lines = File.ReadAllLines(Path.Combine(ReferenceValues.RepoRoot, Dir, "permutations.csv"));
        Assert.Equal(lines.Length, perms.Length);
        for (int b = 0; b < perms.Length; b++)
            Assert.Equal(lines[b].Split(',').Skip(1).Select(s => int.Parse(s, CultureInfo.InvariantCulture)), perms[b]);
    }

    [Fact]
    public void PermutationTestAndRomanoWolfMatchR()
    {
        var g = Groups.Value;
        var r = Ref.Value;
        var result = GroupPermutationTest.Run(g.Data, "city_code", ["size3", "ip_median", "cap_median", "ip_tercile", "cap_tercile", "ip_c", "cap_c"],
            FamilyHypotheses(), Vcov.Cluster("city_code"), new PermutationOptions(Draws: 50, Seed: 1, Strata: "policy_year"));
        Assert.Equal(Family, result.Hypotheses.Select(h => h.Name));
        double max = 0;
        for (int j = 0; j < Family.Length; j++)
        {
            var h = Family[j];
            max = Math.Max(max, Rel(r["family", "raw:" + h], result.Observed[j], "observed " + h));
            max = Math.Max(max, Rel(r["family", "stud:" + h], result.ObservedStudentised[j], "studentised " + h));
            for (int b = 0; b < 50; b++)
            {
                max = Math.Max(max, Rel(r["permutation", $"raw:{b + 1}:{h}"], result.NullDraws[b][j], $"draw {b + 1} raw {h}"));
                max = Math.Max(max, Rel(r["permutation", $"stud:{b + 1}:{h}"], result.NullDrawsStudentised[b][j], $"draw {b + 1} studentised {h}"));
            }
            Assert.Equal(r["permutation", "p_raw:" + h], result.P[j], 12);
            Assert.Equal(r["permutation", "p_stud:" + h], result.PStudentised[j], 12);
            Assert.Equal(r["permutation", "holm_stud:" + h], result.Holm[j], 12);
            Assert.Equal(r["permutation", "romano_wolf:" + h], result.RomanoWolf[j], 12);
        }
        output.WriteLine($"permutation statistics: max relative deviation {max:E2}");
    }

    [Fact]
    public void PermutationTestIsReproducibleAndSeedDependent()
    {
        var g = Groups.Value;
        PermutationTestResult Run(ulong seed) => GroupPermutationTest.Run(g.Data, "city_code", ["size3"], FamilyHypotheses()[..2],
            Vcov.Cluster("city_code"), new PermutationOptions(Draws: 20, Seed: seed, Strata: "policy_year"));
        var a = Run(7);
        var b = Run(7);
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.NotEqual(a.NullDraws[0][0], Run(8).NullDraws[0][0]);
    }

    [Fact]
    public void RomanoWolfAndHolmOnAFixedInputMatchR()
    {
        var t = ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, Dir, "romano_wolf_input.csv"));
        var cols = Enumerable.Range(1, 6).Select(j => t.Numeric("h" + j)).ToArray();
        var observed = cols.Select(c => c[0]).ToArray();
        var draws = Enumerable.Range(1, t.RowCount - 1).Select(b => (IReadOnlyList<double>)cols.Select(c => c[b]).ToArray()).ToList();
        var p = Enumerable.Range(0, 6).Select(j => MultipleTesting.ResamplingP(observed[j], draws.Select(d => d[j]).ToArray())).ToArray();
        var rw = MultipleTesting.RomanoWolf(observed, draws);
        var holm = MultipleTesting.Holm(p);
        var r = Ref.Value;
        for (int j = 0; j < 6; j++)
        {
            Assert.Equal(r["rw_fixed", $"p:h{j + 1}"], p[j], 12);
            Assert.Equal(r["rw_fixed", $"romano_wolf:h{j + 1}"], rw[j], 12);
            Assert.Equal(r["rw_fixed", $"holm:h{j + 1}"], holm[j], 12);
        }
    }

    /// <summary>Every key the reference wrote for <paramref name="case"/> (N, K, t df, clusters, coefficients, vcov) against <paramref name="r"/>.</summary>
    private void Compare(string @case, FeolsResult r)
    {
        var reference = Ref.Value;
        Assert.Equal(reference[@case, "nobs"], r.Nobs);
        Assert.Equal(reference[@case, "K"], r.Nobs - r.ResidualDf);
        Assert.Equal(reference[@case, "df_t"], r.Variance.DegreesOfFreedom);
        Assert.Equal(reference[@case, "clusters:city_code"], (double)r.Clusters!.Value);
        double max = 0;
        int k = r.Coefficients.Length;
        Assert.Equal(reference.Keys(@case).Count(key => key.StartsWith("coef:") && key.EndsWith(":estimate")), k);
        for (int i = 0; i < k; i++)
        {
            var c = r.Coefficients[i];
            foreach (var (key, value) in new[] { ("estimate", c.Estimate), ("std_error", c.StdError), ("t", c.T), ("p", c.P), ("ci_low", c.CiLow), ("ci_high", c.CiHigh) })
                max = Math.Max(max, Rel(reference[@case, $"coef:{c.Name}:{key}"], value, $"{@case} {c.Name} {key}"));
            for (int j = 0; j < k; j++)
                max = Math.Max(max, Rel(reference[@case, $"vcov:{c.Name}:{r.Coefficients[j].Name}"], r.Variance.Matrix[i * k + j], $"{@case} vcov {c.Name},{r.Coefficients[j].Name}"));
        }
        output.WriteLine($"{@case}: max relative deviation {max:E2}");
    }

    private static void CompareTest(string @case, TestStatistic t)
    {
        var reference = Ref.Value;
        Rel(reference[@case, "wald:stat"], t.Statistic, @case + " wald stat");
        Rel(reference[@case, "wald:p"], t.PValue, @case + " wald p");
        Assert.Equal(reference[@case, "wald:df1"], t.Df1);
        Assert.Equal(reference[@case, "wald:df2"], t.Df2);
    }

    private static double Rel(double expected, double actual, string what, double abs = 0)
    {
        double dev = Math.Abs(actual - expected) <= abs ? 0 : Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(dev <= Tol, $"{what}: expected {expected:R}, got {actual:R} (relative deviation {dev:E2})");
        return dev;
    }
}
