using System.Collections.Immutable;
using System.Globalization;

namespace Compendium.Econometrics.Inference;

/// <summary>
/// Stock–Yogo critical values for the Cragg–Donald Wald F statistic (Stock, J. H. and Yogo, M.
/// (2005), "Testing for weak instruments in linear IV regression", in Andrews and Stock (eds.),
/// <i>Identification and Inference for Econometric Models</i>, Cambridge University Press, 80–108:
/// Table 5.1 (maximal relative bias of 2SLS relative to OLS) and Table 5.2 (maximal size distortion of
/// a nominal 5% Wald test on the 2SLS coefficients)), for n = 1 or 2 endogenous regressors and
/// K2 = 1…30 excluded instruments, at 5% significance of the test of weak instruments.
/// </summary>
/// <remarks>
/// <para>Values as printed with two decimals, transcribed from the table that Stata's ivreg2 (Baum,
/// Schaffer and Stillman 2007) embeds (livreg2, s_cdsy), which reproduces Stock and Yogo's tables;
/// for one endogenous regressor and K2 ≤ 10 they are the widely quoted 16.38/8.96/6.66/5.53 (K2 = 1)
/// … 38.54/20.88/14.78/11.65 (K2 = 10) for size and 9.08 … 11.49 for 10% relative bias.
/// Relative-bias values exist only for K2 ≥ n + 2 (the 2SLS mean exists).</para>
/// <para>The critical values assume i.i.d. errors; ivreg2 and the literature compare the
/// Kleibergen–Paap rk Wald F with them too when errors are not i.i.d., "with caution". Andrews,
/// Stock and Sun (2019) recommend the effective F of Montiel Olea and Pflueger (2013) for that case.</para>
/// </remarks>
public static class StockYogo
{
    /// <summary>Largest number of excluded instruments tabulated here.</summary>
    public const int MaxInstruments = 30;

    // [endogenous − 1][instruments − 1]; NaN = not defined.
    private const double X = double.NaN;
    private static readonly double[][] Size10 =
    [
        [16.38, 19.93, 22.30, 24.58, 26.87, 29.18, 31.50, 33.84, 36.19, 38.54, 40.90, 43.27, 45.64, 48.01, 50.39, 52.77, 55.15, 57.53, 59.92, 62.30, 64.69, 67.07, 69.46, 71.85, 74.24, 76.62, 79.01, 81.40, 83.79, 86.17],
        [X, 7.03, 13.43, 16.87, 19.45, 21.68, 23.72, 25.64, 27.51, 29.32, 31.11, 32.88, 34.62, 36.36, 38.08, 39.80, 41.51, 43.22, 44.92, 46.62, 48.31, 50.01, 51.70, 53.39, 55.07, 56.76, 58.45, 60.13, 61.82, 63.51],
    ];
    private static readonly double[][] Size15 =
    [
        [8.96, 11.59, 12.83, 13.96, 15.09, 16.23, 17.38, 18.54, 19.71, 20.88, 22.06, 23.24, 24.42, 25.61, 26.80, 27.99, 29.19, 30.38, 31.58, 32.77, 33.97, 35.17, 36.37, 37.57, 38.77, 39.97, 41.17, 42.37, 43.57, 44.78],
        [X, 4.58, 8.18, 9.93, 11.22, 12.33, 13.34, 14.31, 15.24, 16.16, 17.06, 17.95, 18.84, 19.72, 20.60, 21.48, 22.35, 23.22, 24.09, 24.96, 25.82, 26.69, 27.56, 28.42, 29.29, 30.15, 31.02, 31.88, 32.74, 33.61],
    ];
    private static readonly double[][] Size20 =
    [
        [6.66, 8.75, 9.54, 10.26, 10.98, 11.72, 12.48, 13.24, 14.01, 14.78, 15.56, 16.35, 17.14, 17.93, 18.72, 19.51, 20.31, 21.10, 21.90, 22.70, 23.50, 24.30, 25.10, 25.90, 26.71, 27.51, 28.31, 29.12, 29.92, 30.72],
        [X, 3.95, 6.40, 7.54, 8.38, 9.10, 9.77, 10.41, 11.03, 11.65, 12.25, 12.86, 13.45, 14.05, 14.65, 15.24, 15.83, 16.42, 17.02, 17.61, 18.20, 18.79, 19.38, 19.97, 20.56, 21.15, 21.74, 22.33, 22.92, 23.51],
    ];
    private static readonly double[][] Size25 =
    [
        [5.53, 7.25, 7.80, 8.31, 8.84, 9.38, 9.93, 10.50, 11.07, 11.65, 12.23, 12.82, 13.41, 14.00, 14.60, 15.19, 15.79, 16.39, 16.99, 17.60, 18.20, 18.80, 19.41, 20.01, 20.61, 21.22, 21.83, 22.43, 23.04, 23.65],
        [X, 3.63, 5.45, 6.28, 6.89, 7.42, 7.91, 8.39, 8.85, 9.31, 9.77, 10.22, 10.68, 11.13, 11.58, 12.03, 12.49, 12.94, 13.39, 13.84, 14.29, 14.74, 15.19, 15.64, 16.10, 16.55, 17.00, 17.45, 17.90, 18.35],
    ];
    private static readonly double[][] Bias5 =
    [
        [X, X, 13.91, 16.85, 18.37, 19.28, 19.86, 20.25, 20.53, 20.74, 20.90, 21.01, 21.10, 21.18, 21.23, 21.28, 21.31, 21.34, 21.36, 21.38, 21.39, 21.40, 21.41, 21.41, 21.42, 21.42, 21.42, 21.42, 21.42, 21.42],
        [X, X, X, 11.04, 13.97, 15.72, 16.88, 17.70, 18.30, 18.76, 19.12, 19.40, 19.64, 19.83, 19.98, 20.12, 20.23, 20.33, 20.41, 20.48, 20.54, 20.60, 20.65, 20.69, 20.73, 20.76, 20.79, 20.82, 20.84, 20.86],
    ];
    private static readonly double[][] Bias10 =
    [
        [X, X, 9.08, 10.27, 10.83, 11.12, 11.29, 11.39, 11.46, 11.49, 11.51, 11.52, 11.52, 11.52, 11.51, 11.50, 11.49, 11.48, 11.46, 11.45, 11.44, 11.42, 11.41, 11.40, 11.38, 11.37, 11.36, 11.34, 11.33, 11.32],
        [X, X, X, 7.56, 8.78, 9.48, 9.92, 10.22, 10.43, 10.58, 10.69, 10.78, 10.84, 10.89, 10.93, 10.96, 10.99, 11.00, 11.02, 11.03, 11.04, 11.05, 11.05, 11.05, 11.06, 11.06, 11.06, 11.05, 11.05, 11.05],
    ];
    private static readonly double[][] Bias20 =
    [
        [X, X, 6.46, 6.71, 6.77, 6.76, 6.73, 6.69, 6.65, 6.61, 6.56, 6.53, 6.49, 6.45, 6.42, 6.39, 6.36, 6.33, 6.31, 6.28, 6.26, 6.24, 6.22, 6.20, 6.18, 6.16, 6.14, 6.13, 6.11, 6.09],
        [X, X, X, 5.57, 5.91, 6.08, 6.16, 6.20, 6.22, 6.23, 6.23, 6.22, 6.21, 6.20, 6.19, 6.17, 6.16, 6.14, 6.13, 6.11, 6.10, 6.08, 6.07, 6.06, 6.05, 6.03, 6.02, 6.01, 6.00, 5.99],
    ];
    private static readonly double[][] Bias30 =
    [
        [X, X, 5.39, 5.34, 5.25, 5.15, 5.07, 4.99, 4.92, 4.86, 4.80, 4.75, 4.71, 4.67, 4.63, 4.59, 4.56, 4.53, 4.51, 4.48, 4.46, 4.43, 4.41, 4.39, 4.37, 4.35, 4.34, 4.32, 4.31, 4.29],
        [X, X, X, 4.73, 4.79, 4.78, 4.76, 4.73, 4.69, 4.66, 4.62, 4.59, 4.56, 4.53, 4.50, 4.48, 4.45, 4.43, 4.41, 4.39, 4.37, 4.35, 4.33, 4.32, 4.30, 4.29, 4.27, 4.26, 4.24, 4.23],
    ];

