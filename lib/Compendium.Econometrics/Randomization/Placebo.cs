using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Randomization;

/// <summary>How placebo treatments are drawn (see <see cref="Placebo"/>).</summary>
public enum PlaceboScheme
{
    /// <summary>The observed adoption times are permuted across units: as many treated units, the same cohort sizes, other units.</summary>
    Units,
    /// <summary>The treated units stay treated; each gets an adoption time drawn from <see cref="PlaceboOptions.Years"/>.</summary>
    Timing,
    /// <summary>As many units as are treated, drawn at random, each with an adoption time drawn from <see cref="PlaceboOptions.Years"/> (the "random cities and random years" placebo of the applied DID literature).</summary>
    Both,
}

/// <summary>Where placebo adoption times come from in the <see cref="PlaceboScheme.Timing"/> and <see cref="PlaceboScheme.Both"/> schemes.</summary>
public enum PlaceboYears
{
    /// <summary>Uniformly from the periods of the estimation sample except the first (so every placebo-treated unit has a pre-period).</summary>
    SamplePeriods,
    /// <summary>From the observed adoption times of the treated units (their empirical distribution).</summary>
    AdoptionTimes,
}

/// <summary>Settings of <see cref="Placebo"/>.</summary>
/// <param name="Draws">Placebo draws (re-fits).</param>
/// <param name="Seed">Seed of the <see cref="SplitMix64"/> generator: the same seed gives the same draws on any machine.</param>
/// <param name="Scheme">How placebo treatments are drawn.</param>
/// <param name="Years">Where placebo adoption times come from (timing and both schemes).</param>
/// <param name="Fit">Weights and singleton handling of the regression (as <see cref="Feols"/>).</param>
public sealed record PlaceboOptions(int Draws = 500, ulong Seed = 1, PlaceboScheme Scheme = PlaceboScheme.Both,
    PlaceboYears Years = PlaceboYears.SamplePeriods, FeolsOptions? Fit = null);

