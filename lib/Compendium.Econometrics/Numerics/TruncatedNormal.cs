using MathNet.Numerics;

namespace Compendium.Econometrics.Numerics;

/// <summary>Quantiles of the standard normal distribution truncated to [l, u].</summary>
public static class TruncatedNormal
{
    /// <summary>Upper tail Q(x) = 1 − Φ(x), accurate in the upper tail.</summary>
    public static double UpperTail(double x) => 0.5 * SpecialFunctions.Erfc(x / Math.Sqrt(2));

    /// <summary>
    /// The p-quantile of N(0, 1) truncated to [l, u]: Φ⁻¹(Φ(l) + p(Φ(u) − Φ(l))), computed on the side of
    /// zero where the tail probabilities do not cancel (Botev's TruncatedNormal::norminvp does the same).
    /// </summary>
    public static double Quantile(double p, double l, double u)
    {
        if (p <= 0) return l;
        if (p >= 1) return u;
        if (u <= 0) return -Quantile(1 - p, -u, -l);
        if (l >= 0)
        {
            if (l > 30) return LogTailQuantile(p, l, u);
            double ql = UpperTail(l), qu = UpperTail(u);
            double qx = ql - p * (ql - qu);
            return -RNormal.Quantile(qx);
        }
        // l < 0 < u: both tails carry mass; Φ(l) and Q(u) are both ≤ 1/2
        double pl = UpperTail(-l), pu = 1 - UpperTail(u); // Φ(l), Φ(u)
        double target = pl + p * (pu - pl);
        return target <= 0.5 ? RNormal.Quantile(target) : -RNormal.Quantile(UpperTail(u) + (1 - p) * (pu - pl));
    }

    // far upper tail: solve log Q(x) = log((1 - p) Q(l) + p Q(u)) by Newton with the asymptotic log Q
    private static double LogTailQuantile(double p, double l, double u)
    {
        double lql = LogQ(l), lqu = double.IsPositiveInfinity(u) ? double.NegativeInfinity : LogQ(u);
        double target = lql + Math.Log((1 - p) + p * Math.Exp(lqu - lql));
        double x = l;
        for (int i = 0; i < 100; i++)
        {
            double f = LogQ(x) - target;
            double d = -(x + 1 / x); // d/dx log Q(x) ≈ −(x + 1/x) in the far tail
            double step = f / d;
            x -= step;
            if (Math.Abs(step) < 1e-14 * Math.Abs(x)) break;
        }
        return Math.Min(x, u);
    }

    private static double LogQ(double x)
    {
        double x2 = x * x;
        return -x2 / 2 - Math.Log(x) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(1 - 1 / x2 + 3 / (x2 * x2) - 15 / (x2 * x2 * x2));
    }
}
