namespace Compendium.Econometrics.Numerics;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014; the seeding generator of xoshiro): a 64-bit state advanced by
/// the golden-ratio increment 0x9E3779B97F4A7C15 and mixed by two xor-shift-multiply rounds
/// (constants 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, shifts 30, 27, 31). Small, fast and fully
/// specified here, so a seeded bootstrap draws the same numbers on every machine and .NET version
/// (System.Random with a seed makes no such promise).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    /// <summary>A generator whose first output is the mix of <paramref name="seed"/> + 0x9E3779B97F4A7C15.</summary>
    public SplitMix64(ulong seed) { _state = seed; }

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number in [0, 1) with 53 random bits: (next >> 11) · 2⁻⁵³.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / 9007199254740992.0);

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
