using System.Collections.Immutable;

namespace Compendium.Data;

/// <summary>
/// A national big data comprehensive pilot zone (a row of data/pilot_zones.csv with its members
/// from data/pilot_members.csv).
/// </summary>
/// <param name="Id">Short key, e.g. "guizhou", "prd".</param>
/// <param name="Name">English name, e.g. "Pearl River Delta".</param>
/// <param name="NameZh">Chinese name of the zone.</param>
/// <param name="Batch">1 (Guizhou) or 2 (the seven zones approved in October 2016).</param>
/// <param name="Approved">Date of the formal approval by NDRC, MIIT and CAC.</param>
/// <param name="PolicyYearDefault">First treated year under <see cref="TimingCoding.Default"/>.</param>
/// <param name="PolicyYearAlternative">First treated year under <see cref="TimingCoding.Alternative"/>.</param>
/// <param name="Members">City codes of the member cities, ascending.</param>
public sealed record PilotZone(string Id, string Name, string NameZh, int Batch, DateOnly Approved,
    int PolicyYearDefault, int PolicyYearAlternative, ImmutableArray<int> Members)
{
    /// <summary>The first treated year under a timing coding.</summary>
    public int PolicyYear(TimingCoding t) => t switch
    {
        TimingCoding.Default => PolicyYearDefault,
        TimingCoding.Alternative => PolicyYearAlternative,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
