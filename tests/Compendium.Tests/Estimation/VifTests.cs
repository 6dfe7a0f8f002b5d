using Xunit;
using static Compendium.Tests.Estimation.IvDiagReference;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;

namespace Compendium.Tests.Estimation;

public class VifTests
{
    private static readonly Dictionary<string, double> Ref = ReadValues("tests/reference/vif/vif_reference.csv");

    [Fact]
    public void MatchesCarVifOnMtcars()
    {
        string[] xs = ["disp", "hp", "wt", "drat", "qsec"];
        var v = Vif.Compute(ReadCsv("tests/reference/vif/mtcars.csv"), xs);
        foreach (var x in xs) Close(Ref[$"mtcars|{x}"], v[x], what: x);
        Assert.Equal(xs.Max(x => Ref[$"mtcars|{x}"]), v.Max, 12);
        Assert.Contains("Max VIF", v.ToTable().ToMarkdown());
    }

    [Fact]
    public void MatchesCarVifOnCastle()
    {
        var data = ReadCsv("tests/reference/fe/castle_derived.csv");
        data = data.With("lpopwt", data.Numeric("popwt").Select(p => Math.Log(p)).ToArray());
        string[] xs = ["post", "lpopwt", "l_homicide"];
        var v = Vif.Compute(data, xs);
        foreach (var x in xs) Close(Ref[$"castle_plain|{x}"], v[x], what: x);
        string[] within = ["post", "cdl", "l_homicide"];   // popwt is constant within states
        var fe = Vif.Compute(data, within, ["sid", "year"]);
        foreach (var x in within) Close(Ref[$"castle_fe|{x}"], fe[x], what: x + " (state and year FE absorbed)");
        Assert.Contains("after absorbing sid + year", fe.ToTable().ToMarkdown());
        var e = Assert.Throws<InputException>(() => Vif.Compute(data, ["post", "lpopwt"], ["sid", "year"]));
        Assert.Contains("'lpopwt' has no variation after absorbing sid + year", e.Message);
    }

    [Fact]
    public void ExactCollinearityNamesTheVariables()
    {
        var t = ColumnTable.FromColumns([new("a", [1.0, 2, 3, 4, 5]), new("b", [2.0, 1, 4, 3, 6]), new("c", [3.0, 3, 7, 7, 11])], "test data");
        var e = Assert.Throws<InputException>(() => Vif.Compute(t, ["a", "b", "c"]));
        Assert.Contains("'a' is an exact linear combination of b, c", e.Message);
    }
}
