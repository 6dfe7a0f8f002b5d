using Compendium.Econometrics;
namespace Compendium.Data;

/// <summary>
/// City size class of the State Council's 2014 standard (Guo Fa [2014] No. 51), by the urban
/// population of the city proper (城区常住人口): megacity ≥ 10 M; super-large 5–10 M; large I 3–5 M;
/// large II 1–3 M; medium 0.5–1 M; small &lt; 0.5 M. In the standard "以上" includes the lower bound
/// and "以下" excludes the upper one, so each class is [lower, upper).
/// </summary>
public enum SizeClass
{
    /// <summary>Urban population ≥ 10 million (超大城市).</summary>
    Megacity,
    /// <summary>5–10 million (特大城市).</summary>
    SuperLarge,
    /// <summary>Large city type I, 3–5 million (I型大城市).</summary>
    Large1,
    /// <summary>Large city type II, 1–3 million (II型大城市).</summary>
    Large2,
    /// <summary>0.5–1 million (中等城市).</summary>
    Medium,
    /// <summary>Below 0.5 million (小城市).</summary>
    Small,
}

/// <summary>The National Bureau of Statistics' four economic regions.</summary>
public enum Region
{
    /// <summary>Eastern region.</summary>
    East,
    /// <summary>Central region.</summary>
    Central,
    /// <summary>Western region.</summary>
    West,
    /// <summary>Northeastern region (Liaoning, Jilin, Heilongjiang).</summary>
    Northeast,
}

/// <summary>
/// When the pilot-zone policy is taken to start. <see cref="Default"/>: first batch (Guizhou) 2015,
/// second batch 2016 — the year each zone was named by the State Council or approved. <see cref="Alternative"/>:
/// 2016 / 2017 — the first full year after the formal approval letters of February and October 2016.
/// </summary>
public enum TimingCoding
{
    /// <summary>First batch (Guizhou) treated from 2015, second batch from 2016.</summary>
    Default,
    /// <summary>First batch treated from 2016, second batch from 2017.</summary>
    Alternative,
}

/// <summary>The csv spelling of <see cref="SizeClass"/> and the 2014 thresholds.</summary>
public static class SizeClasses
{
    /// <summary>Lower bounds (millions, inclusive) in the order of the enum; Small has none.</summary>
    private static readonly (SizeClass Class, double Lower)[] Bounds =
        [(SizeClass.Megacity, 10), (SizeClass.SuperLarge, 5), (SizeClass.Large1, 3), (SizeClass.Large2, 1), (SizeClass.Medium, 0.5)];

    /// <summary>The csv spelling: megacity, super_large, large_1, large_2, medium, small.</summary>
    public static string Name(SizeClass s) => s switch
    {
        SizeClass.Megacity => "megacity",
        SizeClass.SuperLarge => "super_large",
        SizeClass.Large1 => "large_1",
        SizeClass.Large2 => "large_2",
        SizeClass.Medium => "medium",
        SizeClass.Small => "small",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>Parse the csv spelling; null if it is not one of the six names.</summary>
    public static SizeClass? TryParse(string s) =>
        Enum.GetValues<SizeClass>().Cast<SizeClass?>().FirstOrDefault(c => Name(c!.Value) == s);

    /// <summary>The class of a city with this urban population (millions), per the 2014 thresholds.</summary>
    public static SizeClass FromUrbanPopulation(double millions)
    {
        if (!(millions >= 0)) throw new ArgumentOutOfRangeException(nameof(millions), millions, "population must be a non-negative number");
        foreach (var (c, lower) in Bounds)
            if (millions >= lower) return c;
        return SizeClass.Small;
    }
}

/// <summary>The csv spelling of <see cref="Region"/>.</summary>
public static class Regions
{
    /// <summary>The csv spelling: east, central, west, northeast.</summary>
    public static string Name(Region r) => r switch
    {
        Region.East => "east",
        Region.Central => "central",
        Region.West => "west",
        Region.Northeast => "northeast",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    /// <summary>Parse the csv spelling; null if it is not one of the four names.</summary>
    public static Region? TryParse(string s) =>
        Enum.GetValues<Region>().Cast<Region?>().FirstOrDefault(r => Name(r!.Value) == s);
}

/// <summary>Names of <see cref="TimingCoding"/> as users type them (command line, notebooks).</summary>
public static class TimingCodings
{
    /// <summary>"default" or "alternative" (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="InputException">Anything else; the message lists the choices.</exception>
    public static TimingCoding Parse(string s) => s?.Trim().ToLowerInvariant() switch
    {
        "default" => TimingCoding.Default,
        "alternative" => TimingCoding.Alternative,
        _ => throw new InputException(
            $"unknown timing coding '{s}': expected 'default' (first batch 2015, second batch 2016) or 'alternative' (2016 / 2017)"),
    };

    /// <summary>"default" or "alternative" (what <see cref="Parse"/> accepts).</summary>
    public static string Name(TimingCoding t) => t switch
    {
        TimingCoding.Default => "default",
        TimingCoding.Alternative => "alternative",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
