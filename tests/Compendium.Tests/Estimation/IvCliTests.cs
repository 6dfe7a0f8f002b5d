using System.Text.Json;
using Xunit;
using static Compendium.Tests.Estimation.IvDiagReference;
using Compendium.Cli;

namespace Compendium.Tests.Estimation;

public class IvCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Theory]
    [InlineData("fit")]
    [InlineData("iv")]
    public void FitDispatchesIvFormulasAndPrintsJson(string command)
    {
        var refs = ReadValues("tests/reference/iv/iv_reference.csv");
        var (code, output, err) = Run(command, "--data", PathOf("tests/reference/iv/mpdta_iv.csv"),
            "--formula", "y ~ x1 | countyreal + year | d1 ~ z1 + z2 + z3", "--vcov", "cluster:countyreal", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var d1 = root.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "d1");
        Close(refs["mp_1x3_cluster|estimate|d1"], d1.GetProperty("estimate").GetDouble(), what: "estimate");
        Close(refs["mp_1x3_cluster|std_error|d1"], d1.GetProperty("std_error").GetDouble(), what: "std_error");
        Assert.Equal(2500, root.GetProperty("nobs").GetInt32());
        var tests = root.GetProperty("diagnostics").GetProperty("tests").EnumerateArray().ToArray();
        var kp = tests.Single(t => t.GetProperty("name").GetString() == "Kleibergen–Paap rk Wald F");
        Close(refs["mp_1x3_cluster|kp_wald_f|"], kp.GetProperty("statistic").GetDouble(), what: "KP F");
        Assert.Equal(22.30, root.GetProperty("diagnostics").GetProperty("stock_yogo").GetProperty("10% maximal IV size").GetDouble());
    }

    [Fact]
    public void PrintsATableByDefault()
    {
        var (code, output, _) = Run("fit", "--data", PathOf("tests/reference/iv/cigarettes1995.csv"), "--formula", "lpacks ~ lrincome | lrprice ~ tdiff", "--vcov", "hetero");
        Assert.Equal(0, code);
        Assert.Contains("| lrprice | -1.1434 |", output);
        Assert.Contains("Cragg–Donald Wald F", output);
    }

    [Fact]
    public void UnderIdentifiedFormulaIsAnErrorWithNonZeroExit()
    {
        var (code, _, err) = Run("iv", "--data", PathOf("tests/reference/iv/mpdta_iv.csv"), "--formula", "y ~ x1 | countyreal | d1 + d2 ~ z1");
        Assert.Equal(1, code);
        Assert.Contains("under-identified", err);
    }
}
