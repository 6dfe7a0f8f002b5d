using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Spatial;

/// <summary>The alternative hypothesis of a Moran test (spdep's <c>alternative</c>).</summary>
public enum MoranAlternative
{
    /// <summary>Positive autocorrelation: p = P(Z ≥ z) (spdep's default for the global test).</summary>
    Greater,
    /// <summary>Negative autocorrelation: p = P(Z ≤ z).</summary>
    Less,
    /// <summary>p = 2 P(Z ≥ |z|) (spdep's default for local Moran).</summary>
    TwoSided,
}

/// <summary>
/// Global Moran's I of one cross-section with its moments under normality and under randomisation
/// (Cliff &amp; Ord 1981), as spdep's <c>moran.test</c>.
/// </summary>
/// <param name="Label">What the cross-section is (e.g. the year), or empty.</param>
/// <param name="I">I = (n/S0) · z′Wz / z′z, z = x − x̄.</param>
/// <param name="Expected">E[I] = −1/(n − 1).</param>
/// <param name="VarianceNormal">Var[I] under normality: (n²S1 − nS2 + 3S0²)/(S0²(n² − 1)) − E[I]².</param>
/// <param name="ZNormal">(I − E[I])/√VarianceNormal.</param>
/// <param name="PNormal">p-value of <see cref="ZNormal"/> for <see cref="Alternative"/>.</param>
/// <param name="VarianceRandomisation">Var[I] under randomisation, with the sample kurtosis b2 = n Σz⁴/(Σz²)²:
/// [n((n² − 3n + 3)S1 − nS2 + 3S0²) − b2((n² − n)S1 − 2nS2 + 6S0²)]/((n − 1)(n − 2)(n − 3)S0²) − E[I]².</param>
/// <param name="ZRandomisation">(I − E[I])/√VarianceRandomisation.</param>
/// <param name="PRandomisation">p-value of <see cref="ZRandomisation"/>.</param>
/// <param name="Alternative">The alternative of the p-values.</param>
/// <param name="N">Number of units.</param>
/// <param name="PermutationP">Permutation p-value ((#{I_perm ≥ I} + 1)/(draws + 1) for "greater", as spdep's
/// <c>moran.mc</c>), or NaN when not computed.</param>
/// <param name="PermutationDraws">Number of permutations (0 when not computed).</param>
public sealed record MoranTest(string Label, double I, double Expected, double VarianceNormal, double ZNormal, double PNormal,
    double VarianceRandomisation, double ZRandomisation, double PRandomisation, MoranAlternative Alternative, int N,
    double PermutationP = double.NaN, int PermutationDraws = 0);

/// <summary>Local Moran statistic of one unit (Anselin 1995), as spdep's <c>localmoran</c> with its defaults.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Ii">I_i = (z_i/m2) Σ_j w_ij z_j, m2 = Σz²/n.</param>
/// <param name="Expected">E[I_i] = −z_i² w_i· / ((n − 1) m2) (conditional on z_i).</param>
/// <param name="Variance">Var[I_i] = (z_i/m2)² · n/(n − 2) · (Σ_j w_ij² − w_i·²/(n − 1)) · (m2 − z_i²/(n − 1)).</param>
/// <param name="Z">(I_i − E[I_i])/√Var[I_i].</param>
/// <param name="P">p-value (two-sided by default).</param>
/// <param name="Quadrant">Position in the Moran scatter: x_i above or below the mean, and (Wx)_i above or below its mean.</param>
public sealed record LocalMoran(string Unit, double Ii, double Expected, double Variance, double Z, double P, MoranQuadrant Quadrant)
{
    /// <summary>The LISA cluster at level <paramref name="alpha"/>: the quadrant if P &lt; alpha, else <see cref="MoranQuadrant.NotSignificant"/>.</summary>
    public MoranQuadrant Cluster(double alpha = 0.05) => P < alpha ? Quadrant : MoranQuadrant.NotSignificant;
}

/// <summary>Quadrants of the Moran scatter plot (spdep's "mean" quadrants), and not significant for LISA maps.</summary>
public enum MoranQuadrant
{
    /// <summary>Below the mean, neighbours below theirs.</summary>
    LowLow = 1,
    /// <summary>Above the mean, neighbours below.</summary>
    HighLow = 2,
    /// <summary>Below the mean, neighbours above.</summary>
    LowHigh = 3,
    /// <summary>Above the mean, neighbours above.</summary>
    HighHigh = 4,
    /// <summary>Local statistic not significant at the chosen level.</summary>
    NotSignificant = 0,
}

