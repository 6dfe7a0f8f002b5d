using Xunit;
using Compendium.Econometrics;
using Compendium.Econometrics.Formulas;

namespace Compendium.Tests.Estimation;

public class FormulaTests
{
    [Fact]
    public void ParsesRegressorsFixedEffectsAndIv()
    {
        var f = Formula.Parse("y ~ x1 + x2:x3 + x4*x5 | city_code + province^year | d ~ z1 + z2");
        Assert.Equal("y", f.Outcome.Name);
        Assert.Equal(["x1", "x2:x3", "x4", "x5", "x4:x5"], f.Regressors.Select(r => r.ToString()));
        Assert.Equal(["city_code", "province^year"], f.FixedEffects.Select(e => e.Name));
        Assert.NotNull(f.Iv);
        Assert.Equal(["d"], f.Iv!.Endogenous.Select(v => v.Name));
        Assert.Equal(["z1", "z2"], f.Iv.Instruments.Select(v => v.Name));
        Assert.True(f.Intercept);
    }

    [Fact]
    public void IvWithoutFixedEffects()
    {
        var f = Formula.Parse("y ~ x | d ~ z");
        Assert.Empty(f.FixedEffects);
        Assert.Equal("z", f.Iv!.Instruments.Single().Name);
    }

    [Fact]
    public void FactorExpansionWithReferenceBinAndInteraction()
    {
        var f = Formula.Parse("y ~ i(rel_year, treat, ref = c(-1, -1000), bin = [-6, 6]) | unit + year");
        var t = Assert.IsType<FactorTerm>(f.Regressors.Single());
        Assert.Equal("rel_year", t.Variable.Name);
        Assert.Equal("treat", t.By!.Name);
        Assert.Equal(new[] { -1.0, -1000.0 }, t.References.ToArray());
        Assert.Equal(-6, t.BinLow);
        Assert.Equal(6, t.BinHigh);
    }

    [Theory]
    [InlineData("y ~ 0 + x", false)]
    [InlineData("y ~ x - 1", false)]
    [InlineData("y ~ x", true)]
    public void Intercept(string text, bool intercept) => Assert.Equal(intercept, Formula.Parse(text).Intercept);

    [Theory]
    [InlineData("y ~ x +", 7, "expected a variable name")]
    [InlineData("y x", 2, "expected '~'")]
    [InlineData("y ~ x | a + ", 12, "expected a fixed-effect variable")]
    [InlineData("y ~ i(rel, ref = ) | a", 17, "expected a number")]
    [InlineData("y ~ x $ z", 6, "unexpected character")]
    [InlineData("y ~ i(rel, foo = 1)", 11, "unknown argument")]
    public void MalformedFormulaPointsAtTheToken(string text, int position, string message)
    {
        var e = Assert.Throws<InputException>(() => Formula.Parse(text));
        Assert.Contains(message, e.Message);
        var lines = e.Message.Split('\n');
        Assert.Equal("  " + text, lines[1]);
        Assert.Equal(position + 2, lines[2].IndexOf('^'));
    }
}
