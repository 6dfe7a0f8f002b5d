using System.Collections.Immutable;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Inference;

/// <summary>
/// Seeded random permutations of a panel's units, optionally within strata: the draws of a
/// permutation (randomisation) test that reshuffles a unit-level attribute (a group label, a
/// moderator) across units. The same seed gives the same permutations on every machine.
/// </summary>
/// <remarks>
/// Algorithm (re-implemented independently in <c>tests/reference/heterogeneity/splitmix_permutations.py</c>):
/// one <see cref="SplitMix64"/> stream seeded with the seed; units numbered 0…U − 1 in the order given;
/// strata taken in order of first appearance; for each draw and each stratum in turn, the ascending
/// list of the stratum's units is shuffled by Fisher–Yates (<see cref="SplitMix64.Shuffle{T}"/>) and its
/// k-th unit is mapped to the k-th entry of the shuffled list. Unit u then takes the attributes of
/// unit perm[u]. Within strata, every stratum keeps its own units' attributes (e.g. each group keeps
/// its numbers of never-treated and of early and late treated units when the strata are treatment cohorts).
/// </remarks>
public static class UnitPermutations
{
    /// <summary>
    /// <paramref name="draws"/> permutations of <paramref name="strata"/>.Count units.
    /// </summary>
    /// <param name="strata">The stratum of each unit (null entries form one stratum of their own); pass the same value for every unit to draw without strata.</param>
    /// <param name="draws">Number of permutations (≥ 1).</param>
    /// <param name="seed">Seed of the <see cref="SplitMix64"/> stream.</param>
    public static ImmutableArray<ImmutableArray<int>> Draw(IReadOnlyList<string?> strata, int draws, ulong seed)
    {
        if (draws < 1) throw new InputException($"the number of permutation draws must be at least 1 (got {draws})");
        var members = new List<List<int>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int u = 0; u < strata.Count; u++)
        {
            var key = strata[u] ?? "\0null";
            if (!index.TryGetValue(key, out var s)) { index[key] = s = members.Count; members.Add([]); }
            members[s].Add(u);
        }
        var rng = new SplitMix64(seed);
        var result = ImmutableArray.CreateBuilder<ImmutableArray<int>>(draws);
        for (int b = 0; b < draws; b++)
        {
            var perm = new int[strata.Count];
            foreach (var m in members)
            {
                var shuffled = m.ToArray();
                rng.Shuffle<int>(shuffled);
                for (int k = 0; k < m.Count; k++) perm[m[k]] = shuffled[k];
            }
            result.Add([.. perm]);
        }
        return result.MoveToImmutable();
    }
}
