using Xunit;
using static Compendium.Tests.Estimation.IvDiagReference;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;

namespace Compendium.Tests.Estimation;

public class LogitTests
{
    private static readonly Dictionary<string, double> Ref = ReadValues("tests/reference/logit/logit_reference.csv");

    private static void CheckAgainstR(string case_, LogitResult fit)
    {
        foreach (var c in fit.Coefficients)
        {
            Close(Ref[$"{case_}|estimate|{c.Name}"], c.Estimate, what: $"{case_} estimate {c.Name}");
            Close(Ref[$"{case_}|std_error|{c.Name}"], c.StdError, what: $"{case_} SE {c.Name}");
            Close(Ref[$"{case_}|z|{c.Name}"], c.T, what: $"{case_} z {c.Name}");
            Close(Ref[$"{case_}|p|{c.Name}"], c.P, what: $"{case_} p {c.Name}");
        }
        Close(Ref[$"{case_}|loglik|"], fit.LogLikelihood, what: "log-likelihood");
        Close(Ref[$"{case_}|loglik_null|"], fit.LogLikelihoodNull, what: "null log-likelihood");
        Close(Ref[$"{case_}|mcfadden_r2|"], fit.McFaddenR2, what: "McFadden R²");
        Assert.Equal((int)Ref[$"{case_}|nobs|"], fit.Nobs);
        foreach (int i in new[] { 1, 2, 3, fit.Nobs })
            Close(Ref[$"{case_}|fitted|{i}"], fit.Fitted[i - 1], what: $"fitted {i}");
    }

    [Fact]
    public void MatchesRGlmOnSwissLabor()
    {
        var data = ReadCsv("tests/reference/logit/swisslabor.csv");
        var fit = Logit.Fit(data, "participation", ["income", "age", "agesq", "education", "youngkids", "oldkids", "foreign"]);
        CheckAgainstR("swisslabor", fit);
        var predicted = fit.Predict(data);
        for (int i = 0; i < predicted.Length; i++) Close(fit.Fitted[i], predicted[i], 1e-13, what: "predicted");
        Assert.Contains("McFadden", fit.ToTable().ToMarkdown());
    }

    [Fact]
    public void MatchesRGlmOnMpdta()
    {
        var data = ReadCsv("tests/reference/fe/mpdta_derived.csv");
        CheckAgainstR("mpdta", Logit.Fit(data, "treat", ["lpop"]));
    }

    private static ColumnTable Table(double[] y, params (string, double[])[] xs) =>
        ColumnTable.FromColumns([new("y", y), .. xs.Select(x => new KeyValuePair<string, double[]>(x.Item1, x.Item2))], "test data");

    [Fact]
    public void CompleteSeparationByOneVariableIsAnErrorNamingIt()
    {
        var t = Table([0, 0, 0, 1, 1, 1], ("x", [1, 2, 3, 4, 5, 6]), ("w", [1, 0, 1, 0, 1, 1]));
        var e = Assert.Throws<InputException>(() => Logit.Fit(t, "y", ["w", "x"]));
        Assert.Contains("complete separation by variable 'x'", e.Message);
    }

    [Fact]
    public void QuasiCompleteSeparationByADummyIsAnErrorNamingIt()
    {
        // d = 1 implies y = 1; d = 0 has both outcomes.
        var t = Table([0, 1, 0, 1, 0, 1, 1, 1], ("d", [0, 0, 0, 0, 0, 1, 1, 1]), ("x", [1.2, 0.3, 2.2, 1.5, 0.7, 0.1, 1.9, 0.4]));
        var e = Assert.Throws<InputException>(() => Logit.Fit(t, "y", ["x", "d"]));
        Assert.Contains("quasi-complete separation by variable 'd'", e.Message);
    }

    [Fact]
    public void SeparationByACombinationIsDetectedDuringIterations()
    {
        // y = 1 exactly when a + b > 0; neither a nor b separates on its own.
        double[] a = [-2, -1, 1, 2, 0.5, -0.5, 3, -3, 1.5, -1.5];
        double[] b = [1, 0.5, -2, -1, 1, 1, -2.5, 2, 0, 0.5];
        var y = a.Zip(b, (u, v) => u + v > 0 ? 1.0 : 0.0).ToArray();
        var e = Assert.Throws<InputException>(() => Logit.Fit(Table(y, ("a", a), ("b", b)), "y", ["a", "b"]));
        Assert.Contains("separation", e.Message);
        Assert.Contains("a, b", e.Message);
    }

    [Fact]
    public void BadOutcomeAndCollinearityAreInputErrors()
    {
        var t = Table([0, 2, 1, 0], ("x", [1, 2, 3, 4]));
        Assert.Contains("must be 0 or 1", Assert.Throws<InputException>(() => Logit.Fit(t, "y", ["x"])).Message);
        var c = Table([0, 1, 0, 1, 1, 0], ("x", [1, 2, 3, 1, 2, 3]), ("x2", [2, 4, 6, 2, 4, 6]));
        Assert.Contains("collinear", Assert.Throws<InputException>(() => Logit.Fit(c, "y", ["x", "x2"])).Message);
    }

    [Fact]
    public void MissingRowsAreDroppedAndCounted()
    {
        var t = Table([0, 1, 0, 1, 1, 0, double.NaN], ("x", [1, 2, 3, 1.5, 2.5, 0.5, 1]));
        var fit = Logit.Fit(t, "y", ["x"]);
        Assert.Equal(6, fit.Nobs);
        Assert.Equal(1, fit.MissingDropped);
    }
}
