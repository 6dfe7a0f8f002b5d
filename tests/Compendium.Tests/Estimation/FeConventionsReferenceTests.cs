using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Xunit;
using Xunit.Abstractions;

namespace Compendium.Tests.Estimation;

/// <summary>
/// The fixest conventions of issue 9 and the hard fixed-effects case, against tests/reference/fe_conventions
/// (conventions_reference.R and hardfe_reference.R; R base + sandwich + Matrix, cross-checked with fixest 0.12.2):
/// two-way clustering with fixest's eigenvalue repair, a regressor with a 10⁷ offset, the Cragg–Donald F (iid,
/// independent of the coefficients' vcov) and a worker × firm chain solved by conjugate gradients to 1e-8 of an
/// exact sparse solve.
/// </summary>
public class FeConventionsReferenceTests(ITestOutputHelper output)
{
    private const double Tol = 1e-6;
    private static readonly Lazy<ColumnTable> Panel = new(() => ColumnTableCsv.Read(ReferenceValues.ConventionsPath("cl2_panel.csv")));
    private static readonly Lazy<ColumnTable> Hard = new(() => ColumnTableCsv.Read(ReferenceValues.ConventionsPath("hardfe.csv")));
    private static readonly Lazy<ReferenceValues> Conventions = new(() => ReferenceValues.LoadFile(ReferenceValues.ConventionsPath("conventions_reference.csv")));
    private static readonly Lazy<ReferenceValues> HardRef = new(() => ReferenceValues.LoadFile(ReferenceValues.ConventionsPath("hardfe_reference.csv")));

    private double CompareCoefficients(string @case, EstimationResult r, double vcovFloor = 0)
    {
        var reference = Conventions.Value;
        double maxDev = 0;
        int k = r.Coefficients.Length;
        Assert.Equal(reference.Keys(@case).Count(key => key.StartsWith("coef:") && key.EndsWith(":estimate")), k);
        for (int i = 0; i < k; i++)
        {
            var c = r.Coefficients[i];
            foreach (var (key, actual) in new[] { ("estimate", c.Estimate), ("std_error", c.StdError), ("t", c.T), ("p", c.P), ("ci_low", c.CiLow), ("ci_high", c.CiHigh) })
                maxDev = Math.Max(maxDev, Rel(reference[@case, $"coef:{c.Name}:{key}"], actual, $"{@case} {c.Name} {key}"));
            for (int j = 0; j < k; j++)
                maxDev = Math.Max(maxDev, Rel(reference[@case, $"vcov:{c.Name}:{r.Coefficients[j].Name}"], r.Variance.Matrix[i * k + j],
                    $"{@case} vcov {c.Name},{r.Coefficients[j].Name}", vcovFloor));
        }
        Assert.Equal(reference[@case, "nobs"], r.Nobs);
        Assert.Equal(reference[@case, "df_t"], r.Variance.DegreesOfFreedom);
        Assert.Equal(reference[@case, "K"], r.Variance.ParameterCount);
        output.WriteLine($"{@case}: max relative deviation {maxDev:E2}");
        return maxDev;
    }

    // Relative deviation; entries smaller than `floor` are compared absolutely against it.
    private static double Rel(double expected, double actual, string what, double floor = 0)
    {
        double dev = Math.Abs(actual - expected) / Math.Max(Math.Max(Math.Abs(expected), floor), 1e-300);
        Assert.True(dev <= Tol, $"{what}: expected {expected:R}, got {actual:R} (relative deviation {dev:E2})");
        return dev;
    }

    [Fact]
    public void TwoWayClusterNegativeEigenvalueWithPositiveDiagonalIsKeptAsFixestDoes()
    {
        var r = Feols.Fit(Panel.Value, "y ~ x1 + x2 + x3 + x4 | city + year", Vcov.Cluster("province", "year"));
        Assert.True(Conventions.Value["cl2_posdiag", "min_eigenvalue_unrepaired"] < 0);
        Assert.False(r.Variance.EigenvalueFixed);
        CompareCoefficients("cl2_posdiag", r);
        Assert.DoesNotContain("repaired", r.Variance.Description);
    }

    [Fact]
    public void TwoWayClusterNegativeVarianceIsRepairedAsFixestDoes()
    {
        var r = Feols.Fit(Panel.Value, "y_neg ~ x1 + x2 + x3 + x4 | city + year", Vcov.Cluster("province", "year"));
        Assert.True(Conventions.Value["cl2_negdiag", "min_diagonal_unrepaired"] < 0);
        Assert.True(r.Variance.EigenvalueFixed);
        Assert.Contains("negative variance was repaired", r.Variance.Description);
        // entries far below the largest one carry the eigen-decomposition's rounding: compare them on that scale
        CompareCoefficients("cl2_negdiag", r, vcovFloor: 1e-6 * r.Variance.Matrix.Max(Math.Abs));
    }

    [Theory]
    [InlineData("offset_iid", "y ~ x_off + x1 + x2 | city + year", "iid")]
    [InlineData("offset_cluster", "y ~ x_off + x1 + x2 | city + year", "cluster:city")]
    [InlineData("offset_nofe_iid", "y ~ x_off + x1", "iid")]
    public void RegressorWithLargeOffsetIsKept(string @case, string formula, string vcov)
    {
        var r = Feols.Fit(Panel.Value, formula, Vcov.Parse(vcov));
        Assert.Empty(r.CollinearDropped);
        CompareCoefficients(@case, r);
    }

