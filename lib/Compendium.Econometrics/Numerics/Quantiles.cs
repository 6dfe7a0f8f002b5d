namespace Compendium.Econometrics.Numerics;

/// <summary>Sample quantiles.</summary>
public static class Quantiles
{
    /// <summary>
    /// The <paramref name="p"/> quantile of the finite values, R's default (type 7): with the values sorted,
    /// x₍₁₎ ≤ … ≤ x₍ₙ₎, and h = (n − 1)p, Q = x₍⌊h⌋+1₎ + (h − ⌊h⌋)(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎). NaN when there is no finite value.
    /// </summary>
    public static double Type7(IEnumerable<double> values, double p)
    {
        var x = values.Where(double.IsFinite).Order().ToArray();
        if (x.Length == 0) return double.NaN;
        double h = (x.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, x.Length - 1);
        return x[lo] + (h - lo) * (x[hi] - x[lo]);
    }
}
