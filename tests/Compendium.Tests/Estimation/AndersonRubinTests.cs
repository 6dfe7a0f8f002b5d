using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Xunit;
using Xunit.Abstractions;

namespace Compendium.Tests.Estimation;

/// <summary>
/// AndersonRubin against tests/reference/ar (R: explicit regressions of y − b0·D, sandwich variances, uniroot on the
/// test for the set's ends): the test at several b0 and the 95% confidence set (ends and shape, F and χ² forms) at 1e-6.
/// </summary>
public class AndersonRubinTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private static string ArPath(string file) => Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "ar", file);
    private static string IvPath(string file) => Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "iv", file);
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")));
    private static readonly Lazy<ColumnTable> Cig = new(() => ColumnTableCsv.Read(IvPath("cigarettes1995.csv")));
    private static readonly Lazy<ColumnTable> Weak = new(() => ColumnTableCsv.Read(ArPath("ar_weak.csv")));
    private static readonly Lazy<List<(string Case, string Key, double Value)>> Values = new(() =>
        File.ReadLines(ArPath("ar_reference.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (f[0], f[1], double.Parse(f[2], CultureInfo.InvariantCulture))).ToList());

    private const string PanelIv = "resilience ~ econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year | treat ~ iv_tel_internet";

    private static (ColumnTable Data, string Formula, Vcov Vcov) Spec(string @case) => @case switch
    {
        "panel_cluster" => (Panel.Value, PanelIv, Vcov.Cluster("city_code")),
        "panel_hc1" => (Panel.Value, PanelIv, Vcov.Hetero),
        "cig_1x2_hc1" => (Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff + rtax", Vcov.Hetero),
        "cig_1x2_iid" => (Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff + rtax", Vcov.Iid),
        "mp_strong_cluster" => (Weak.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Cluster("countyreal")),
        "mp_weak_a_cluster" => (Weak.Value, "y ~ 1 | countyreal + year | d2 ~ zw_a", Vcov.Cluster("countyreal")),
        "mp_weak_b_cluster" => (Weak.Value, "y ~ 1 | countyreal + year | d2 ~ zw_b", Vcov.Cluster("countyreal")),
        "mp_rays_cluster" => (Weak.Value, "y_r ~ 1 | countyreal + year | d2 ~ zw_b", Vcov.Cluster("countyreal")),
        _ => throw new ArgumentException(@case),
    };

    public static TheoryData<string> Cases => new() { "panel_cluster", "panel_hc1", "cig_1x2_hc1", "cig_1x2_iid", "mp_strong_cluster", "mp_weak_a_cluster", "mp_weak_b_cluster", "mp_rays_cluster" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TestAtB0MatchesR(string @case)
    {
        var (data, formula, vcov) = Spec(@case);
        var rows = Values.Value.Where(v => v.Case == @case && v.Key.StartsWith("ar:", StringComparison.Ordinal)).ToList();
        var b0s = rows.Select(r => double.Parse(r.Key.Split(':')[1], CultureInfo.InvariantCulture)).Distinct().ToArray();
        var tests = AndersonRubin.Tests(data, formula, b0s, vcov);
        double worst = 0;
        foreach (var (c, key, value) in rows)
        {
            var parts = key.Split(':');
            var t = tests[Array.IndexOf(b0s, double.Parse(parts[1], CultureInfo.InvariantCulture))];
            double actual = parts[2] switch { "f" => t.F, "p_f" => t.PF, "chi2" => t.ChiSquared, "p_chi2" => t.PChiSquared, _ => throw new ArgumentException(key) };
            worst = Math.Max(worst, Close(value, actual, $"{@case} {key}"));
        }
        output.WriteLine($"{@case}: {rows.Count} values, max relative deviation {worst:E2} (p-values below 1e-13 compared absolutely)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfidenceSetMatchesR(string @case)
    {
        var (data, formula, vcov) = Spec(@case);
        foreach (var (form, tag) in new[] { (AndersonRubinForm.F, "f"), (AndersonRubinForm.ChiSquared, "chi2") })
        {
            var r = AndersonRubin.Fit(data, formula, vcov, new AndersonRubinOptions(Form: form));
            var mine = Values.Value.Where(v => v.Case == @case && v.Key.StartsWith($"set_{tag}:", StringComparison.Ordinal)).ToList();
            string shape = mine.Single(v => v.Key.StartsWith($"set_{tag}:shape:", StringComparison.Ordinal)).Key.Split(':')[2];
            Assert.Equal(shape, r.Shape);
            Close(mine.Single(v => v.Key == $"set_{tag}:crit").Value, r.CriticalValue, "critical value");
            Close(Values.Value.Single(v => v.Case == @case && v.Key == $"limit_{tag}").Value, tag == "f" ? r.Limit.F : r.Limit.ChiSquared, "limit");
            if (mine.Any(v => v.Key == $"set_{tag}:lo"))
            {
                double lo = mine.Single(v => v.Key == $"set_{tag}:lo").Value, hi = mine.Single(v => v.Key == $"set_{tag}:hi").Value;
                var finite = r.Set.SelectMany(i => new[] { i.Low, i.High }).Where(double.IsFinite).ToArray();
                Assert.Equal(2, finite.Length);
                Close(lo, finite[0], $"{@case} {tag} lower end");
                Close(hi, finite[1], $"{@case} {tag} upper end");
            }
            output.WriteLine($"{@case} ({tag}): {r.Shape} {r.SetText(6)}");
        }
    }

    [Fact]
    public void AtZeroEqualsTheIvDiagnostic()
    {
        var (data, formula, vcov) = Spec("panel_cluster");
        var r = AndersonRubin.Fit(data, formula, vcov);
        Assert.Equal(r.Iv.Diagnostics.AndersonRubinF.Statistic, r.AtZero.F, 1e-9);
        Assert.Equal(r.Iv.Diagnostics.AndersonRubinChi2.Statistic, r.AtZero.ChiSquared, 1e-9);
        // Just identified: AR is 0 at the 2SLS estimate, so the estimate lies in the set.
        var atEstimate = AndersonRubin.Tests(data, formula, [r.Iv["treat"].Estimate], vcov)[0];
        Assert.True(atEstimate.F < 1e-12);
        Assert.True(r.IsBounded);
        Assert.Contains("bounded", r.ToTable().ToMarkdown());
    }

    [Fact]
    public void TwoEndogenousRegressorsAreRefused()
    {
        var data = ColumnTableCsv.Read(IvPath("mpdta_iv.csv"));
        var e = Assert.Throws<InputException>(() => AndersonRubin.Fit(data, "y ~ x1 | countyreal + year | d1 + d2 ~ z1 + z2 + z3"));
        Assert.Contains("one endogenous regressor", e.Message);
    }

    private static double Close(double expected, double actual, string what)
    {
        double rel = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(rel <= Tol || Math.Abs(actual - expected) <= 1e-13, $"{what}: expected {expected:R}, got {actual:R} (relative {rel:E2})");
        return rel <= Tol ? rel : 0;   // values passing only the absolute test are far-tail p-values (≈ 0 in both)
    }
}
