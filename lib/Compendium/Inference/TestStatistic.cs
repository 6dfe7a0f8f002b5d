using System.Globalization;
using Compendium.Tables;
using MathNet.Numerics;

namespace Compendium.Inference;

/// <summary>The reference distribution of a <see cref="TestStatistic"/> under its null hypothesis.</summary>
public enum NullDistribution
{
    /// <summary>χ²(Df1).</summary>
    ChiSquared,
    /// <summary>F(Df1, Df2).</summary>
    F,
    /// <summary>Standard normal, two-sided.</summary>
    Normal,
    /// <summary>No tabulated distribution (e.g. a weak-instrument F compared with Stock–Yogo critical values); <see cref="TestStatistic.PValue"/> is NaN.</summary>
    None,
}

/// <summary>
/// A test statistic with its null hypothesis, reference distribution, degrees of freedom and
/// p-value: what every diagnostic (weak-instrument F, Anderson–Rubin, Wald tests) returns, so
/// tables and JSON print them the same way.
/// </summary>
/// <param name="Name">Conventional name, e.g. "Kleibergen–Paap rk Wald F".</param>
/// <param name="Statistic">Value of the statistic.</param>
/// <param name="Distribution">Reference distribution under the null.</param>
/// <param name="Df1">Numerator (or χ²) degrees of freedom; NaN if none.</param>
/// <param name="Df2">Denominator degrees of freedom of an F; NaN otherwise.</param>
/// <param name="NullHypothesis">The null in words, e.g. "equation is underidentified".</param>
public sealed record TestStatistic(string Name, double Statistic, NullDistribution Distribution,
    double Df1, double Df2, string NullHypothesis)
{
    /// <summary>Upper-tail p-value P(T ≥ Statistic) under <see cref="Distribution"/> (two-sided for Normal); NaN for None.</summary>
    public double PValue => Distribution switch
    {
        NullDistribution.ChiSquared => ChiSquaredUpper(Statistic, Df1),
        NullDistribution.F => FUpper(Statistic, Df1, Df2),
        NullDistribution.Normal => SpecialFunctions.Erfc(Math.Abs(Statistic) / Math.Sqrt(2)),
        _ => double.NaN,
    };

    /// <summary>χ² test with <paramref name="df"/> degrees of freedom.</summary>
    public static TestStatistic ChiSquared(string name, double statistic, double df, string nullHypothesis) =>
        new(name, statistic, NullDistribution.ChiSquared, df, double.NaN, nullHypothesis);

    /// <summary>F test with (<paramref name="df1"/>, <paramref name="df2"/>) degrees of freedom.</summary>
    public static TestStatistic FTest(string name, double statistic, double df1, double df2, string nullHypothesis) =>
        new(name, statistic, NullDistribution.F, df1, df2, nullHypothesis);

    /// <summary>A statistic read against tabulated critical values rather than a p-value.</summary>
    public static TestStatistic Untabulated(string name, double statistic, string nullHypothesis) =>
        new(name, statistic, NullDistribution.None, double.NaN, double.NaN, nullHypothesis);

    /// <summary>P(χ²(df) ≥ x) = Q(df/2, x/2), the regularized upper incomplete gamma function (accurate in the far tail).</summary>
    public static double ChiSquaredUpper(double x, double df) =>
        double.IsNaN(x) ? double.NaN : x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);

    /// <summary>P(F(d1, d2) ≥ x) = I_{d2/(d2+d1·x)}(d2/2, d1/2), the regularized incomplete beta function.</summary>
    public static double FUpper(double x, double d1, double d2) =>
        double.IsNaN(x) ? double.NaN : x <= 0 ? 1.0 : SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * x));

    /// <summary>Degrees of freedom as printed: "χ²(2)", "F(1, 49)" or empty.</summary>
    public string DfLabel => Distribution switch
    {
        NullDistribution.ChiSquared => $"χ²({Fmt(Df1)})",
        NullDistribution.F => $"F({Fmt(Df1)}, {Fmt(Df2)})",
        NullDistribution.Normal => "N(0, 1)",
        _ => "",
    };

    /// <summary>One table row: name, statistic, distribution, p-value, null hypothesis.</summary>
    public TableRow ToRow(string format = "F3") => new(Name,
        Statistic.ToString(format, CultureInfo.InvariantCulture), DfLabel,
        double.IsNaN(PValue) ? "" : PValue.ToString("F4", CultureInfo.InvariantCulture), NullHypothesis);

    /// <summary>The header that matches <see cref="ToRow"/>.</summary>
    public static readonly string[] RowHeader = ["Test", "Statistic", "Distribution", "p-value", "Null hypothesis"];

    private static string Fmt(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);
}
