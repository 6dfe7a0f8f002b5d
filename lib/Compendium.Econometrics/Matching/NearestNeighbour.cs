namespace Compendium.Econometrics.Matching;

/// <summary>
/// Greedy nearest-neighbour matching on a scalar score, MatchIt's algorithm
/// (<c>method = "nearest"</c>, <c>m.order = "largest"</c>; <c>src/nn_matchC_vec.cpp</c> of MatchIt ≥ 4.5.4).
/// </summary>
/// <remarks>
/// All units are sorted by score (ascending, ties in input order). Treated units are taken in
/// decreasing order of the score (ties in input order). For k:1 matching there are k rounds; in round r
/// every treated unit, in that order, gets its r-th control: the nearest available control below and
/// the nearest above its score in sort order (skipping controls it already has), the closer of the
/// two, the one below on a tie. With a caliper, a side whose nearest available control is farther than
/// the caliper offers none. Without replacement a used control is no longer available. A treated unit
/// that finds no control in a round gets none in later rounds either. Available controls are kept in
/// two union–find "next available" structures over the sorted controls, so a search costs amortised
/// O(α(n)) instead of a scan over used controls.
/// </remarks>
internal static class NearestNeighbour
{
    /// <summary>Matches of each treated unit: controls[i] lists the matched controls (input indices) of treated unit i (input index), in round order; null for controls.</summary>
    public static int[]?[] Match(IReadOnlyList<bool> treated, IReadOnlyList<double> score, int ratio, bool replace, double? caliper)
    {
        int n = score.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => score[i]).ThenBy(i => i).ToArray();   // stable ascending
        var ctl = order.Where(i => !treated[i]).ToArray();                                      // controls in score order
        var ctlScore = ctl.Select(i => score[i]).ToArray();
        // rank of the first control at or above each treated unit's position in the sort
        var posInOrder = new int[n];
        for (int p = 0; p < n; p++) posInOrder[order[p]] = p;
        var ctlPos = ctl.Select(i => posInOrder[i]).ToArray();
        var treatedOrder = Enumerable.Range(0, n).Where(i => treated[i])
            .OrderByDescending(i => score[i]).ThenBy(i => i).ToArray();
        var result = new int[]?[n];
        var lists = new Dictionary<int, List<int>>();
        foreach (var i in treatedOrder) lists[i] = new List<int>(ratio);
        var left = new NextAvailable(ctl.Length, leftward: true);
        var right = new NextAvailable(ctl.Length, leftward: false);
        int available = ctl.Length;
        var failed = new HashSet<int>();
        for (int r = 0; r < ratio && available > 0; r++)
        {
            foreach (int i in treatedOrder)
            {
                if (failed.Contains(i)) continue;
                var mine = lists[i];
                // first control rank above the treated unit's sort position
                int above = LowerBound(ctlPos, posInOrder[i]);
                double s = score[i];
                int kl = Find(left, above - 1, -1, mine, ctl);
                int kr = Find(right, above, +1, mine, ctl);
                if (caliper is double c)
                {
                    if (kl >= 0 && Math.Abs(s - ctlScore[kl]) > c) kl = -1;
                    if (kr >= 0 && Math.Abs(s - ctlScore[kr]) > c) kr = -1;
                }
                int k = kl >= 0 && kr >= 0 ? (Math.Abs(ctlScore[kl] - s) <= Math.Abs(ctlScore[kr] - s) ? kl : kr)
                      : kl >= 0 ? kl : kr;
                if (k < 0) { failed.Add(i); continue; }
                mine.Add(ctl[k]);
                if (!replace)
                {
                    left.Remove(k); right.Remove(k);
                    if (--available == 0) break;
                }
            }
        }
        foreach (var (i, l) in lists) result[i] = [.. l];
        return result;
    }

    // The nearest available control rank from `start` in direction `step`, skipping the unit's own matches.
    private static int Find(NextAvailable ds, int start, int step, List<int> mine, int[] ctl)
    {
        int k = ds.Find(start);
        while (k >= 0 && mine.Contains(ctl[k])) k = ds.Find(k + step);
        return k;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>Union–find over ranks 0..n−1: Find(k) = the nearest available rank ≥ k (rightward) or ≤ k (leftward), −1 if none.</summary>
    private sealed class NextAvailable
    {
        private readonly int[] _parent;   // index n (rightward) or 0 after a shift (leftward) is the "none" sentinel
        private readonly bool _leftward;
        private readonly int _n;

        public NextAvailable(int n, bool leftward)
        {
            _n = n; _leftward = leftward;
            _parent = new int[n + 1];
            for (int i = 0; i <= n; i++) _parent[i] = i;
        }

        // Leftward ranks are stored shifted by one so that slot 0 is the sentinel.
        private int Slot(int k) => _leftward ? k + 1 : k;
        private int Rank(int slot) => _leftward ? slot - 1 : slot;

        public int Find(int k)
        {
            if (k < 0 || k >= _n) return -1;
            int x = Slot(k);
            int root = x;
            while (_parent[root] != root) root = _parent[root];
            while (_parent[x] != root) { int next = _parent[x]; _parent[x] = root; x = next; }
            int rank = Rank(root);
            return rank < 0 || rank >= _n ? -1 : rank;
        }

        public void Remove(int k)
        {
            int x = Slot(k);
            _parent[x] = _leftward ? x - 1 : x + 1;
        }
    }
}
