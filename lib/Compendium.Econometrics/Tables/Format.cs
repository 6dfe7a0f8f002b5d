using System.Globalization;

namespace Compendium.Econometrics.Tables;

/// <summary>Invariant number formatting shared by every table, so all renderings show the same digits.</summary>
public static class Format
{
    /// <summary>
    /// Fixed decimals, invariant culture, ASCII '-' (CSV stays machine-readable); NaN → empty;
    /// a value that rounds to zero prints without a sign ("0.000", not "-0.000").
    /// </summary>
    public static string Number(double v, int digits)
    {
        if (double.IsNaN(v)) return "";
        var s = v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') && s.AsSpan(1).IndexOfAnyExcept("0.") < 0 ? s[1..] : s;
    }
}
