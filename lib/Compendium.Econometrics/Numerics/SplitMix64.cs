namespace Compendium.Econometrics.Numerics;

/// <summary>
/// SplitMix64, the 64-bit pseudo-random generator of Steele, Lea and Flood (2014, "Fast splittable
/// pseudorandom number generators", OOPSLA), in the form of Vigna's reference implementation
/// (<c>splitmix64.c</c>, public domain): state ← state + 0x9E3779B97F4A7C15;
/// z ← (state ⊕ (state ≫ 30)) × 0xBF58476D1CE4E5B9; z ← (z ⊕ (z ≫ 27)) × 0x94D049BB133111EB;
/// output z ⊕ (z ≫ 31). Integer arithmetic only, so a seed gives the same stream on every machine,
/// operating system and .NET version (unlike <see cref="System.Random"/>, whose algorithm is not
/// specified). Not cryptographic. Not thread-safe: give each task its own instance, seeded
/// with <see cref="StreamSeeds"/>.
/// </summary>
/// <example>Seed 1234567 gives 6457827717110365317, 3203168211198807973, 9817491932198370423, … (the
/// reference implementation's output; checked in the tests).</example>
public sealed class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>A generator whose state starts at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += Gamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="n"/>), without modulo bias: 64-bit draws below
    /// 2⁶⁴ mod n are rejected and the rest reduced mod n (expected draws per call &lt; 2).
    /// </summary>
    public int NextBelow(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong un = (ulong)n;
        ulong threshold = (0UL - un) % un;   // = 2^64 mod n
        ulong x;
        do x = NextUInt64(); while (x < threshold);
        return (int)(x % un);
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Shuffle in place (Fisher–Yates, Durstenfeld's form: i from the end, swap with a uniform j ≤ i).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Independent generators for numbered tasks (draw 0, 1, …): the seed of stream r is the r-th output
    /// of SplitMix64(<paramref name="seed"/>), so each draw's randomness depends only on the seed and its
    /// number, not on the order or thread in which draws run.
    /// </summary>
    public static ulong[] StreamSeeds(ulong seed, int count)
    {
        var g = new SplitMix64(seed);
        var s = new ulong[count];
        for (int r = 0; r < count; r++) s[r] = g.NextUInt64();
        return s;
    }
}
