using Xunit;
using Xunit.Abstractions;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Reproduction;

namespace Compendium.Tests.Estimation;

/// <summary>
/// Feols against tests/reference/fe (R: lm with dummies + sandwich, fixest small-sample factors
/// applied explicitly; see fe_reference.R). Every coefficient, SE, t, p, CI, the vcov matrix, N, K,
/// R² and within R² are compared at 1e-6 relative.
/// </summary>
public class FeolsReferenceTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private static readonly Lazy<ColumnTable> Castle = new(() => ColumnTableCsv.Read(ReferenceValues.FePath("castle_derived.csv")));
    private static readonly Lazy<ColumnTable> Mpdta = new(() => ColumnTableCsv.Read(ReferenceValues.FePath("mpdta_derived.csv")));
    private static readonly Lazy<ReferenceValues> CastleRef = new(() => ReferenceValues.Load("castle"));
    private static readonly Lazy<ReferenceValues> MpdtaRef = new(() => ReferenceValues.Load("mpdta"));

    [Fact]
    public void CastlePublishedTwfeEstimate()
    {
        var data = ColumnTableCsv.Read(ReferenceValues.FePath("castle_derived.csv"));
        var r = Feols.Fit(data, "l_homicide ~ post | sid + year");
        Assert.Equal(0.0818116169306475, r["post"].Estimate, 1e-10);
        Assert.Equal(550, r.Nobs);
    }

    public static TheoryData<string, string, string, string?> CastleCases => new()
    {
        { "castle_twfe_iid", "l_homicide ~ post | sid + year", "iid", null },
        { "castle_twfe_hetero", "l_homicide ~ post | sid + year", "hetero", null },
        { "castle_twfe_cluster", "l_homicide ~ post | sid + year", "cluster:sid", null },
        { "castle_twfe_cluster2", "l_homicide ~ post + x_int | sid + year", "cluster:sid+year", null },
        { "castle_1fe_cluster", "l_homicide ~ post + x_int | sid", "cluster:sid", null },
        { "castle_3fe_cluster", "l_homicide ~ post + x_int | sid + year + g7", "cluster:sid", null },
        { "castle_collinear_cluster", "l_homicide ~ post + post2 + x_int | sid + year", "cluster:sid", null },
        { "castle_missing_hetero", "l_homicide ~ post + x_na | sid + year", "hetero", null },
        { "castle_nofe_iid", "l_homicide ~ post + x_int", "iid", null },
        { "castle_nofe_hetero", "l_homicide ~ post + x_int", "hetero", null },
        { "castle_weighted_cluster", "l_homicide ~ post | sid + year", "cluster:sid", "popwt" },
    };

    [Theory]
    [MemberData(nameof(CastleCases))]
    public void CastleMatchesR(string @case, string formula, string vcov, string? weights) =>
        Check(CastleRef.Value, @case, Castle.Value, formula, vcov, weights);

    [Fact]
    public void CastleSingletonsDroppedIteratively()
    {
        var data = ColumnTableCsv.Read(ReferenceValues.FePath("castle_singletons.csv"));
        var r = Check(CastleRef.Value, "castle_singletons_cluster", data, "l_homicide ~ post | sid + year", "cluster:sid", null);
        Assert.True(r.SingletonsDropped > 0);
        Assert.Contains(r.Notes(), n => n.Contains("singleton"));
    }

    [Fact]
    public void MpdtaTwfeClustered() =>
        Check(MpdtaRef.Value, "mpdta_twfe_cluster", Mpdta.Value, "lemp ~ post | countyreal + year", "cluster:countyreal", null);

    [Fact]
    public void MpdtaCollinearWithFixedEffectIsDroppedByName()
    {
        var r = Check(MpdtaRef.Value, "mpdta_collinear_cluster", Mpdta.Value, "lemp ~ post + lpop + lpop_year | countyreal + year", "cluster:countyreal", null);
        Assert.Equal(new[] { "lpop" }, r.CollinearDropped.ToArray());
    }

    [Fact]
    public void MpdtaEventStudyWithPreTrendWald()
    {
        var reference = MpdtaRef.Value;
        var r = Check(reference, "mpdta_event_cluster", Mpdta.Value, "lemp ~ i(rel, ref = -1) | countyreal + year", "cluster:countyreal", null,
            rename: n => n.Replace("rel::", "rel_year::"));
        var w = r.Wald("rel::-4", "rel::-3", "rel::-2");
        AssertRel(reference["mpdta_event_cluster", "wald:stat"], w.Statistic, "wald stat");
        AssertRel(reference["mpdta_event_cluster", "wald:p"], w.PValue, "wald p");
        Assert.Equal(reference["mpdta_event_cluster", "wald:df2"], w.Df2);
    }

    // The synthetic panel (data/synthetic/panel.csv). If the simulator changes it, regenerate with
    // `Rscript tests/reference/fe/fe_reference.R panel data/synthetic/panel.csv tests/reference/fe`.
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")));
    private static readonly Lazy<ReferenceValues> PanelRef = new(() => ReferenceValues.Load("panel"));
    private const string Controls = "econ_density + infrastructure + gov_intervention + fdi + avg_wage";

    public static TheoryData<string, string, string> PanelCases => new()
    {
        { "panel_twfe_cluster", "resilience ~ treat | city_code + year", "cluster:city_code" },
        { "panel_controls_cluster", "resilience ~ treat + " + Controls + " | city_code + year", "cluster:city_code" },
        { "panel_controls_hetero", "resilience ~ treat + " + Controls + " | city_code + year", "hetero" },
        { "panel_controls_cluster2", "resilience ~ treat + " + Controls + " | city_code + year", "cluster:city_code+year" },
    };

    [Theory]
    [MemberData(nameof(PanelCases))]
    public void SyntheticPanelMatchesR(string @case, string formula, string vcov) =>
        Check(PanelRef.Value, @case, Panel.Value, formula, vcov, null);

    [Fact]
    public void SyntheticPanelBinnedEventStudy()
    {
        var reference = PanelRef.Value;
        var r = Check(reference, "panel_event_cluster", Panel.Value, "resilience ~ i(rel_year, ref = -1, bin = [-3, 6]) + " + Controls + " | city_code + year", "cluster:city_code", null);
        var w = r.Wald("rel_year::<=-3", "rel_year::-2");
        AssertRel(reference["panel_event_cluster", "wald:stat"], w.Statistic, "wald stat");
        AssertRel(reference["panel_event_cluster", "wald:p"], w.PValue, "wald p");
    }

    private FeolsResult Check(ReferenceValues reference, string @case, ColumnTable data, string formula, string vcov, string? weights,
        Func<string, string>? rename = null)
    {
        rename ??= n => n;
        var r = Feols.Fit(data, formula, Vcov.Parse(vcov), new FeolsOptions(weights));
        double maxDev = 0;
        void Cmp(double expected, double actual, string what)
        {
            double dev = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
            if (Math.Abs(expected) < 1e-12) dev = Math.Abs(actual - expected);
            maxDev = Math.Max(maxDev, dev);
            Assert.True(dev <= Tol, $"{@case} {what}: expected {expected:R}, got {actual:R} (relative deviation {dev:E2})");
        }
        Assert.Equal(reference[@case, "nobs"], r.Nobs);
        Assert.Equal(reference[@case, "n_missing"], r.MissingDropped);
        Assert.Equal(reference[@case, "n_singletons"], r.SingletonsDropped);
        Assert.Equal(reference[@case, "df_t"], r.Variance.DegreesOfFreedom);
        Assert.Equal(reference[@case, reference.Has(@case, "K_vcov") ? "K_vcov" : "K"], r.Variance.ParameterCount);
        Assert.Equal(reference[@case, "K"], r.Nobs - r.ResidualDf);
        var expectedDropped = reference.Keys(@case).Where(k => k.StartsWith("collinear:")).Select(k => k["collinear:".Length..]).ToArray();
        Assert.Equal(expectedDropped, r.CollinearDropped);
        Cmp(reference[@case, "rss"], r.Rss, "rss");
        Cmp(reference[@case, "r2"], r.R2, "r2");
        if (reference.Has(@case, "r2_within")) Cmp(reference[@case, "r2_within"], r.R2Within, "r2_within");
        int k = r.Coefficients.Length;
        for (int i = 0; i < k; i++)
        {
            var c = r.Coefficients[i];
            string n = rename(c.Name);
            Cmp(reference[@case, $"coef:{n}:estimate"], c.Estimate, n + " estimate");
            Cmp(reference[@case, $"coef:{n}:std_error"], c.StdError, n + " SE");
            Cmp(reference[@case, $"coef:{n}:t"], c.T, n + " t");
            Cmp(reference[@case, $"coef:{n}:p"], c.P, n + " p");
            Cmp(reference[@case, $"coef:{n}:ci_low"], c.CiLow, n + " ci_low");
            Cmp(reference[@case, $"coef:{n}:ci_high"], c.CiHigh, n + " ci_high");
            if (reference.Has(@case, $"plm:{n}")) Cmp(reference[@case, $"plm:{n}"], c.Estimate, n + " plm");
            for (int j = 0; j < k; j++)
                Cmp(reference[@case, $"vcov:{n}:{rename(r.Coefficients[j].Name)}"], r.Variance.Matrix[i * k + j], $"vcov {n},{r.Coefficients[j].Name}");
        }
        Assert.Equal(reference.Keys(@case).Count(key => key.StartsWith("coef:") && key.EndsWith(":estimate")), k);
        output.WriteLine($"{@case}: max relative deviation {maxDev:E2}");
        return r;
    }

    private static void AssertRel(double expected, double actual, string what)
    {
        double dev = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(dev <= Tol, $"{what}: expected {expected:R}, got {actual:R} ({dev:E2})");
    }
}
