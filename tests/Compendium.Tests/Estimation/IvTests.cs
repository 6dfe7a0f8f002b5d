using Xunit;
using Xunit.Abstractions;
using static Compendium.Tests.Estimation.IvDiagReference;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Tests.Estimation;

/// <summary>Iv2sls against tests/reference/iv/iv_reference.R (AER::ivreg + sandwich; ivreg2 formulas re-implemented in R).</summary>
public class IvTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, double> Ref = ReadValues("tests/reference/iv/iv_reference.csv");
    private static readonly Lazy<ColumnTable> Mp = new(() => ReadCsv("tests/reference/iv/mpdta_iv.csv"));
    private static readonly Lazy<ColumnTable> Cig = new(() => ReadCsv("tests/reference/iv/cigarettes1995.csv"));

    public static TheoryData<string> Cases
    {
        get
        {
            var cases = new TheoryData<string>
            {
                "mp_1x1_cluster", "mp_1x3_cluster", "mp_1x3_hc1", "mp_1x3_iid", "mp_2x3_cluster", "mp_2x3_hc1", "mp_1x2_year_cluster",
                "cig_1x1_hc1", "cig_1x2_hc1", "cig_1x2_iid",
            };
            // The study's specification on the synthetic panel, once the reference script has been run on it.
            if (Ref.ContainsKey("panel_cluster|nobs|")) cases.Add("panel_cluster");
            return cases;
        }
    }

    private static readonly Lazy<ColumnTable> Panel = new(() => ReadCsv("data/synthetic/panel.csv"));

    internal static (ColumnTable Data, string Formula, Vcov Vcov) Spec(string name) => name switch
    {
        "mp_1x1_cluster" => (Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1", Vcov.Cluster("countyreal")),
        "mp_1x3_cluster" => (Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Cluster("countyreal")),
        "mp_1x3_hc1" => (Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Hetero),
        "mp_1x3_iid" => (Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Iid),
        "mp_2x3_cluster" => (Mp.Value, "y ~ x1 | countyreal + year | d1 + d2 ~ z1 + z2 + z3", Vcov.Cluster("countyreal")),
        "mp_2x3_hc1" => (Mp.Value, "y ~ x1 | countyreal + year | d1 + d2 ~ z1 + z2 + z3", Vcov.Hetero),
        "mp_1x2_year_cluster" => (Mp.Value, "y ~ 1 | year | d1 ~ z1 + z2", Vcov.Cluster("countyreal")),
        "cig_1x1_hc1" => (Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff", Vcov.Hetero),
        "cig_1x2_hc1" => (Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff + rtax", Vcov.Hetero),
        "cig_1x2_iid" => (Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff + rtax", Vcov.Iid),
        "panel_cluster" => (Panel.Value, "resilience ~ econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year | treat ~ iv_tel_internet",
            Vcov.Cluster("city_code")),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Every reference quantity of a case paired with the value Iv2sls produced.</summary>
    internal static IEnumerable<(string Quantity, double Expected, double Actual)> Compare(string name, IvResult r)
    {
        double R(string q, string t = "") => Ref[$"{name}|{q}|{t}"];
        foreach (var c in r.Coefficients.Where(c => c.Name != "(Intercept)"))
        {
            yield return ($"estimate {c.Name}", R("estimate", c.Name), c.Estimate);
            yield return ($"std_error {c.Name}", R("std_error", c.Name), c.StdError);
        }
        yield return ("nobs", R("nobs"), r.Nobs);
        yield return ("k_fe", R("k_fe"), r.Variance.ParameterCount - r.Coefficients.Length);
        foreach (var fs in r.FirstStages)
        {
            foreach (var c in fs.Instruments) yield return ($"first-stage coef {fs.Endogenous}←{c.Name}", R($"fs_coef:{fs.Endogenous}", c.Name), c.Estimate);
            yield return ($"partial R² {fs.Endogenous}", R("fs_partial_r2", fs.Endogenous), fs.PartialR2);
            yield return ($"first-stage F {fs.Endogenous}", R("fs_partial_f", fs.Endogenous), fs.PartialF.Statistic);
        }
        var d = r.Diagnostics;
        yield return ("Cragg–Donald F", R("cd_f"), d.CraggDonaldF.Statistic);
        if (r.VcovName == "iid")
            yield return ("Anderson LM", R("anderson_lm"), d.UnderIdentification.Statistic);
        else
        {
            yield return ("KP rk LM", R("kp_lm"), d.UnderIdentification.Statistic);
            yield return ("KP rk Wald F", R("kp_wald_f"), d.KleibergenPaapWaldF!.Statistic);
        }
        yield return ("AR χ²", R("ar_chi2"), d.AndersonRubinChi2.Statistic);
        yield return ("AR F", R("ar_f"), d.AndersonRubinF.Statistic);
        yield return ("AR F df2", R("ar_f_df2"), d.AndersonRubinF.Df2);
        yield return ("DWH F", R("dwh_f"), d.Endogeneity!.Statistic);
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTheRReference(string name)
    {
        var (data, formula, vcov) = Spec(name);
        var r = Iv2sls.Fit(data, formula, vcov);
        double worst = 0;
        foreach (var (q, e, a) in Compare(name, r))
        {
            worst = Math.Max(worst, RelDev(e, a));
            Close(e, a, 1e-6, 0, $"{name}: {q}");
        }
        output.WriteLine($"{name}: max relative deviation {worst:E2}");
    }

    [Fact]
    public void KleibergenPaapFEqualsTheRobustFirstStageFWithOneEndogenousRegressor()
    {
        foreach (var name in new[] { "mp_1x1_cluster", "mp_1x3_cluster", "mp_1x3_hc1", "cig_1x2_hc1" })
        {
            var (data, formula, vcov) = Spec(name);
            var r = Iv2sls.Fit(data, formula, vcov);
            Close(r.FirstStages[0].PartialF.Statistic, r.Diagnostics.KleibergenPaapWaldF!.Statistic, 1e-10, 0, name);
        }
    }

    [Fact]
    public void LeavesTheDataUntouched()
    {
        var data = ReadCsv("tests/reference/iv/mpdta_iv.csv");
        var before = new[] { "y", "x1", "d1", "z1" }.Select(c => (double[])data.Numeric(c).Clone()).ToArray();
        Iv2sls.Fit(data, "y ~ x1 | countyreal + year | d1 ~ z1", Vcov.Cluster("countyreal"));
        var after = new[] { "y", "x1", "d1", "z1" }.Select(data.Numeric).ToArray();
        for (int j = 0; j < before.Length; j++) Assert.Equal(before[j], after[j]);
    }

    [Fact]
    public void TwoWayClusteringCarriesThroughToTheRankTest()
    {
        // No R reference (sandwich's multiway vcovCL differs in its small-sample factor); with one endogenous
        // regressor the KP F must still equal the two-way cluster-robust first-stage F (CGM inclusion–exclusion, Gmin).
        var r = Iv2sls.Fit(Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Cluster("countyreal", "year"));
        Assert.False(r.Variance.EigenvalueFixed);
        Close(r.FirstStages[0].PartialF.Statistic, r.Diagnostics.KleibergenPaapWaldF!.Statistic, 1e-10, 0, "two-way KP F");
        Assert.Equal(4, r.Diagnostics.KleibergenPaapWaldF!.Df2);
    }

    [Fact]
    public void ReproducesStockAndWatsonsCigaretteDemandEstimates()
    {
        // Stock & Watson, Introduction to Econometrics, eq. (12.15)/(12.16), 1995 cross-section, HC SEs:
        // ln Q = 9.43 − 1.14 ln P + 0.21 ln Inc, SEs (1.26) (0.37) (0.31), instrument: sales tax;
        // ln Q = 9.89 − 1.28 ln P + 0.28 ln Inc, SEs (0.96) (0.25) (0.25), instruments: sales and cigarette taxes.
        var one = Iv2sls.Fit(Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff", Vcov.Hetero);
        Assert.Equal(-1.14, one["lrprice"].Estimate, 2);
        Assert.Equal(0.37, one["lrprice"].StdError, 2);
        Assert.Equal(0.21, one["lrincome"].Estimate, 2);
        Assert.Equal(0.31, one["lrincome"].StdError, 2);
        Assert.Equal(9.43, one["(Intercept)"].Estimate, 2);
        Assert.Equal(1.26, one["(Intercept)"].StdError, 2);
        var two = Iv2sls.Fit(Cig.Value, "lpacks ~ lrincome | lrprice ~ tdiff + rtax", Vcov.Hetero);
        Assert.Equal(-1.28, two["lrprice"].Estimate, 2);
        Assert.Equal(0.25, two["lrprice"].StdError, 2);
        Assert.Equal(0.28, two["lrincome"].Estimate, 2);
        Assert.Equal(0.25, two["lrincome"].StdError, 2);
        Assert.Equal(9.89, two["(Intercept)"].Estimate, 2);
        Assert.Equal(0.96, two["(Intercept)"].StdError, 2);
    }

    [Fact]
    public void ReportsStockYogoCriticalValuesAndRendersATable()
    {
        var r = Iv2sls.Fit(Mp.Value, "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", Vcov.Cluster("countyreal"));
        var sy = r.Diagnostics.StockYogo!;
        Assert.Equal(22.30, sy["10% maximal IV size"]);
        Assert.Equal(9.08, sy["10% maximal IV relative bias"]);
        Assert.Same(r.Diagnostics.KleibergenPaapWaldF, r.Diagnostics.WeakIdentification);
        var md = r.ToTable().ToMarkdown();
        Assert.Contains("Kleibergen–Paap rk Wald F", md);
        Assert.Contains("d1 ← z2", md);
        Assert.Contains("Stock–Yogo", md);
        Assert.Contains("Anderson–Rubin", r.Diagnostics.ToTable().ToMarkdown());
        Assert.True(double.IsNaN(StockYogo.For(1, 1)!["10% maximal IV relative bias"]));
        Assert.Equal(16.38, StockYogo.For(1, 1)!["10% maximal IV size"]);
        Assert.Null(StockYogo.For(3, 5));
    }

    [Fact]
    public void UnderIdentificationNamesTheVariables()
    {
        var e = Assert.Throws<InputException>(() => Iv2sls.Fit(Mp.Value, "y ~ x1 | countyreal + year | d1 + d2 ~ z1", Vcov.Iid));
        Assert.Contains("under-identified", e.Message);
        Assert.Contains("d1, d2", e.Message);
        Assert.Contains("z1", e.Message);
    }

    [Fact]
    public void ACollinearInstrumentIsAnErrorNamingIt()
    {
        var data = Mp.Value.With("z1copy", Mp.Value.Numeric("z1").Select(v => 2 * v).ToArray());
        var e = Assert.Throws<InputException>(() => Iv2sls.Fit(data, "y ~ x1 | countyreal + year | d1 ~ z1 + z1copy", Vcov.Iid));
        Assert.Contains("'z1copy'", e.Message);
        Assert.Contains("collinear", e.Message);
        // An instrument constant within counties is absorbed by the county fixed effect.
        var county = Mp.Value.With("zc", Mp.Value.Numeric("countyreal").Select(v => v % 7).ToArray());
        var e2 = Assert.Throws<InputException>(() => Iv2sls.Fit(county, "y ~ x1 | countyreal + year | d1 ~ z1 + zc", Vcov.Iid));
        Assert.Contains("'zc'", e2.Message);
    }

    [Fact]
    public void FormulasWithoutInstrumentsOrWithClashingRolesAreErrors()
    {
        Assert.Contains("no IV part", Assert.Throws<InputException>(() => Iv2sls.Fit(Mp.Value, "y ~ x1 | countyreal + year", Vcov.Iid)).Message);
        Assert.Contains("'x1'", Assert.Throws<InputException>(() => Iv2sls.Fit(Mp.Value, "y ~ x1 | countyreal | d1 ~ x1", Vcov.Iid)).Message);
        Assert.Contains("'d1'", Assert.Throws<InputException>(() => Iv2sls.Fit(Mp.Value, "y ~ d1 | countyreal | d1 ~ z1", Vcov.Iid)).Message);
    }
}
