namespace Compendium.Econometrics.Numerics;

/// <summary>
/// SplitMix64, a small 64-bit pseudo-random generator with a fixed, published algorithm (Steele, Lea
/// and Flood 2014, "Fast splittable pseudorandom number generators", OOPSLA; Vigna's reference code
/// <c>splitmix64.c</c>), so that a seed gives the same draws on every machine and .NET version
/// (<see cref="System.Random"/> promises that only for some of its methods):
/// <code>
/// state += 0x9E3779B97F4A7C15
/// z = (state ^ (state &gt;&gt; 30)) · 0xBF58476D1CE4E5B9
/// z = (z ^ (z &gt;&gt; 27)) · 0x94D049BB133111EB
/// return z ^ (z &gt;&gt; 31)                                  (arithmetic modulo 2^64)
/// </code>
/// seeded with state = seed. Seed 1234567 gives 6457827717110365317, 3203168211198807973,
/// 9817491932198370423, … (the published test vector). Not for cryptography.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    /// <summary>A generator whose first state is <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64-bit draw.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="n"/>), without bias, by Lemire's multiply-and-reject
    /// method (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1)): the high
    /// 64 bits of draw × n, rejecting draws whose low 64 bits fall below (2^64 − n) mod n.
    /// </summary>
    public ulong NextBelow(ulong n)
    {
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(n), "the bound must be positive");
        ulong hi = Math.BigMul(Next(), n, out ulong lo);
        if (lo < n)
        {
            ulong t = (0UL - n) % n;
            while (lo < t) hi = Math.BigMul(Next(), n, out lo);
        }
        return hi;
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits of a draw.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Shuffle <paramref name="items"/> in place by Fisher–Yates (Durstenfeld): for i = m − 1 down to 1,
    /// swap items[i] with items[j], j uniform in [0, i] (<see cref="NextBelow"/>).
    /// </summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBelow((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Fill <paramref name="signs"/> with Rademacher weights (±1 with probability ½): one bit per weight, the lowest bit of each 64-bit output first.</summary>
    public void FillRademacher(Span<double> signs)
    {
        int i = 0;
        while (i < signs.Length)
        {
            ulong bits = Next();
            for (int b = 0; b < 64 && i < signs.Length; b++, i++) signs[i] = ((bits >> b) & 1) == 0 ? 1.0 : -1.0;
        }
    }

    /// <summary>
    /// Fill <paramref name="weights"/> with Webb's six-point weights ±√(3/2), ±1, ±√(1/2), each with
    /// probability 1/6: index ⌊6u⌋ of (−√1.5, −1, −√0.5, √0.5, 1, √1.5) with u = <see cref="NextDouble"/>.
    /// </summary>
    public void FillWebb(Span<double> weights)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = WebbPoints[(int)(NextDouble() * 6)];
    }

    private static readonly double[] WebbPoints = [-Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5)];
}
