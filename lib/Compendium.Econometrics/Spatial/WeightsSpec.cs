using System.Globalization;

namespace Compendium.Econometrics.Spatial;

/// <summary>How a spatial weights matrix is made.</summary>
public enum WeightsKind
{
    /// <summary>w_ij = d_ij^(−power) for d_ij ≤ cut-off (all pairs without a cut-off).</summary>
    InverseDistance,
    /// <summary>w_ij = 1 for the k nearest units j of i (ties in distance broken by unit order).</summary>
    Knn,
    /// <summary>w_ij = 1 for d_ij ≤ the band.</summary>
    Band,
    /// <summary>Read from a CSV of (unit_i, unit_j, weight).</summary>
    File,
}

/// <summary>
/// A weights specification, parsed from the command line's <c>--weights</c> text:
/// <c>inverse-distance[:POWER][,cutoff=KM]</c>, <c>knn:K</c>, <c>band:KM</c> or <c>file:W.csv</c>, each with an
/// optional <c>,raw</c> to keep the weights as built instead of row-standardising them (the default).
/// Distances are great-circle kilometres (<see cref="GreatCircle"/>).
/// </summary>
/// <param name="Kind">The construction.</param>
/// <param name="Power">Distance-decay power of inverse distance (default 1).</param>
/// <param name="CutoffKm">Inverse distance: pairs farther apart than this get weight 0 (null: no cut-off).</param>
/// <param name="K">Number of neighbours of <see cref="WeightsKind.Knn"/>.</param>
/// <param name="BandKm">Distance band of <see cref="WeightsKind.Band"/>.</param>
/// <param name="FilePath">CSV of <see cref="WeightsKind.File"/>.</param>
/// <param name="RowStandardise">Divide each row by its sum (default true).</param>
public sealed record WeightsSpec(WeightsKind Kind, double Power = 1, double? CutoffKm = null, int K = 0, double BandKm = 0,
    string? FilePath = null, bool RowStandardise = true)
{
    /// <summary>Inverse distance d^(−power), optionally cut off at <paramref name="cutoffKm"/>.</summary>
    public static WeightsSpec InverseDistance(double power = 1, double? cutoffKm = null) => new(WeightsKind.InverseDistance, power, cutoffKm);
    /// <summary>The <paramref name="k"/> nearest neighbours.</summary>
    public static WeightsSpec Nearest(int k) => new(WeightsKind.Knn, K: k);
    /// <summary>Every unit within <paramref name="km"/> kilometres.</summary>
    public static WeightsSpec Band(double km) => new(WeightsKind.Band, BandKm: km);
    /// <summary>Weights read from a CSV file of (unit_i, unit_j, weight).</summary>
    public static WeightsSpec File(string path) => new(WeightsKind.File, FilePath: path);

    /// <summary>Parse the command-line form (see the type's summary); errors name the offending part.</summary>
    public static WeightsSpec Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var head = parts[0];
        int colon = head.IndexOf(':');
        string kind = colon < 0 ? head : head[..colon], arg = colon < 0 ? "" : head[(colon + 1)..];
        WeightsSpec spec = kind.ToLowerInvariant() switch
        {
            "inverse-distance" or "idw" => InverseDistance(arg.Length == 0 ? 1 : Number(arg, "power", text)),
            "knn" => Nearest(Integer(arg, text)),
            "band" => Band(Number(arg, "band (km)", text)),
            "file" when arg.Length > 0 => File(arg),
            _ => throw new InputException($"--weights '{text}': expected inverse-distance[:POWER][,cutoff=KM], knn:K, band:KM or file:W.csv"),
        };
        foreach (var p in parts.Skip(1))
        {
            if (p.Equals("raw", StringComparison.OrdinalIgnoreCase)) { spec = spec with { RowStandardise = false }; continue; }
            var kv = p.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length == 2 && kv[0].Equals("cutoff", StringComparison.OrdinalIgnoreCase) && spec.Kind == WeightsKind.InverseDistance)
                spec = spec with { CutoffKm = Number(kv[1], "cut-off (km)", text) };
            else
                throw new InputException($"--weights '{text}': unknown option '{p}' (allowed: cutoff=KM with inverse-distance, raw)");
        }
        if (spec.Kind == WeightsKind.InverseDistance && !(spec.Power > 0))
            throw new InputException($"--weights '{text}': the power must be > 0");
        if (spec.CutoffKm is { } c && !(c > 0)) throw new InputException($"--weights '{text}': the cut-off must be > 0 km");
        if (spec.Kind == WeightsKind.Band && !(spec.BandKm > 0)) throw new InputException($"--weights '{text}': the band must be > 0 km");
        if (spec.Kind == WeightsKind.Knn && spec.K < 1) throw new InputException($"--weights '{text}': k must be ≥ 1");
        return spec;
    }

    private static double Number(string s, string what, string text) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
            : throw new InputException($"--weights '{text}': {what} '{s}' is not a number");

    private static int Integer(string s, string text) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InputException($"--weights '{text}': k '{s}' is not a whole number");

    /// <summary>A short description, e.g. <c>inverse distance (power 1, cut-off 500 km), row-standardised</c>.</summary>
    public override string ToString()
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string body = Kind switch
        {
            WeightsKind.InverseDistance => $"inverse distance (power {F(Power)}, {(CutoffKm is { } c ? $"cut-off {F(c)} km" : "no cut-off")})",
            WeightsKind.Knn => $"{K} nearest neighbours",
            WeightsKind.Band => $"distance band {F(BandKm)} km",
            _ => $"from {Path.GetFileName(FilePath)}",
        };
        return body + (RowStandardise ? ", row-standardised" : ", not standardised");
    }
}

/// <summary>Great-circle distance on a sphere (haversine formula).</summary>
public static class GreatCircle
{
    /// <summary>Mean Earth radius in km (IUGG R1 = 6371.0088 km), the radius every distance-based weight uses.</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>
    /// d = 2R·asin(min(1, √h)), h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2), with latitudes φ and longitudes λ
    /// in degrees and R = <see cref="EarthRadiusKm"/>.
    /// </summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        double la1 = lat1 * rad, la2 = lat2 * rad, lo1 = lon1 * rad, lo2 = lon2 * rad;
        double s1 = Math.Sin((la2 - la1) / 2), s2 = Math.Sin((lo2 - lo1) / 2);
        double h = s1 * s1 + Math.Cos(la1) * Math.Cos(la2) * (s2 * s2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
