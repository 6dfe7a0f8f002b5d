namespace Compendium.Econometrics.Design;

/// <summary>
/// Iterative removal of singleton observations: a row whose level of some fixed effect has only
/// that one row is fitted perfectly by its own dummy, carries no information about the slopes and
/// overstates the degrees of freedom; removing it can create new singletons, so the pass repeats
/// until none is left (Correia 2015, "Singletons, cluster-robust standard errors and fixed effects:
/// a bad mix"; reghdfe's default). fixest keeps singletons by default; Compendium drops them by
/// default (<c>FeolsOptions.DropSingletons</c>), so reference values are computed the same way.
/// </summary>
internal static class Singletons
{
    /// <summary>Clears <paramref name="keep"/> for singleton rows; returns how many were removed.</summary>
    public static int Drop(bool[] keep, IReadOnlyList<Factor> factors)
    {
        if (factors.Count == 0) return 0;
        int removed = 0, n = keep.Length;
        var codes = factors.Select(f => f.Codes).ToArray();
        var counts = factors.Select(f => new int[f.Levels]).ToArray();
        while (true)
        {
            bool any = false;
            for (int q = 0; q < codes.Length; q++)
            {
                var c = codes[q]; var cnt = counts[q];
                Array.Clear(cnt);
                for (int i = 0; i < n; i++) if (keep[i]) cnt[c[i]]++;
                foreach (var k in cnt) if (k == 1) { any = true; break; }
            }
            if (!any) return removed; // the usual case: one counting pass per factor, no row pass
            int pass = 0;
            for (int q = 0; q < codes.Length; q++)
            {
                var c = codes[q]; var cnt = counts[q];
                for (int i = 0; i < n; i++)
                    if (keep[i] && cnt[c[i]] == 1) { keep[i] = false; pass++; }
            }
            removed += pass;
        }
    }
}
