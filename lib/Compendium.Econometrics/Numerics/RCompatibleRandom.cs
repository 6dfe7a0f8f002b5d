namespace Compendium.Econometrics.Numerics;

/// <summary>
/// R's default random numbers, bit for bit: the Mersenne-Twister (Matsumoto &amp; Nishimura 1998) seeded as
/// <c>set.seed(seed)</c> seeds it (the seed scrambled by 50 steps of the LCG s ← 69069 s + 1, then 625
/// further steps fill the state), uniforms as R's <c>unif_rand()</c> (MT output × 2.3283064365386963e−10,
/// kept inside (0, 1)) and normals by inversion as R's <c>norm_rand()</c> (u = ⌊2²⁷ u₁⌋ + u₂, then
/// Φ⁻¹(u/2²⁷) by Wichura's AS 241). HonestDiD draws its least-favourable critical values and its folded-normal
/// quantiles from <c>set.seed(0)</c>; drawing the same numbers reproduces its published intervals exactly.
/// Checked against R 4.2's <c>rnorm</c> in the tests.
/// </summary>
public sealed class RCompatibleRandom
{
    private const int N = 624, M = 397;
    private const uint MatrixA = 0x9908b0df, UpperMask = 0x80000000, LowerMask = 0x7fffffff;
    private readonly uint[] _mt = new uint[N];
    private int _mti;

    /// <summary>The state R has after <c>set.seed(seed)</c> (RNGkind Mersenne-Twister, Inversion).</summary>
    public RCompatibleRandom(int seed)
    {
        uint s = unchecked((uint)seed);
        for (int j = 0; j < 50; j++) s = unchecked(69069 * s + 1);
        // R's i_seed[0] is mti (dummy[0]); the next 624 draws fill mt
        s = unchecked(69069 * s + 1); // dummy[0], overwritten by FixupSeeds
        for (int j = 0; j < N; j++) { s = unchecked(69069 * s + 1); _mt[j] = s; }
        _mti = N;
    }

    private double Genrand()
    {
        uint y;
        if (_mti >= N)
        {
            int kk;
            for (kk = 0; kk < N - M; kk++)
            {
                y = (_mt[kk] & UpperMask) | (_mt[kk + 1] & LowerMask);
                _mt[kk] = _mt[kk + M] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
            }
            for (; kk < N - 1; kk++)
            {
                y = (_mt[kk] & UpperMask) | (_mt[kk + 1] & LowerMask);
                _mt[kk] = _mt[kk + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
            }
            y = (_mt[N - 1] & UpperMask) | (_mt[0] & LowerMask);
            _mt[N - 1] = _mt[M - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
            _mti = 0;
        }
        y = _mt[_mti++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y * 2.3283064365386963e-10;
    }

    /// <summary>R's <c>runif(1)</c>.</summary>
    public double NextUniform()
    {
        const double i2_32m1 = 2.328306437080797e-10;
        double v = Genrand();
        if (v <= 0.0) return 0.5 * i2_32m1;
        if (1.0 - v <= 0.0) return 1.0 - 0.5 * i2_32m1;
        return v;
    }

    /// <summary>R's <c>rnorm(1)</c>.</summary>
    public double NextNormal()
    {
        const double Big = 134217728;
        double u = NextUniform();
        u = (int)(Big * u) + NextUniform();
        return RNormal.Quantile(u / Big);
    }
}

/// <summary>The standard normal quantile exactly as R computes it.</summary>
public static class RNormal
{
    /// <summary>Φ⁻¹(p) by Wichura's AS 241 (PPND16), the algorithm and coefficients of R's <c>qnorm</c> (lower tail, not log).</summary>
    public static double Quantile(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) return double.NaN;
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        double q = p - 0.5, r, val;
        if (Math.Abs(q) <= 0.425)
        {
            r = .180625 - q * q;
            return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r
                + 3.387132872796366608)
                / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
        }
        r = Math.Log(q > 0 ? 0.5 - p + 0.5 : p);
        r = Math.Sqrt(-r);
        if (r <= 5.0)
        {
            r += -1.6;
            val = (((((((r * 7.7454501427834140764e-4 + .0227238449892691845833) * r + .24178072517745061177) * r
                + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734)
                / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + .0151986665636164571966) * r
                + .14810397642748007459) * r + .68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1.0);
        }
        else
        {
            r += -5.0;
            val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + .0012426609473880784386) * r
                + .026532189526576123093) * r + .29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772)
                / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4) * r + .0148753612908506148525) * r + .13692988092273580531) * r
                + .59983220655588793769) * r + 1.0);
        }
        return q < 0 ? -val : val;
    }
}
