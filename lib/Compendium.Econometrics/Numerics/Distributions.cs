namespace Compendium.Econometrics.Numerics;

/// <summary>Student t, normal, F and χ² tail probabilities and quantiles (MathNet.Numerics).</summary>
public static class Distributions
{
    /// <summary>Two-sided p-value of t with <paramref name="df"/> degrees of freedom; df = +∞ is the standard normal (z), computed with erfc for full precision in the tail.</summary>
    public static double TwoSidedT(double t, double df) =>
        double.IsNaN(t) || !(df > 0) ? double.NaN
        : double.IsInfinity(t) ? 0
        : double.IsPositiveInfinity(df) ? MathNet.Numerics.SpecialFunctions.Erfc(Math.Abs(t) / Math.Sqrt(2))
        : 2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, -Math.Abs(t));

    /// <summary>The <paramref name="p"/> quantile of t(df); df = +∞ gives the normal quantile.</summary>
    public static double TQuantile(double p, double df) =>
        QuantileCache.GetOrAdd((p, df), k => double.IsPositiveInfinity(k.Item2)
            ? MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, k.Item1)
            : MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, k.Item2, k.Item1));

    // The inverse CDF is a root search; placebo loops ask for the same few quantiles thousands of times.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double, double), double> QuantileCache = new();

    /// <summary>
    /// P(F(df1, df2) > f) = I_{df2/(df2 + df1·f)}(df2/2, df1/2) (the regularised incomplete beta function),
    /// computed directly rather than as 1 − CDF so that small p-values keep their relative precision
    /// (R's <c>pf(lower.tail = FALSE)</c>); df2 = +∞ is χ²(df1)/df1. NaN when f is NaN or a degree of
    /// freedom is not positive; 0 for f = +∞, 1 for f ≤ 0.
    /// </summary>
    public static double UpperF(double f, double df1, double df2) =>
        double.IsNaN(f) || !(df1 > 0) || !(df2 > 0) ? double.NaN
        : double.IsPositiveInfinity(f) ? 0
        : f <= 0 ? 1 // P(F > f) = 1 below the support (a rounding-negative statistic)
        : double.IsPositiveInfinity(df2) ? UpperChiSquared(f * df1, df1)
        : MathNet.Numerics.SpecialFunctions.BetaRegularized(df2 / 2, df1 / 2, df2 / (df2 + df1 * f));

    /// <summary>P(χ²(df) > x) = Q(df/2, x/2) (the upper regularised incomplete gamma function), precise in the tail.</summary>
    public static double UpperChiSquared(double x, double df) =>
        double.IsNaN(x) || !(df > 0) ? double.NaN
        : double.IsPositiveInfinity(x) ? 0
        : x <= 0 ? 1
        : MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);
}
