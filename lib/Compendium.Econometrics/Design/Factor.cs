using System.Globalization;
using Compendium.Econometrics.Data;

namespace Compendium.Econometrics.Design;

/// <summary>
/// A categorical variable coded 0..Levels−1 over the estimation sample (a fixed effect or a cluster).
/// Levels are ordered by value (numbers ascending, text ordinally), so codes are deterministic.
/// </summary>
public sealed class Factor
{
    /// <summary>The column name, or <c>a^b</c> for a combined factor.</summary>
    public string Name { get; }
    /// <summary>Code of each row, 0..<see cref="Levels"/>−1 (−1 = missing before the sample is fixed).</summary>
    internal int[] Codes { get; }
    /// <summary>Number of distinct non-missing values.</summary>
    public int Levels { get; }

    internal Factor(string name, int[] codes, int levels) { Name = name; Codes = codes; Levels = levels; }

    /// <summary>Code a column (numeric or text) of <paramref name="data"/>; missing values get −1.</summary>
    internal static Factor FromColumn(ColumnTable data, string name)
    {
        if (data.IsNumeric(name)) return FromNumbers(name, data.Numeric(name));
        var text = data.Text(name);
        var distinct = text.Where(s => s is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var map = new Dictionary<string, int>(distinct.Length, StringComparer.Ordinal);
        for (int i = 0; i < distinct.Length; i++) map[distinct[i]!] = i;
        var codes = new int[text.Length];
        for (int i = 0; i < text.Length; i++) codes[i] = text[i] is { } s ? map[s] : -1;
        return new Factor(name, codes, distinct.Length);
    }

    internal static Factor FromNumbers(string name, double[] values)
    {
        int n = values.Length;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        bool integral = true;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
            if (integral && v != Math.Floor(v)) integral = false;
        }
        var codes = new int[n];
        if (double.IsInfinity(min)) { Array.Fill(codes, -1); return new Factor(name, codes, 0); }
        // Integer ids in a compact range (the usual case: unit ids, years): a direct look-up table,
        // O(n) without hashing, which matters at 10^7 rows.
        if (integral && max - min <= 2.0 * n + 1024)
        {
            int range = (int)(max - min) + 1;
            var map = new int[range];
            for (int i = 0; i < n; i++)
            {
                double v = values[i];
                if (double.IsNaN(v)) { codes[i] = -1; continue; }
                int r = (int)(v - min);
                codes[i] = r;
                map[r] = 1;
            }
            int levels = 0;
            for (int r = 0; r < range; r++) map[r] = map[r] == 1 ? levels++ : -1;
            // every value in [min, max] present (ids, years): the offsets already are the codes
            if (levels < range)
                for (int i = 0; i < n; i++) if (codes[i] >= 0) codes[i] = map[codes[i]];
            return new Factor(name, codes, levels);
        }
        var distinct = values.Where(v => !double.IsNaN(v)).Distinct().Order().ToArray();
        var dict = new Dictionary<double, int>(distinct.Length);
        for (int i = 0; i < distinct.Length; i++) dict[distinct[i]] = i;
        for (int i = 0; i < n; i++) codes[i] = double.IsNaN(values[i]) ? -1 : dict[values[i]];
        return new Factor(name, codes, distinct.Length);
    }

    /// <summary>
    /// The non-empty subsets of <paramref name="factors"/> as combined factors with the inclusion–exclusion
    /// sign (+1 for odd, −1 for even subsets): the terms of the multiway cluster-robust meat
    /// Σ_S (−1)^{|S|+1} M(∩S) (Cameron, Gelbach and Miller 2011). One factor gives itself with +1.
    /// </summary>
    internal static IEnumerable<(Factor Factor, int Sign)> InclusionExclusion(IReadOnlyList<Factor> factors)
    {
        int m = factors.Count;
        for (int mask = 1; mask < 1 << m; mask++)
        {
            var members = Enumerable.Range(0, m).Where(j => (mask >> j & 1) == 1).Select(j => factors[j]).ToArray();
            yield return (members.Length == 1 ? members[0] : Combine(string.Join("^", members.Select(z => z.Name)), members),
                members.Length % 2 == 1 ? 1 : -1);
        }
    }

    /// <summary>The factor whose levels are the observed combinations of <paramref name="parts"/> (<c>a^b</c>).</summary>
    internal static Factor Combine(string name, IReadOnlyList<Factor> parts)
    {
        if (parts.Count == 1) return new Factor(name, parts[0].Codes, parts[0].Levels);
        int n = parts[0].Codes.Length;
        var keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            long key = 0;
            foreach (var p in parts)
            {
                int c = p.Codes[i];
                if (c < 0) { key = -1; break; }
                key = key * p.Levels + c;
            }
            keys[i] = key;
        }
        var distinct = keys.Where(k => k >= 0).Distinct().Order().ToArray();
        var dict = new Dictionary<long, int>(distinct.Length);
        for (int i = 0; i < distinct.Length; i++) dict[distinct[i]] = i;
        var codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = keys[i] < 0 ? -1 : dict[keys[i]];
        return new Factor(name, codes, distinct.Length);
    }

    /// <summary>The factor restricted to <paramref name="rows"/>, recoded densely (levels that vanished are removed, order kept).</summary>
    internal Factor Subset(int[] rows)
    {
        if (rows.Length == Codes.Length) return this; // every row kept: codes are already dense
        var remap = new int[Levels];
        Array.Fill(remap, -1);
        foreach (var r in rows) remap[Codes[r]] = 0;
        int levels = 0;
        for (int g = 0; g < Levels; g++) if (remap[g] == 0) remap[g] = levels++;
        var codes = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) codes[i] = remap[Codes[rows[i]]];
        return new Factor(Name, codes, levels);
    }

    /// <summary>True when every level of this factor lies inside one level of <paramref name="outer"/> (e.g. city within cluster city).</summary>
    internal bool IsNestedIn(Factor outer) => _nested.GetOrAdd(outer, ComputeNestedIn);

    // Re-fits (placebo loops) ask the same question of the same factor objects many times.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Factor, bool> _nested = new(ReferenceEqualityComparer.Instance);

    private bool ComputeNestedIn(Factor outer)
    {
        var owner = new int[Levels];
        Array.Fill(owner, -1);
        for (int i = 0; i < Codes.Length; i++)
        {
            int g = Codes[i], h = outer.Codes[i];
            if (owner[g] == -1) owner[g] = h;
            else if (owner[g] != h) return false;
        }
        return true;
    }

    /// <summary>"name (L levels)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Levels} levels)");
}