/// <summary>Moran's I: global test (analytical moments and permutations), local statistics, and by period on a panel.</summary>
public static class Moran
{
    /// <summary>The global test of <paramref name="x"/> (one value per unit of <paramref name="w"/>, in its order).</summary>
    public static MoranTest Test(ReadOnlySpan<double> x, SpatialWeights w, MoranAlternative alternative = MoranAlternative.Greater, string label = "")
    {
        int n = w.Count;
        if (x.Length != n) throw new ArgumentException($"Moran's I: {x.Length} values for {n} units");
        var z = Centre(x, out _);
        var (s0, s1, s2) = w.MoranConstants();
        double I = Statistic(z, w, s0);
        double zz = 0, z4 = 0;
        foreach (var v in z) { zz += v * v; z4 += v * v * v * v; }
        double k = n * z4 / (zz * zz);
        double nn = (double)n * n, e = -1.0 / (n - 1), s02 = s0 * s0;
        double vn = (nn * s1 - n * s2 + 3 * s02) / (s02 * (nn - 1)) - e * e;
        double vr = n * (s1 * (nn - 3.0 * n + 3) - n * s2 + 3 * s02);
        double tmp = k * (s1 * (nn - n) - 2.0 * n * s2 + 6 * s02);
        vr = (vr - tmp) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s02) - e * e;
        double zn = (I - e) / Math.Sqrt(vn), zr = (I - e) / Math.Sqrt(vr);
        return new MoranTest(label, I, e, vn, zn, P(zn, alternative), vr, zr, P(zr, alternative), alternative, n);
    }

    /// <summary>
    /// The global test with a permutation p-value: <paramref name="draws"/> random permutations of x over the units
    /// (<see cref="SplitMix64.Shuffle{T}"/> seeded by <paramref name="seed"/>; the same seed gives the same p on
    /// every machine), p = (#{I_perm ≥ I} + 1)/(draws + 1) for "greater" (≤ for "less"; two-sided: twice the smaller tail, at most 1).
    /// </summary>
    public static MoranTest Permutation(ReadOnlySpan<double> x, SpatialWeights w, int draws, ulong seed,
        MoranAlternative alternative = MoranAlternative.Greater, string label = "")
    {
        if (draws < 1) throw new InputException("Moran permutation test: the number of permutations must be ≥ 1.");
        var t = Test(x, w, alternative, label);
        var z = Centre(x, out _);
        var (s0, _, _) = w.MoranConstants();
        var rng = new SplitMix64(seed);
        int ge = 0, le = 0;
        var perm = (double[])z.Clone();
        for (int d = 0; d < draws; d++)
        {
            rng.Shuffle<double>(perm);
            double ip = Statistic(perm, w, s0);
            if (ip >= t.I) ge++;
            if (ip <= t.I) le++;
        }
        double pg = (ge + 1.0) / (draws + 1), pl = (le + 1.0) / (draws + 1);
        double p = alternative switch
        {
            MoranAlternative.Greater => pg,
            MoranAlternative.Less => pl,
            _ => Math.Min(1, 2 * Math.Min(pg, pl)),
        };
        return t with { PermutationP = p, PermutationDraws = draws };
    }

    /// <summary>Local Moran statistics of every unit (spdep <c>localmoran</c>: conditional moments, m2 = Σz²/n).</summary>
    public static ImmutableArray<LocalMoran> Local(ReadOnlySpan<double> x, SpatialWeights w, MoranAlternative alternative = MoranAlternative.TwoSided)
    {
        int n = w.Count;
        if (x.Length != n) throw new ArgumentException($"local Moran: {x.Length} values for {n} units");
        var z = Centre(x, out double mean);
        var lz = w.Lag(z);
        var lx = w.Lag(x);
        double lxMean = 0; foreach (var v in lx) lxMean += v; lxMean /= n;
        double m2 = 0; foreach (var v in z) m2 += v * v; m2 /= n;
        var res = ImmutableArray.CreateBuilder<LocalMoran>(n);
        for (int i = 0; i < n; i++)
        {
            double wi = 0, wi2 = 0;
            foreach (var (_, v) in w.Row(i)) { wi += v; wi2 += v * v; }
            double ii = z[i] / m2 * lz[i];
            double e = -(z[i] * z[i] * wi) / ((n - 1) * m2);
            double var = (z[i] / m2) * (z[i] / m2) * (n / (n - 2.0)) * (wi2 - wi * wi / (n - 1)) * (m2 - z[i] * z[i] / (n - 1));
            double zs = (ii - e) / Math.Sqrt(var);
            bool hx = x[i] > mean, hl = lx[i] > lxMean;
            var q = (hx, hl) switch { (false, false) => MoranQuadrant.LowLow, (true, false) => MoranQuadrant.HighLow, (false, true) => MoranQuadrant.LowHigh, _ => MoranQuadrant.HighHigh };
            res.Add(new LocalMoran(w.Units[i], ii, e, var, zs, P(zs, alternative), q));
        }
        return res.MoveToImmutable();
    }

    /// <summary>
    /// Moran's I of <paramref name="variable"/> in every period of a panel (<paramref name="unit"/> × <paramref name="time"/>),
    /// in ascending order of time (<paramref name="time"/> null: one cross-section). Each period must hold every unit of
    /// <paramref name="w"/> once with a value.
    /// </summary>
    public static ImmutableArray<MoranTest> ByPeriod(ColumnTable data, string variable, string unit, string? time, SpatialWeights w,
        MoranAlternative alternative = MoranAlternative.Greater, int permutations = 0, ulong seed = 20260112)
    {
        var panel = SpatialPanel.Arrange(data, [variable], unit, time, w);
        var x = panel.Columns[0];
        var res = ImmutableArray.CreateBuilder<MoranTest>(panel.T);
        for (int t = 0; t < panel.T; t++)
        {
            var slice = x.AsSpan(t * panel.N, panel.N);
            res.Add(permutations > 0
                ? Permutation(slice, panel.Weights, permutations, seed + (ulong)t, alternative, panel.Periods[t])
                : Test(slice, panel.Weights, alternative, panel.Periods[t]));
        }
        return res.MoveToImmutable();
    }

    /// <summary>Moran's I by period as a table: I, E[I], z and p under normality and under randomisation (and the permutation p when computed).</summary>
    public static Table ToTable(IReadOnlyList<MoranTest> tests, string variable, string weights, string id = "moran", string? title = null)
    {
        bool perm = tests.Any(t => t.PermutationDraws > 0);
        string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        var rows = tests.Select(m => new TableRow([m.Label, F(m.I, "0.0000"), F(m.Expected, "0.0000"), F(m.ZNormal, "0.00"), F(m.PNormal, "0.0000"),
            F(m.ZRandomisation, "0.00"), F(m.PRandomisation, "0.0000"), .. perm ? [F(m.PermutationP, "0.0000")] : Array.Empty<string>()]));
        string[] header = ["Period", "Moran's I", "E[I]", "z (normality)", "p", "z (randomisation)", "p", .. perm ? ["p (permutation)"] : Array.Empty<string>()];
        var alt = tests.Count > 0 ? AlternativeName(tests[0].Alternative) : "greater";
        return new Table(id, title ?? $"Moran's I of {variable} by period", header, rows,
        [
            $"W: {weights}. E[I] = −1/(n − 1); variances under normality and under randomisation (Cliff & Ord 1981), as spdep's moran.test; p-values {alt}.",
        ]);
    }

    /// <summary>greater, less or two-sided.</summary>
    public static string AlternativeName(MoranAlternative a) => a switch
    {
        MoranAlternative.Greater => "greater",
        MoranAlternative.Less => "less",
        _ => "two-sided",
    };

    private static double Statistic(ReadOnlySpan<double> z, SpatialWeights w, double s0)
    {
        double num = 0, zz = 0;
        for (int i = 0; i < z.Length; i++)
        {
            var cols = w.RowColumns(i); var vals = w.RowWeights(i);
            double l = 0;
            for (int p = 0; p < cols.Length; p++) l += vals[p] * z[cols[p]];
            num += z[i] * l; zz += z[i] * z[i];
        }
        return z.Length / s0 * num / zz;
    }

    private static double[] Centre(ReadOnlySpan<double> x, out double mean)
    {
        double m = 0;
        foreach (var v in x)
        {
            if (double.IsNaN(v)) throw new InputException("Moran's I: a value is missing; every unit needs a value.");
            m += v;
        }
        m /= x.Length; mean = m;
        var z = new double[x.Length];
        for (int i = 0; i < z.Length; i++) z[i] = x[i] - m;
        return z;
    }

    /// <summary>Normal tail probability for the alternative (erfc, accurate far in the tail, as R's pnorm).</summary>
    internal static double P(double z, MoranAlternative a) => a switch
    {
        MoranAlternative.Greater => Upper(z),
        MoranAlternative.Less => Upper(-z),
        _ => 2 * Upper(Math.Abs(z)),
    };

    private static double Upper(double z) => double.IsNaN(z) ? double.NaN : 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2));
}
