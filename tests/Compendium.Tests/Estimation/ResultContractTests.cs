using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Output;
using Xunit;
using static Compendium.Tests.Estimation.IvDiagReference;

namespace Compendium.Tests.Estimation;

/// <summary>
/// Every estimator's result goes through the same output code: one regression table with an OLS, an
/// IV, a logit and an event-study column, and one JSON layout with the same field names.
/// </summary>
public class ResultContractTests
{
    private static readonly string[] Controls = ["econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];

    private static List<EstimationResult> Fits()
    {
        var panel = ReadCsv("data/synthetic/panel.csv");
        var ols = Feols.Fit(panel, "resilience ~ treat + fdi | city_code + year", Vcov.Cluster("city_code"));
        var iv = Iv2sls.Fit(panel, "resilience ~ fdi | city_code + year | treat ~ iv_tel_internet", Vcov.Cluster("city_code"));
        var logit = Logit.Fit(panel.Where(panel.Numeric("year").Select(y => y == 2015).ToArray()), "pilot", Controls);
        var es = EventStudy.Fit(panel, "resilience", "rel_year", ["city_code", "year"], Vcov.Cluster("city_code"),
            new EventStudyOptions(BinLow: -4, BinHigh: 6));
        return [ols, iv, logit, es];
    }

    [Fact]
    public void OneRegressionTableTakesEveryEstimator()
    {
        var fits = Fits();
        var table = RegressionTable.Build("mixed", "OLS, 2SLS, logit and event study", fits);
        var md = table.ToMarkdown();
        Assert.Equal(5, table.Header.Length);
        foreach (var name in new[] { "treat", "fdi", "econ_density", "rel_year::0" })
            Assert.Contains(name, md);
        Assert.Contains("| R² ", md);
        Assert.Contains("| Log-likelihood ", md);
        Assert.Contains("| McFadden R² ", md);
        // the logit column has no R² and the OLS column no log-likelihood: empty cells, not zeros
        var r2 = table.Rows.Single(r => r.Cells[0] == "R²");
        Assert.Equal("", r2.Cells[3]);
        Assert.NotEqual("", r2.Cells[1]);
        // one note per distinct variance convention, the logit's among them
        Assert.Contains(table.Notes, n => n.Contains("inverse information matrix"));
    }

    [Fact]
    public void OneJsonLayoutForEveryEstimator()
    {
        foreach (var r in Fits())
        {
            using var doc = JsonDocument.Parse(r.ToJson());
            var root = doc.RootElement;
            Assert.Equal(r.Estimator, root.GetProperty("estimator").GetString());
            Assert.Equal(r.Nobs, root.GetProperty("nobs").GetInt32());
            var first = root.GetProperty("coefficients")[0];
            foreach (var field in new[] { "name", "estimate", "std_error", "t", "p", "ci_low", "ci_high" })
                Assert.True(first.TryGetProperty(field, out _), $"{r.Estimator}: coefficient field {field}");
            var c0 = r.Coefficients[0];
            Assert.Equal(c0.Estimate, first.GetProperty("estimate").GetDouble());
            var diag = root.GetProperty("diagnostics");
            foreach (var field in new[] { "vcov_note", "n_missing", "n_singletons", "collinear_dropped", "fixed_effects", "clusters", "tests" })
                Assert.True(diag.TryGetProperty(field, out _), $"{r.Estimator}: diagnostics field {field}");
            Assert.Equal(r.Tests().Count(), diag.GetProperty("tests").GetArrayLength());
            foreach (var f in r.FitStatistics()) Assert.True(root.TryGetProperty(f.Key, out _), $"{r.Estimator}: fit statistic {f.Key}");
        }
    }

    [Fact]
    public void NameIndexerHasOneErrorTypeForEveryEstimator()
    {
        foreach (var r in Fits())
        {
            // every result prints as its table (derived records must not print their members instead)
            Assert.Equal(r.ToTable().ToMarkdown(), r.ToString());
            var e = Assert.Throws<Compendium.Econometrics.InputException>(() => r["no_such_coefficient"]);
            Assert.Contains("no_such_coefficient", e.Message);
            Assert.Contains(r.Coefficients[0].Name, e.Message);
        }
    }

    [Fact]
    public void LogitUsesNormalInference()
    {
        var logit = (LogitResult)Fits()[2];
        Assert.True(double.IsPositiveInfinity(logit.Variance.DegreesOfFreedom));
        var c = logit.Coefficients[1];
        Assert.Equal(c.Estimate + 1.959963984540054 * c.StdError, c.CiHigh, 12);
        var w = logit.Wald(c.Name);
        Assert.Equal(c.T * c.T, w.Statistic, 9);
        Assert.Equal(c.P, w.PValue, 12);
    }

    [Fact]
    public void OneCoefficientPlotTakesEveryEstimator()
    {
        var fits = Fits();
        var fig = Compendium.Figures.CoefficientPlot.Of([("OLS", fits[0]), ("2SLS", fits[1]), ("event study", fits[3])], ["treat", "fdi"]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(fig.ToJson())!;
        var data = json["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        // OLS and 2SLS both have treat and fdi; the event study has neither
        Assert.Equal(fits[0]["treat"].Estimate, data[0]!["x"]![0]!.GetValue<double>(), 12);
        Assert.Equal(fits[1]["fdi"].CiHigh - fits[1]["fdi"].Estimate, data[1]!["error_x"]!["array"]![1]!.GetValue<double>(), 12);
        Assert.Empty(data[2]!["x"]!.AsArray());
    }
}