/// <summary>
/// Randomisation inference for a staggered DID: the treatment is reassigned at random many times, the
/// model is re-fitted each time, and the actual estimate is compared with the distribution of placebo
/// estimates (Fisher 1935; for DID, e.g. Cai, Chen and Fang 2016; Stata <c>ritest</c>, Heß 2017).
/// </summary>
/// <remarks>
/// <para><b>Treatment paths.</b> The treatment must be a 0/1 column that switches on once and stays on
/// (staggered adoption): for each unit, d_it = 1[t ≥ g_i] with adoption time g_i (∞ for never-treated
/// units). Anything else is an <see cref="InputException"/> naming the row.</para>
/// <para><b>Draws.</b> Draw r uses its own <see cref="SplitMix64"/> generator, seeded with the r-th output of
/// SplitMix64(seed), so the draws do not depend on thread scheduling. Units are taken in order of first
/// appearance in the estimation sample. <see cref="PlaceboScheme.Units"/>: a Fisher–Yates permutation of the
/// units' adoption times. <see cref="PlaceboScheme.Timing"/>: each treated unit, in unit order, draws a time from
/// the pool. <see cref="PlaceboScheme.Both"/>: a Fisher–Yates shuffle of the units, the first N₁ (the number of
/// treated units) are treated, each draws a time from the pool in shuffled order.</para>
/// <para><b>Re-fits</b> go through the cached <see cref="DemeanedDesign"/>: only the placebo column is demeaned
/// (<see cref="DemeanedDesign.Transform"/>); the other regressors are partialled out once, so a draw costs one
/// demeaning, a projection, and the variance of one coefficient (Frisch–Waugh–Lovell; exactly the full re-fit's
/// numbers, checked in the tests). With multiway clustering each draw is a full re-fit
/// (<see cref="DemeanedDesign.WithRegressor"/>). A draw whose placebo column is collinear with the fixed effects
/// or the other regressors gives NaN and is left out of the p-values (counted).</para>
/// <para><b>p-values</b> (as <c>ritest</c> counts them, with the actual assignment included):
/// p = (1 + #{r : |T_r| ≥ |T_obs|}) / (1 + R), R the valid draws, for T the t statistic (<see cref="PlaceboResult.PValue"/>)
/// and the estimate (<see cref="PlaceboResult.PValueEstimate"/>); "≥" allows a relative tolerance of 1e-9 so that a
/// draw that reproduces the actual assignment counts as at least as extreme despite rounding.</para>
/// </remarks>
/// <example><code>
/// var p = Placebo.Fit(panel, "resilience ~ treat + fdi | city_code + year", "treat", "city_code", "year",
///                     Vcov.Cluster("city_code"), new PlaceboOptions(Draws: 500, Seed: 1));
/// double pValue = p.PValue;
/// </code></example>
public static class Placebo
{
    /// <summary>Relative tolerance of "at least as extreme".</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Fit the model, then <see cref="PlaceboOptions.Draws"/> placebo re-fits.</summary>
    /// <param name="data">The panel.</param>
    /// <param name="formula">The DID model; <paramref name="treat"/> must be one of its regressors.</param>
    /// <param name="treat">The 0/1 staggered treatment column.</param>
    /// <param name="unit">The unit identifier column (numeric or text).</param>
    /// <param name="time">The time column (numeric).</param>
    /// <param name="vcov">Variance estimator for the t statistics (default iid).</param>
    /// <param name="options">Draws, seed, scheme.</param>
    public static PlaceboResult Fit(ColumnTable data, string formula, string treat, string unit, string time, Vcov? vcov = null, PlaceboOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        options ??= new PlaceboOptions();
        if (options.Draws < 1) throw new InputException($"draws must be at least 1, got {options.Draws}.");
        foreach (var c in new[] { treat, unit, time }) if (!data.HasColumn(c)) throw data.Missing(c);
        if (!data.IsNumeric(time)) throw new InputException($"{data.Source}: time column '{time}' must be numeric.");
        var parsed = Formula.Parse(formula);
        var design = Feols.Prepare(data, parsed, vcov.Variables.Append(unit).Append(time).Distinct(), options.Fit);
        if (!design.RegressorNames.Contains(treat))
            throw new InputException($"'{treat}' is not a regressor of '{formula}'; regressors: {string.Join(", ", design.RegressorNames)}.");
        var actual = design.Fit(vcov);
        var actualCoef = actual.Coefficients.FirstOrDefault(c => c.Name == treat)
            ?? throw new InputException($"'{treat}' was dropped from '{formula}' as collinear; there is nothing to compare placebo draws with.");
        var paths = TreatmentPaths.FromSample(data, design.SampleRows, treat, unit, time);
        var draws = Draw(paths, options);
        int R = options.Draws;
        var est = new double[R];
        var tv = new double[R];
        // One-way clustered, robust and iid variances: the Frisch–Waugh–Lovell re-fit of the one coefficient (exact);
        // multiway clustering: the full re-fit, whose eigenvalue repair acts on the whole matrix.
        Func<double[], (double, double)> refit = vcov.Variables.Length <= 1
            ? design.CoefficientRefit(treat, vcov)
            : values => design.WithRegressor(treat, values).Fit(vcov).Coefficients.FirstOrDefault(x => x.Name == treat) is { } c
                ? (c.Estimate, c.T) : (double.NaN, double.NaN);
        Parallel.For(0, R, r => (est[r], tv[r]) = refit(paths.Column(draws[r])));
        return new PlaceboResult(actual, treat, options.Scheme, options.Years, options.Seed, [.. est], [.. tv],
            PValueOf(actualCoef.T, tv), PValueOf(actualCoef.Estimate, est),
            [.. paths.UnitIds], [.. draws.Select(a => a.ToImmutableArray())]);
    }

    /// <summary>p = (1 + #{|x_r| ≥ |x_obs|(1 − tol)}) / (1 + valid draws); NaN draws ignored.</summary>
    internal static double PValueOf(double actual, IReadOnlyList<double> draws)
    {
        double bar = Math.Abs(actual) * (1 - Tolerance);
        int valid = 0, extreme = 0;
        foreach (var x in draws)
        {
            if (double.IsNaN(x)) continue;
            valid++;
            if (Math.Abs(x) >= bar) extreme++;
        }
        return (1.0 + extreme) / (1.0 + valid);
    }