    [Fact]
    public void AddingAConstantToARegressorNeverChangesWhichAreKept()
    {
        var data = Panel.Value;
        var x1 = data.Numeric("x1");
        double baseline = Feols.Fit(data, "y ~ x1 + x2 | city + year")["x1"].Estimate;
        foreach (var offset in new[] { 0.0, 1e4, 1e7, -3e8 })
        {
            var shifted = data.With("x1s", x1.Select(v => v + offset).ToArray()).With("x1s2", x1.Select(v => 2 * v + offset).ToArray());
            // x1s2 = 2·x1s − offset: collinear with x1s and the fixed effects, whatever the offset
            var r = Feols.Fit(shifted, "y ~ x1s + x2 + x1s2 | city + year");
            Assert.Equal(["x1s2"], r.CollinearDropped.ToArray());
            Assert.Equal(baseline, r["x1s"].Estimate, 1e-9);
        }
    }

    [Fact]
    public void CraggDonaldFIsIidWithStatedDegreesOfFreedomWhateverTheVcov()
    {
        var reference = Conventions.Value;
        double expected = reference["cd_iid", "cd_f"];
        foreach (var vcov in new[] { "iid", "hetero", "cluster:city", "cluster:province", "cluster:province+year" })
        {
            var r = Iv2sls.Fit(Panel.Value, "y_iv ~ x1 | city + year | endo ~ z1 + z2", Vcov.Parse(vcov));
            var cd = r.Diagnostics.CraggDonaldF;
            Rel(expected, cd.Statistic, $"Cragg–Donald F under {vcov}");
            Assert.Equal(reference["cd_iid", "df1"], cd.Df1);
            Assert.Equal(reference["cd_iid", "df2"], cd.Df2);
            output.WriteLine($"{vcov}: CD F {cd.Statistic:R} ({cd.Df1}, {cd.Df2}); fixest's fitstat cd {reference["cd_iid", "fixest_cd"]:R}");
        }
    }

    [Fact]
    public void HardWorkerFirmChainByConjugateGradientMatchesExactSparseSolve()
    {
        var reference = HardRef.Value;
        var options = new FeolsOptions(IterativeDemeaning: true);
        var r = Feols.Fit(Hard.Value, "y ~ x1 + x2 | worker + firm", Vcov.Iid, options);
        Assert.StartsWith("conjugate gradient", r.DemeaningMethod);
        Assert.Equal(reference["hardfe", "nobs"], r.Nobs);
        Assert.Equal(reference["hardfe", "K"], r.Variance.ParameterCount);
        foreach (var name in new[] { "x1", "x2" })
        {
            double exact = reference["hardfe", $"coef:{name}:estimate"];
            double dev = Math.Abs(r[name].Estimate - exact) / Math.Abs(exact);
            output.WriteLine($"{name}: {r[name].Estimate:R} vs exact {exact:R}, relative {dev:E2} (fixest default: {reference["hardfe", $"fixest_default:{name}:rel_error"]:E2})");
            Assert.True(dev <= 1e-8, $"{name}: relative deviation {dev:E2} from the exact sparse solve");
            Rel(reference["hardfe", $"iid:{name}:std_error"], r[name].StdError, name + " iid SE");
        }
        Rel(reference["hardfe", "rss"], r.Rss, "rss");
        var c = Feols.Fit(Hard.Value, "y ~ x1 + x2 | worker + firm", Vcov.Cluster("worker"), options);
        foreach (var name in new[] { "x1", "x2" }) Rel(reference["hardfe", $"cluster:{name}:std_error"], c[name].StdError, name + " cluster SE");
        // the exact direct method (200 firms) gives the same numbers
        var d = Feols.Fit(Hard.Value, "y ~ x1 + x2 | worker + firm");
        Assert.StartsWith("direct", d.DemeaningMethod);
        foreach (var name in new[] { "x1", "x2" }) Assert.Equal(r[name].Estimate, d[name].Estimate, 1e-10);
    }

    [Fact]
    public void FixedEffectsThatDoNotConvergeAreOneClearError()
    {
        var e = Assert.Throws<InputException>(() =>
            Feols.Fit(Hard.Value, "y ~ x1 + x2 | worker + firm", Vcov.Iid, new FeolsOptions(MaxIterations: 3, IterativeDemeaning: true)));
        Assert.Contains("fixed effects worker (4000 levels) + firm (200 levels)", e.Message);
        Assert.Contains("did not converge in 3 conjugate-gradient iterations", e.Message);
        Assert.Contains("last relative residual", e.Message);
    }

    [Fact]
    public void NonConvergingFitCommandExitsOneWithOneLine()
    {
        var so = new StringWriter(); var se = new StringWriter();
        int rc = Program.Run(["fit", "--data", ReferenceValues.ConventionsPath("hardfe.csv"), "--formula", "y ~ x1 + x2 | worker + firm",
            "--vcov", "iid", "--fixef-cg", "--fixef-maxiter", "3"], so, se);
        Assert.Equal(1, rc);
        var lines = se.ToString().TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: fixed effects worker (4000 levels) + firm (200 levels): the within transformation did not converge", lines[0]);
        Assert.Equal("", so.ToString());
    }
}
