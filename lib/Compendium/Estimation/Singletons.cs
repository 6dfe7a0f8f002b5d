namespace Compendium.Estimation;

/// <summary>
/// Iterative removal of singleton observations: a row whose level of some fixed effect has only
/// that one row is fitted perfectly by its own dummy, carries no information about the slopes and
/// overstates the degrees of freedom; removing it can create new singletons, so the pass repeats
/// until none is left (Correia 2015, "Singletons, cluster-robust standard errors and fixed effects:
/// a bad mix"; reghdfe's default). fixest keeps singletons by default; Compendium drops them by
/// default (<see cref="FeolsOptions.DropSingletons"/>), so reference values are computed the same way.
/// </summary>
internal static class Singletons
{
    /// <summary>Clears <paramref name="keep"/> for singleton rows; returns how many were removed.</summary>
    public static int Drop(bool[] keep, IReadOnlyList<Factor> factors)
    {
        if (factors.Count == 0) return 0;
        int removed = 0;
        var counts = factors.Select(f => new int[f.Levels]).ToArray();
        while (true)
        {
            for (int q = 0; q < factors.Count; q++)
            {
                Array.Clear(counts[q]);
                var codes = factors[q].Codes;
                for (int i = 0; i < keep.Length; i++) if (keep[i]) counts[q][codes[i]]++;
            }
            int pass = 0;
            for (int i = 0; i < keep.Length; i++)
            {
                if (!keep[i]) continue;
                for (int q = 0; q < factors.Count; q++)
                    if (counts[q][factors[q].Codes[i]] == 1) { keep[i] = false; pass++; break; }
            }
            if (pass == 0) return removed;
            removed += pass;
        }
    }
}