    private static double[][] Draw(TreatmentPaths paths, PlaceboOptions o)
    {
        var seeds = SplitMix64.StreamSeeds(o.Seed, o.Draws);
        var pool = o.Years == PlaceboYears.SamplePeriods ? paths.Periods.Skip(1).ToArray() : paths.ObservedAdoptions;
        if ((o.Scheme != PlaceboScheme.Units) && pool.Length == 0)
            throw new InputException("the sample has a single period; there are no placebo adoption times to draw.");
        int u = paths.Units, n1 = paths.TreatedUnits;
        var result = new double[o.Draws][];
        for (int r = 0; r < o.Draws; r++)
        {
            var g = new SplitMix64(seeds[r]);
            var a = new double[u];
            switch (o.Scheme)
            {
                case PlaceboScheme.Units:
                    paths.Adoption.CopyTo(a, 0);
                    g.Shuffle(a.AsSpan());
                    break;
                case PlaceboScheme.Timing:
                    for (int i = 0; i < u; i++)
                        a[i] = double.IsPositiveInfinity(paths.Adoption[i]) ? double.PositiveInfinity : pool[(int)g.NextBelow((ulong)pool.Length)];
                    break;
                default:
                    var idx = Enumerable.Range(0, u).ToArray();
                    g.Shuffle(idx.AsSpan());
                    Array.Fill(a, double.PositiveInfinity);
                    for (int k = 0; k < n1; k++) a[idx[k]] = pool[(int)g.NextBelow((ulong)pool.Length)];
                    break;
            }
            result[r] = a;
        }
        return result;
    }
}

/// <summary>A staggered 0/1 treatment as adoption times per unit, over the estimation sample.</summary>
internal sealed class TreatmentPaths
{
    public required double[] Adoption { get; init; }        // per unit, +∞ never treated
    public required int[] UnitOfRow { get; init; }          // per sample row
    public required double[] TimeOfRow { get; init; }       // per sample row
    public required double[] Periods { get; init; }         // distinct, ascending
    public required double[] ObservedAdoptions { get; init; } // of treated units, in unit order
    public required string[] UnitIds { get; init; }
    public int Units => Adoption.Length;
    public int TreatedUnits => ObservedAdoptions.Length;

    /// <summary>The placebo column on the sample rows for adoption times <paramref name="adoption"/>.</summary>
    public double[] Column(double[] adoption)
    {
        var d = new double[UnitOfRow.Length];
        for (int i = 0; i < d.Length; i++) d[i] = TimeOfRow[i] >= adoption[UnitOfRow[i]] ? 1 : 0;
        return d;
    }

    public static TreatmentPaths FromSample(ColumnTable data, IReadOnlyList<int> rows, string treat, string unit, string time)
    {
        var d = data.Numeric(treat);
        var t = data.Numeric(time);
        Func<int, string> key = data.IsNumeric(unit)
            ? (i => data.Numeric(unit)[i].ToString("R", CultureInfo.InvariantCulture))
            : (i => data.Text(unit)[i] ?? "");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var unitOfRow = new int[rows.Count];
        var timeOfRow = new double[rows.Count];
        for (int k = 0; k < rows.Count; k++)
        {
            int i = rows[k];
            var name = key(i);
            if (!index.TryGetValue(name, out int u)) { index[name] = u = names.Count; names.Add(name); }
            unitOfRow[k] = u;
            timeOfRow[k] = t[i];
            if (d[i] != 0 && d[i] != 1)
                throw new InputException($"{data.Source}: row {i + 1}, column '{treat}': the treatment must be 0 or 1 for placebo draws, found {d[i].ToString(CultureInfo.InvariantCulture)}.");
        }
        var adoption = Enumerable.Repeat(double.PositiveInfinity, names.Count).ToArray();
        for (int k = 0; k < rows.Count; k++)
            if (d[rows[k]] == 1) adoption[unitOfRow[k]] = Math.Min(adoption[unitOfRow[k]], timeOfRow[k]);
        for (int k = 0; k < rows.Count; k++)
        {
            int i = rows[k];
            if ((timeOfRow[k] >= adoption[unitOfRow[k]]) != (d[i] == 1))
                throw new InputException($"{data.Source}: row {i + 1}: {unit} {names[unitOfRow[k]]} has {treat} = 0 in {time} {timeOfRow[k].ToString(CultureInfo.InvariantCulture)} " +
                    $"after it was 1 in {adoption[unitOfRow[k]].ToString(CultureInfo.InvariantCulture)}; placebo draws need a staggered treatment that stays on once it starts.");
        }
        return new TreatmentPaths
        {
            Adoption = adoption, UnitOfRow = unitOfRow, TimeOfRow = timeOfRow,
            Periods = [.. timeOfRow.Distinct().Order()],
            ObservedAdoptions = [.. adoption.Where(double.IsFinite)],
            UnitIds = [.. names],
        };
    }
}
