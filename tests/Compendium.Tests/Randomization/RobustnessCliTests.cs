using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Compendium.Cli;
using Compendium.Tests.Estimation;
using Xunit;
using Xunit.Abstractions;

namespace Compendium.Tests.Randomization;

/// <summary><c>compendium placebo</c> and <c>compendium psm</c>: JSON fields as documented, agreement with the library and R, errors.</summary>
public class RobustnessCliTests(ITestOutputHelper output)
{
    private static readonly string Panel = Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");
    private static readonly string Lalonde = Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "psm", "lalonde.csv");
    private const string Model = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void PlaceboJsonHasTheDocumentedFieldsAndIsReproducible()
    {
        string[] args = ["placebo", "--data", Panel, "--formula", Model, "--treat", "treat", "--unit", "city_code", "--time", "year",
            "--draws", "50", "--seed", "7", "--scheme", "units", "--vcov", "cluster:city_code", "--json"];
        var sw = Stopwatch.StartNew();
        var (code, json, err) = Run(args);
        output.WriteLine($"50 draws through the command: {sw.Elapsed.TotalSeconds:F2} s");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["draws", "scheme", "seed", "actual", "p_value", "p_value_estimate", "estimates", "t_values"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(50, root.GetProperty("draws").GetInt32());
        Assert.Equal("units", root.GetProperty("scheme").GetString());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(50, root.GetProperty("estimates").GetArrayLength());
        Assert.Equal(50, root.GetProperty("t_values").GetArrayLength());
        Assert.Equal(0.019164583748454412, root.GetProperty("actual").GetProperty("estimate").GetDouble(), 1e-12);   // tests/reference/fe panel_controls_cluster
        Assert.Equal(1.0 / 51, root.GetProperty("p_value").GetDouble(), 1e-15);
        Assert.Equal(json, Run(args).Out);   // same seed, same bytes
    }

    [Fact]
    public void PsmJsonHasTheDocumentedFieldsAndMatchesMatchIt()
    {
        var (code, json, err) = Run("psm", "--data", Lalonde, "--treat", "treat", "--covariates", "age,educ,black,hispan,married,nodegree,re74,re75",
            "--caliper", "0.05", "--formula", "re78 ~ treat + age + educ + black + hispan + married + nodegree + re74 + re75", "--vcov", "hetero", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["per_group", "balance", "n_before", "n_after", "matched_rows", "did"], root.EnumerateObject().Select(p => p.Name).ToArray());
        var g = root.GetProperty("per_group")[0];
        Assert.Equal(["group", "treated", "treated_matched", "controls_matched"], g.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(185, g.GetProperty("treated").GetInt32());
        Assert.Equal(113, g.GetProperty("treated_matched").GetInt32());
        var b = root.GetProperty("balance")[0];
        Assert.Equal(["variable", "mean_t_before", "mean_c_before", "smd_before", "pct_bias_before", "mean_t_after", "mean_c_after", "smd_after", "pct_bias_after"],
            b.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(226, root.GetProperty("n_after").GetInt32());
        Assert.Equal(226, root.GetProperty("matched_rows").GetArrayLength());
        var rows = File.ReadLines(Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "psm", "psm_weights.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[0] == "lalonde_caliper").Select(f => int.Parse(f[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(rows, root.GetProperty("matched_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        var did = root.GetProperty("did");
        var treat = did.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "treat");
        Assert.Equal(1295.6940616614345, treat.GetProperty("estimate").GetDouble(), 1e-6);   // psm_reference.csv lalonde_caliper
    }

    [Fact]
    public void PsmWithoutFormulaMatchesOnlyAndTablesByDefault()
    {
        var (code, json, err) = Run("psm", "--data", Panel, "--treat", "pilot", "--covariates", "econ_density,fdi", "--by", "year", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("did").ValueKind);
        Assert.Equal(12, doc.RootElement.GetProperty("per_group").GetArrayLength());
        var (code2, table, _) = Run("psm", "--data", Panel, "--treat", "pilot", "--covariates", "econ_density,fdi", "--by", "year", "--formula", Model, "--vcov", "cluster:city_code");
        Assert.Equal(0, code2);
        Assert.Contains("Matched sample", table);
        Assert.Contains("% bias", table);
    }

    [Theory]
    [InlineData(2, "--scheme", "sometimes")]
    [InlineData(2, "--draws", "0")]
    [InlineData(1, "--treat", "pilot")]
    public void PlaceboErrors(int expected, string option, string value)
    {
        var args = new List<string> { "placebo", "--data", Panel, "--formula", Model, "--treat", "treat", "--unit", "city_code", "--time", "year", "--draws", "5" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var (code, _, err) = Run([.. args]);
        Assert.Equal(expected, code);
        Assert.NotEmpty(err);
        Assert.DoesNotContain("   at ", err);   // no stack trace
    }

    [Fact]
    public void PlaceboWithoutVcovClustersByTheFirstFixedEffectAsFitDoes()
    {
        string[] common = ["placebo", "--data", Panel, "--formula", Model, "--treat", "treat", "--unit", "city_code", "--time", "year", "--draws", "5", "--json"];
        var (code, json, err) = Run(common);
        Assert.True(code == 0, err);
        Assert.Contains("clustered by city_code", err);
        var (code2, json2, _) = Run([.. common, "--vcov", "cluster:city_code"]);
        Assert.Equal(0, code2);
        Assert.Equal(json2, json);
    }

    [Fact]
    public void PsmErrorsNameTheProblem()
    {
        var (code, _, err) = Run("psm", "--data", Panel, "--treat", "treat", "--covariates", "econ_density,nonesuch");
        Assert.Equal(1, code);
        Assert.Contains("nonesuch", err);
        (code, _, err) = Run("psm", "--data", Panel, "--treat", "pilot", "--covariates", "econ_density", "--caliper-sd");
        Assert.Equal(2, code);
        Assert.Contains("--caliper", err);
        (code, _, err) = Run("psm", "--data", Panel, "--treat", "resilience", "--covariates", "econ_density");
        Assert.Equal(1, code);
        Assert.Contains("0 or 1", err);
    }

    [Fact]
    public void HelpListsTheJsonFields()
    {
        var (_, o1, e1) = Run("placebo", "--help");
        var (_, o2, e2) = Run("psm", "--help");
        Assert.Contains("p_value_estimate", o1 + e1);
        Assert.Contains("matched_rows", o2 + e2);
        Assert.Contains("pct_bias_after", o2 + e2);
    }
}
