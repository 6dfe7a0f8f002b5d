using Xunit;
using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Output;
using Compendium.Reproduction;

namespace Compendium.Tests.Estimation;

public class FeolsBehaviourTests
{
    private static readonly Lazy<ColumnTable> Castle = new(() => ColumnTableCsv.Read(ReferenceValues.FePath("castle_derived.csv")));
    private static readonly Lazy<ColumnTable> Mpdta = new(() => ColumnTableCsv.Read(ReferenceValues.FePath("mpdta_derived.csv")));

    /// <summary>Random unbalanced three-way data: the direct method and alternating projections agree.</summary>
    [Fact]
    public void DirectAndAlternatingProjectionsAgree()
    {
        var rng = new Random(42);
        int n = 5000;
        var f1 = Factor.FromNumbers("a", Enumerable.Range(0, n).Select(_ => (double)rng.Next(400)).ToArray());
        var f2 = Factor.FromNumbers("b", Enumerable.Range(0, n).Select(_ => (double)rng.Next(30)).ToArray());
        var f3 = Factor.FromNumbers("c", Enumerable.Range(0, n).Select(_ => (double)rng.Next(7)).ToArray());
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var w = Enumerable.Range(0, n).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        foreach (var weights in new[] { null, w })
        {
            var direct = new Demeaner([f1, f2, f3], weights, n);
            var map = new Demeaner([f1, f2, f3], weights, n, allowDirect: false);
            Assert.StartsWith("direct", direct.Method);
            Assert.StartsWith("alternating", map.Method);
            var a = new double[n]; var b = new double[n];
            direct.Demean(x, a); map.Demean(x, b);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-8, $"row {i}: {a[i]} vs {b[i]}");
            // the result is orthogonal to every dummy: group sums are zero
            foreach (var f in new[] { f1, f2, f3 })
            {
                var sums = new double[f.Levels];
                for (int i = 0; i < n; i++) sums[f.Codes[i]] += (weights?[i] ?? 1) * a[i];
                Assert.All(sums, s => Assert.True(Math.Abs(s) < 1e-9));
            }
        }
    }

    /// <summary>Tall data go through the blocked (TSQR) reduction: same β and collinearity decision as a dense QR.</summary>
    [Fact]
    public void BlockedQrMatchesDenseQrAndDropsCollinear()
    {
        var rng = new Random(3);
        int n = 50_001;
        var x1 = new double[n]; var x2 = new double[n]; var x3 = new double[n]; var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x1[i] = rng.NextDouble(); x2[i] = rng.NextDouble(); x3[i] = x1[i] - 2 * x2[i];
            y[i] = 1 + 2 * x1[i] - x2[i] + rng.NextDouble();
        }
        var data = ColumnTable.FromColumns([new("y", y), new("x1", x1), new("x2", x2), new("x3", x3)]);
        var r = Feols.Fit(data, "y ~ x1 + x2 + x3", Vcov.Hetero);
        Assert.Equal(new[] { "x3" }, r.CollinearDropped.ToArray());
        var X = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, 3, (i, j) => j == 0 ? 1 : j == 1 ? x1[i] : x2[i]);
        var b = X.QR().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(y));
        for (int j = 0; j < 3; j++) Assert.Equal(b[j], r.Coefficients[j].Estimate, 1e-10);
        var xtxInv = (X.TransposeThisAndMultiply(X)).Inverse();
        double s2 = r.Rss / (n - 3);
        var iid = Feols.Fit(data, "y ~ x1 + x2 + x3", Vcov.Iid);
        for (int j = 0; j < 3; j++) Assert.Equal(Math.Sqrt(s2 * xtxInv[j, j]), iid.Coefficients[j].StdError, 1e-12);
    }

    [Fact]
    public void FactorCodesAreDenseAndOrdered()
    {
        var gaps = Factor.FromNumbers("g", [9, 5, 7, 7, double.NaN, 9]);
        Assert.Equal(new[] { 2, 0, 1, 1, -1, 2 }, gaps.Codes);
        Assert.Equal(3, gaps.Levels);
        var wide = Factor.FromNumbers("w", [1e9, 0.5, 1e9]);
        Assert.Equal(new[] { 1, 0, 1 }, wide.Codes);
        var keep = new[] { true, true, true, true, true };
        // a singleton in b makes one in a, which makes another in b: three rows go, iteratively
        var a = Factor.FromNumbers("a", [1, 1, 2, 2, 2]);
        var b = Factor.FromNumbers("b", [1, 2, 2, 3, 3]);
        Assert.Equal(3, Singletons.Drop(keep, [a, b]));
        Assert.Equal(new[] { false, false, false, true, true }, keep);
    }

    [Fact]
    public void PlaceboRefitEqualsFullFit()
    {
        var data = Castle.Value;
        var design = Feols.Prepare(data, "l_homicide ~ post + x_int | sid + year", ["sid"]);
        var rng = new Random(7);
        var post = data.Numeric("post");
        var permuted = design.SampleRows.Select(r => post[r]).OrderBy(_ => rng.Next()).ToArray();
        var quick = design.WithRegressor("post", permuted).Fit(Vcov.Cluster("sid"));
        var full = Feols.Fit(data.With("post", permuted), "l_homicide ~ post + x_int | sid + year", Vcov.Cluster("sid"));
        Assert.Equal(full["post"].Estimate, quick["post"].Estimate, 1e-12);
        Assert.Equal(full["post"].StdError, quick["post"].StdError, 1e-12);
        // the cached design is unchanged
        Assert.Equal(0.08055141075770253, design.Fit(Vcov.Iid)["post"].Estimate, 1e-10);
    }

    [Fact]
    public void EventStudyFromCohortMatchesRelativeTimeReference()
    {
        var reference = ReferenceValues.Load("mpdta");
        var es = EventStudy.FitFromCohort(Mpdta.Value, "lemp", "first.treat", "year", ["countyreal", "year"], Vcov.Cluster("countyreal"));
        Assert.Equal([-4, -3, -2, -1, 0, 1, 2, 3], es.Path.Select(p => p.EventTime));
        foreach (var p in es.Path.Where(p => !p.IsReference))
        {
            double expected = reference["mpdta_event_cluster", $"coef:rel_year::{p.EventTime}:estimate"];
            Assert.True(Math.Abs(p.Estimate - expected) <= 1e-6 * Math.Abs(expected), $"{p.EventTime}: {p.Estimate} vs {expected}");
        }
        Assert.Equal(reference["mpdta_event_cluster", "wald:p"], es.PreTrend!.PValue, 1e-8);
        var table = es.ToTable();
        Assert.Contains(table.Rows, r => r.Cells[0] == "-1 (reference)");
        Assert.Contains(table.Notes, n => n.StartsWith("Pre-trend test"));
    }

    [Fact]
    public void EventStudyBinsEndPoints()
    {
        var es = EventStudy.FitFromCohort(Mpdta.Value, "lemp", "first.treat", "year", ["countyreal", "year"], Vcov.Cluster("countyreal"),
            new EventStudyOptions(BinLow: -3, BinHigh: 2));
        Assert.Equal(["<=-3", "-2", "-1", "0", "1", ">=2"], es.Path.Select(p => p.Label));
        Assert.True(es.Path.First().IsBin);
    }

    [Fact]
    public void InteractionsAreProducts()
    {
        var data = Castle.Value;
        var a = Feols.Fit(data, "l_homicide ~ post*x_int | sid + year");
        var manual = data.Numeric("post").Zip(data.Numeric("x_int"), (p, x) => p * x).ToArray();
        var b = Feols.Fit(data.With("px", manual), "l_homicide ~ post + x_int + px | sid + year");
        Assert.Equal(["post", "x_int", "post:x_int"], a.Coefficients.Select(c => c.Name));
        Assert.Equal(b["px"].Estimate, a["post:x_int"].Estimate, 1e-12);
    }

    [Fact]
    public void ReghdfeConventionDiffersOnlyInK()
    {
        var data = Castle.Value;
        var fx = Feols.Fit(data, "l_homicide ~ post + x_int | sid + year + g7", Vcov.Cluster("sid"));
        var st = Feols.Fit(data, "l_homicide ~ post + x_int | sid + year + g7", Vcov.Cluster("sid").WithConvention(SmallSampleConvention.Reghdfe));
        // fixest: 2 + (50 + 11 + 7 − 2) − 49 = 19; reghdfe: 2 + 1 + 10 + 6 = 19 as well here
        Assert.Equal(19, fx.Variance.ParameterCount);
        Assert.Equal(19, st.Variance.ParameterCount);
        var iidFx = Feols.Fit(data, "l_homicide ~ post | sid", Vcov.Iid);
        var iidSt = Feols.Fit(data, "l_homicide ~ post | sid", Vcov.Iid.WithConvention(SmallSampleConvention.Reghdfe));
        Assert.Equal(iidFx.Variance.ParameterCount, iidSt.Variance.ParameterCount);
    }

    [Fact]
    public void UnknownClusterAndTextRegressorAreClearErrors()
    {
        var data = Castle.Value;
        var e1 = Assert.Throws<InputException>(() => Feols.Fit(data, "l_homicide ~ post | sid", Vcov.Cluster("nope")));
        Assert.Contains("nope", e1.Message);
        var e2 = Assert.Throws<InputException>(() => Feols.Fit(data, "l_homicide ~ state | sid"));
        Assert.Contains("'state'", e2.Message);
        Assert.Contains("^^^^^", e2.Message);
    }

    [Fact]
    public void RegressionTableHasStarsFixedEffectRowsAndNotes()
    {
        var data = Castle.Value;
        var m1 = Feols.Fit(data, "l_homicide ~ post | sid + year", Vcov.Cluster("sid"));
        var m2 = Feols.Fit(data, "l_homicide ~ post + x_int | sid", Vcov.Hetero);
        var t = RegressionTable.Build("t2", "Baseline", [m1, m2]);
        Assert.Equal(new[] { "", "(1)", "(2)" }, t.Header.ToArray());
        Assert.Contains(t.Rows, r => r.Cells[0] == "year FE" && r.Cells[1] == "Yes" && r.Cells[2] == "No");
        Assert.Contains(t.Rows, r => r.Cells[0] == "" && r.Cells[1].StartsWith("(0.0589"));
        Assert.Contains(t.Notes, n => n.Contains("Columns 1: Standard errors: clustered by sid"));
        Assert.Contains(t.Notes, n => n.Contains("HC1"));
        Assert.Equal("**", RegressionTable.Stars(0.02));
    }

    [Fact]
    public void FitCommandJsonAndTable()
    {
        var castle = ReferenceValues.FePath("castle_derived.csv");
        var so = new StringWriter(); var se = new StringWriter();
        int rc = Program.Run(["fit", "--data", castle, "--formula", "l_homicide ~ post | sid + year", "--vcov", "cluster:sid", "--json"], so, se);
        Assert.Equal(0, rc);
        using var doc = System.Text.Json.JsonDocument.Parse(so.ToString());
        var c = doc.RootElement.GetProperty("coefficients")[0];
        Assert.Equal("post", c.GetProperty("name").GetString());
        Assert.Equal(0.0818116169306475, c.GetProperty("estimate").GetDouble(), 1e-10);
        foreach (var key in new[] { "std_error", "t", "p", "ci_low", "ci_high" }) Assert.True(c.TryGetProperty(key, out _), key);
        Assert.Equal(550, doc.RootElement.GetProperty("nobs").GetInt32());
        Assert.Equal("cluster:sid", doc.RootElement.GetProperty("vcov").GetString());
        Assert.Equal(50, doc.RootElement.GetProperty("diagnostics").GetProperty("clusters")[0].GetProperty("groups").GetInt32());
        so = new StringWriter();
        Assert.Equal(0, Program.Run(["fit", "--data", castle, "--formula", "l_homicide ~ post | sid + year"], so, se));
        Assert.Contains("| post | 0.0818", so.ToString());
    }

    [Theory]
    [InlineData("l_homicide ~ post + | sid", "expected a variable name")]
    [InlineData("l_homicide ~ nothere | sid", "unknown variable 'nothere'")]
    public void FitCommandBadFormulaExitsOne(string formula, string message)
    {
        var so = new StringWriter(); var se = new StringWriter();
        int rc = Program.Run(["fit", "--data", ReferenceValues.FePath("castle_derived.csv"), "--formula", formula], so, se);
        Assert.Equal(1, rc);
        Assert.Contains(message, se.ToString());
        Assert.Contains("^", se.ToString());
    }

    [Fact]
    public void FitCommandBadDataAndUsage()
    {
        var dir = Directory.CreateTempSubdirectory();
        var bad = Path.Combine(dir.FullName, "bad.csv");
        File.WriteAllText(bad, "y,x\n1,2\n3\n");
        var se = new StringWriter();
        Assert.Equal(1, Program.Run(["fit", "--data", bad, "--formula", "y ~ x"], new StringWriter(), se));
        Assert.Contains("line 3", se.ToString());
        Assert.Equal(1, Program.Run(["fit", "--data", Path.Combine(dir.FullName, "none.csv"), "--formula", "y ~ x"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, Program.Run(["fit", "--formula", "y ~ x"], new StringWriter(), new StringWriter()));
        Assert.Equal(1, Program.Run(["fit", "--data", bad, "--formula", "y ~ x", "--vcov", "robust"], new StringWriter(), new StringWriter()));
        dir.Delete(true);
    }
}

public class FitCommandPanelTests
{
    [Fact]
    public void FitsTheSyntheticPanelWithEventDummies()
    {
        var panel = Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");
        var so = new StringWriter(); var se = new StringWriter();
        int rc = Program.Run(["fit", "--data", panel, "--formula", "resilience ~ i(rel_year, pilot, ref = -1) + fdi | city_code + year",
            "--vcov", "cluster:city_code", "--json"], so, se);
        Assert.True(rc == 0, se.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(so.ToString());
        var names = doc.RootElement.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("rel_year::0:pilot", names);
        Assert.DoesNotContain("rel_year::-1:pilot", names);
        Assert.Equal(3396, doc.RootElement.GetProperty("nobs").GetInt32());
        Assert.Equal(283, doc.RootElement.GetProperty("diagnostics").GetProperty("clusters")[0].GetProperty("groups").GetInt32());
    }
}