    /// <summary>The critical values for <paramref name="endogenous"/> (1 or 2) regressors and <paramref name="instruments"/> (1…30) excluded instruments; null outside the table.</summary>
    public static StockYogoCriticalValues? For(int endogenous, int instruments)
    {
        if (endogenous is < 1 or > 2 || instruments < endogenous || instruments > MaxInstruments) return null;
        int a = endogenous - 1, b = instruments - 1;
        return new StockYogoCriticalValues(endogenous, instruments,
            [("10% maximal IV size", Size10[a][b]), ("15% maximal IV size", Size15[a][b]), ("20% maximal IV size", Size20[a][b]), ("25% maximal IV size", Size25[a][b]),
             ("5% maximal IV relative bias", Bias5[a][b]), ("10% maximal IV relative bias", Bias10[a][b]), ("20% maximal IV relative bias", Bias20[a][b]), ("30% maximal IV relative bias", Bias30[a][b])]);
    }
}

/// <summary>Stock–Yogo critical values for one (endogenous, instruments) pair; undefined entries are left out.</summary>
/// <param name="Endogenous">Number of endogenous regressors n.</param>
/// <param name="Instruments">Number of excluded instruments K2.</param>
/// <param name="Values">(criterion, critical value) pairs: 10/15/20/25% maximal size, then 5/10/20/30% maximal relative bias (when defined).</param>
public sealed record StockYogoCriticalValues(int Endogenous, int Instruments, ImmutableArray<(string Criterion, double Value)> Values)
{
    /// <summary>The critical value for a criterion such as "10% maximal IV size"; NaN if not defined.</summary>
    public double this[string criterion] => Values.FirstOrDefault(v => v.Criterion == criterion) is { Criterion: not null } v ? v.Value : double.NaN;

    /// <summary>"Stock–Yogo (2005) critical values (n = 1, K2 = 3): 10% size 22.30; …", for table notes.</summary>
    public string ToNote() =>
        $"Stock–Yogo (2005) critical values for the Cragg–Donald F (n = {Endogenous}, K2 = {Instruments}; i.i.d. errors): " +
        string.Join("; ", Values.Where(v => !double.IsNaN(v.Value)).Select(v => $"{v.Criterion} {v.Value.ToString("F2", CultureInfo.InvariantCulture)}")) + ".";
}
