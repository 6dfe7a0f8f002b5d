using System.Runtime.CompilerServices;
using System.Numerics;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Design;

/// <summary>
/// The within transformation for any number of fixed effects: a column x becomes
/// M_D x = x − D(D'WD)⁻D'W x, its residual on the dummies of every fixed effect (weighted when
/// weights are given). Coefficients on the transformed columns equal those of the full dummy
/// regression (Frisch–Waugh–Lovell).
/// </summary>
/// <remarks>
/// Two algorithms, chosen per fixed-effect structure:
/// <list type="bullet">
/// <item><b>Direct (default when it is cheap).</b> The factor with the most levels (e.g. the city) is
/// swept out exactly by group means; the remaining factors (e.g. year, L levels in all) are solved
/// exactly from the L×L Schur complement S = D_r'W M_1 D_r by a semidefinite Cholesky factorisation
/// (pivots below 1e-10 of their diagonal are redundancies and are skipped; the right-hand side lies
/// in the range of S, so any solution gives the same projection). Each column then costs four passes
/// over the data and the answer is exact up to rounding. Used when L ≤ 4,000 and forming S is cheap.</item>
/// <item><b>Conjugate gradient on the Schur complement</b> otherwise (e.g. worker and firm effects, with
/// thousands of firms): the same S, kept sparse, solved by conjugate gradients with a two-level
/// (diagonal + aggregation coarse grid) preconditioner (<see cref="SparseSchur"/>), as reghdfe and
/// pyfixest solve the fixed effects by CG/LSMR instead of alternating projections (Correia 2016;
/// Gaure 2013, Comput. Stat. Data Anal. 66, on why plain alternating projections crawl on weakly
/// connected networks). Convergence: ‖b − Sβ‖ ≤ tolerance·‖b‖ (default <see cref="Tolerance"/>); the model
/// then checks the regression coefficients themselves (<c>DemeanedDesign</c> tightens the tolerance until
/// they move by less than 1e-9 of their size). After <see cref="MaxIterations"/> iterations (or the limit
/// given) an <see cref="InputException"/> names the fixed effects, the iterations and the last residual.</item>
/// </list>
/// Instances are immutable after construction and thread-safe: a placebo loop reuses one to
/// transform a new treatment column.
/// </remarks>
public sealed class Demeaner
{
    /// <summary>Default convergence tolerance of the conjugate-gradient method: relative residual of the Schur system.</summary>
    public const double Tolerance = 1e-10;
    /// <summary>Default largest number of conjugate-gradient iterations per column before the fixed effects are declared not converged.</summary>
    public const int MaxIterations = 10_000;
    /// <summary>Relative residual of a refinement pass (demeaning an already demeaned column removes what the first pass left).</summary>
    internal const double RefinementTolerance = 1e-6;
    /// <summary>Largest number of levels of the non-primary factors for the direct method.</summary>
    public const int MaxDirectLevels = 4_000;

    private readonly Factor[] _factors;     // primary (most levels) first
    private readonly double[]? _w;
    private readonly double[][] _invWeight;  // 1 / Σw per level, per factor
    private readonly int _n;
    // Direct method
    private readonly int[]? _offsets;
    private readonly int[]? _secondary;     // the second factor's codes when there are exactly two factors
    private readonly int _l;
    private readonly double[]? _chol;        // lower triangle, row-major L×L
    private readonly bool[]? _skip;
    // When rows are sorted by the primary factor (panels sorted by unit), its groups are contiguous
    // row ranges [_groupStart[g], _groupStart[g+1]) and the passes over a group are fused in cache.
    private readonly int[]? _groupStart;
    // Iterative method
    private readonly SparseSchur? _sparse;
    private readonly int _maxIterations;

    /// <summary>"direct", "conjugate gradient" or "exact group demeaning", for the notes under a table.</summary>
    public string Method { get; }
    /// <summary>Number of rows this demeaner transforms.</summary>
    public int Observations => _n;
    /// <summary>The factors absorbed, the one with the most levels first.</summary>
    public IReadOnlyList<Factor> Factors => _factors;
    /// <summary>True when the fixed effects are solved iteratively (to a tolerance), false when exactly.</summary>
    public bool IsIterative => _sparse is not null;
    /// <summary>Length of the fixed-effect vector of the Schur system (warm starts of <see cref="Demean(double[], double[], double, double[])"/>).</summary>
    internal int SchurOrder => _l;

    internal Demeaner(IReadOnlyList<Factor> factors, double[]? weights, int observations, bool allowDirect = true, int maxIterations = MaxIterations)
    {
        _maxIterations = maxIterations;
        _factors = factors.OrderByDescending(f => f.Levels).ToArray();
        _w = weights;
        _n = observations;
        _invWeight = new double[_factors.Length][];
        for (int q = 0; q < _factors.Length; q++)
        {
            var sums = new double[_factors[q].Levels];
            var codes = _factors[q].Codes;
            for (int i = 0; i < _n; i++) sums[codes[i]] += _w is null ? 1.0 : _w[i];
            for (int g = 0; g < sums.Length; g++) sums[g] = sums[g] > 0 ? 1.0 / sums[g] : 0.0;
            _invWeight[q] = sums;
        }
        if (_factors.Length > 0) _groupStart = ContiguousGroups(_factors[0]);
        Method = "exact group demeaning";
        if (_factors.Length >= 2)
        {
            _offsets = new int[_factors.Length];
            int acc = 0;
            for (int q = 1; q < _factors.Length; q++) { _offsets[q] = acc; acc += _factors[q].Levels; }
            _l = acc;
            if (_factors.Length == 2) _secondary = _factors[1].Codes;
            if (allowDirect && _l <= MaxDirectLevels && SchurCost() <= 4e8)
            {
                (_chol, _skip) = FactorSchur();
                Method = "direct (exact Schur complement on the smaller factors)";
            }
            else
            {
                var (start, order) = Groups();
                _sparse = new SparseSchur(_factors.Skip(1).Select(f => f.Codes).ToArray(), _offsets[1..], _l, _w, _invWeight[0], start, order);
                Method = "conjugate gradient on the Schur complement (two-level preconditioner)";
            }
        }
    }

    // Rows grouped by the primary factor: its contiguous ranges, or a counting sort.
    private (int[] Start, int[]? Order) Groups()
    {
        if (_groupStart is not null) return (_groupStart, null);
        var p = _factors[0];
        var start = new int[p.Levels + 1];
        foreach (var c in p.Codes) start[c + 1]++;
        for (int g = 0; g < p.Levels; g++) start[g + 1] += start[g];
        var order = new int[_n];
        var fill = (int[])start.Clone();
        for (int i = 0; i < _n; i++) order[fill[p.Codes[i]]++] = i;
        return (start, order);
    }

    private static int[]? ContiguousGroups(Factor f)
    {
        var c = f.Codes;
        for (int i = 1; i < c.Length; i++) if (c[i] < c[i - 1]) return null;
        var start = new int[f.Levels + 1];
        foreach (var g in c) start[g + 1]++;
        for (int g = 0; g < f.Levels; g++) start[g + 1] += start[g];
        return start;
    }

    /// <summary>Demean each column of <paramref name="columns"/> into the same position of <paramref name="results"/> (in parallel over columns).</summary>
    public void Demean(IReadOnlyList<double[]> columns, IReadOnlyList<double[]> results) =>
        Demean(columns, results, Tolerance, null);

    /// <summary>
    /// <see cref="Demean(IReadOnlyList{double[]}, IReadOnlyList{double[]})"/> to a given tolerance of the iterative
    /// method, warm-started from (and updating) <paramref name="effects"/>[j] when given.
    /// </summary>
    internal void Demean(IReadOnlyList<double[]> columns, IReadOnlyList<double[]> results, double tolerance, double[][]? effects)
    {
        if ((long)_n * columns.Count < 200_000 && !IsIterative)
        {
            for (int j = 0; j < columns.Count; j++) Demean(columns[j], results[j], tolerance, effects?[j]);
            return;
        }
        try
        {
            Parallel.For(0, columns.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                j => Demean(columns[j], results[j], tolerance, effects?[j]));
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x => x is InputException) is { } input)
        {
            // a column that did not converge: one clear message, not a wrapped stack trace
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(input);
        }
    }

    /// <summary>Write M_D x into <paramref name="result"/> (may be the same array as <paramref name="x"/>).</summary>
    public void Demean(double[] x, double[] result) => Demean(x, result, Tolerance, null);

    /// <summary>
    /// Write M_D x into <paramref name="result"/>; the iterative method stops at relative residual
    /// <paramref name="tolerance"/>, starting from <paramref name="effects"/> (length <see cref="SchurOrder"/>, updated) when given.
    /// </summary>
    internal void Demean(double[] x, double[] result, double tolerance, double[]? effects)
    {
        if (x.Length != _n || result.Length != _n) throw new ArgumentException("column length differs from the estimation sample");
        switch (_factors.Length)
        {
            case 0: if (!ReferenceEquals(x, result)) Array.Copy(x, result, _n); return;
            case 1:
                if (_groupStart is not null) FusedGroupDemean(x, result, null);
                else SweepFactor(0, x, result, new double[_factors[0].Levels]);
                return;
        }
        DirectDemean(x, result, tolerance, effects);
    }

    // Solve S β = b for the non-primary effects: exactly (dense Cholesky) or by conjugate gradients; β overwrites b.
    private void SolveSchur(double[] x, double[] b, double tolerance, double[]? effects)
    {
        if (_sparse is null) { CholeskySolve(_chol!, _skip!, _l, b); return; }
        var beta = effects ?? new double[_l];
        var (iterations, residual, converged) = _sparse.Solve(b, beta, tolerance, _maxIterations, RoundingFloor(x));
        if (!converged)
            throw new InputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"fixed effects {string.Join(" + ", _factors.Select(f => $"{f.Name} ({f.Levels} levels)"))}: the within transformation did not converge in {iterations} conjugate-gradient iterations (last relative residual {residual:G3}, tolerance {tolerance:G3}); the fixed effects may be very weakly connected. Raise the iteration limit (fit --fixef-maxiter, FeolsOptions.MaxIterations) or simplify the fixed effects."));
        Array.Copy(beta, b, _l);
    }

    // The rounding level of b = D_r'W M₁x: 1e-13 × ‖Σ|w (x − x̄_g)|‖ per level. A column that is already demeaned
    // (a refinement pass) has b at this level, in no useful direction: the solver stops there instead of
    // chasing rounding noise, which need not even lie in the range of S.
    private double RoundingFloor(double[] x)
    {
        var pc = _factors[0].Codes;
        var mean = new double[_factors[0].Levels];
        for (int i = 0; i < _n; i++) mean[pc[i]] += (_w is null ? 1.0 : _w[i]) * x[i];
        for (int g = 0; g < mean.Length; g++) mean[g] *= _invWeight[0][g];
        var abs = new double[_l];
        for (int i = 0; i < _n; i++)
        {
            double r = Math.Abs((_w is null ? 1.0 : _w[i]) * (x[i] - mean[pc[i]]));
            for (int q = 1; q < _factors.Length; q++) abs[_offsets![q] + _factors[q].Codes[i]] += r;
        }
        return 1e-13 * Math.Sqrt(Vectors.Dot(abs, abs));
    }

    // result = x − group mean of x by factor q (weighted).
    private void SweepFactor(int q, double[] x, double[] result, double[] sums)
    {
        var codes = _factors[q].Codes;
        var inv = _invWeight[q];
        Array.Clear(sums);
        if (_w is null) for (int i = 0; i < _n; i++) sums[codes[i]] += x[i];
        else for (int i = 0; i < _n; i++) sums[codes[i]] += _w[i] * x[i];
        for (int g = 0; g < sums.Length; g++) sums[g] *= inv[g];
        for (int i = 0; i < _n; i++) result[i] = x[i] - sums[codes[i]];
    }

    // ---------------- direct method ----------------

    private double SchurCost()
    {
        var counts = new int[_factors[0].Levels];
        if (_groupStart is not null) for (int g = 0; g < counts.Length; g++) counts[g] = _groupStart[g + 1] - _groupStart[g];
        else foreach (var c in _factors[0].Codes) counts[c]++;
        double cost = 0;
        int q1 = _factors.Length - 1;
        foreach (var m in counts) { double t = Math.Min((double)m * q1, _l); cost += t * t; }
        return cost + (double)_l * _l * _l / 3;
    }

    private (double[], bool[]) FactorSchur()
    {
        int l = _l, qn = _factors.Length;
        var p = _factors[0];
        var (start, order) = Groups();

        // The partition depends on the problem only, never on the machine's cores, so that the partial sums
        // are added in the same order everywhere (same bytes out on any machine); small problems run inline.
        int parts = Math.Clamp(p.Levels / SchurPartLevels, 1, 8);
        var partial = new double[parts][];
        if (parts == 1) Part(0);
        else Parallel.For(0, parts, Part);
        var S = partial[0];
        for (int part = 1; part < parts; part++)
        {
            var s = partial[part];
            for (int k = 0; k < S.Length; k++) S[k] += s[k];
        }
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) S[j * l + i] = S[i * l + j];
        return SemidefiniteCholesky(S, l);

        void Part(int part)
        {
            var s = new double[l * l];
            var vec = new double[l];
            var touched = new int[l];
            int g0 = (int)((long)p.Levels * part / parts), g1 = (int)((long)p.Levels * (part + 1) / parts);
            for (int g = g0; g < g1; g++)
            {
                int nt = 0;
                for (int k = start[g]; k < start[g + 1]; k++)
                {
                    int i = order is null ? k : order[k];
                    double wi = _w is null ? 1.0 : _w[i];
                    for (int q = 1; q < qn; q++)
                    {
                        int a = _offsets![q] + _factors[q].Codes[i];
                        if (vec[a] == 0) touched[nt++] = a;
                        vec[a] += wi;
                        // D_r'W D_r: the row's own cross products (upper triangle only).
                        for (int r = 1; r < qn; r++)
                        {
                            int b2 = _offsets[r] + _factors[r].Codes[i];
                            if (a <= b2) s[a * l + b2] += wi;
                        }
                    }
                }
                double inv = _invWeight[0][g];
                // upper triangle only; for a large S, sorted indices write each row left to right
                if (l > 128) Array.Sort(touched, 0, nt);
                for (int u = 0; u < nt; u++)
                {
                    int a = touched[u];
                    double va = vec[a] * inv;
                    for (int v = u; v < nt; v++)
                    {
                        int b = touched[v];
                        s[a <= b ? a * l + b : b * l + a] -= va * vec[b];
                    }
                }
                for (int u = 0; u < nt; u++) vec[touched[u]] = 0;
            }
            partial[part] = s;
        }
    }

    /// <summary>Levels of the first factor per part of the parallel Schur complement (<see cref="FactorSchur"/>).</summary>
    private const int SchurPartLevels = 2048;

    /// <summary>
    /// In-place lower Cholesky of a PSD matrix, skipping pivots that are ≤ 1e-10 of their diagonal (redundant
    /// directions). Envelope (profile) form: row i of L is zero left of the first non-zero of row i of the
    /// matrix, so every product starts there. A Schur complement on cities with province × year effects is
    /// block-diagonal by province (its rows sorted by code): the factorisation then costs the blocks, not L³/6.
    /// </summary>
    internal static (double[], bool[]) SemidefiniteCholesky(double[] a, int l)
    {
        var skip = new bool[l];
        var diag = new double[l];
        var first = new int[l];
        for (int j = 0; j < l; j++)
        {
            diag[j] = a[j * l + j];
            int k = 0;
            while (k < j && a[j * l + k] == 0) k++;
            first[j] = k;
        }
        for (int j = 0; j < l; j++)
        {
            int fj = first[j];
            double d = a[j * l + j] - Vectors.Dot(a.AsSpan(j * l + fj, j - fj), a.AsSpan(j * l + fj, j - fj));
            if (d <= 1e-10 * Math.Abs(diag[j]) || d <= 0)
            {
                skip[j] = true;
                for (int i = j; i < l; i++) a[i * l + j] = 0;
                continue;
            }
            double ljj = Math.Sqrt(d);
            a[j * l + j] = ljj;
            for (int i = j + 1; i < l; i++)
            {
                if (first[i] > j) continue;   // outside row i's envelope: zero in the matrix and in L
                int k0 = Math.Max(first[i], fj);
                a[i * l + j] = (a[i * l + j] - Vectors.Dot(a.AsSpan(i * l + k0, j - k0), a.AsSpan(j * l + k0, j - k0))) / ljj;
            }
        }
        // zero the strict upper triangle so rows are clean for the solves
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) a[i * l + j] = 0;
        return (a, skip);
    }

    internal static void CholeskySolve(double[] chol, bool[] skip, int l, double[] b)
    {
        for (int j = 0; j < l; j++)
        {
            if (skip[j]) { b[j] = 0; continue; }
            b[j] = (b[j] - Vectors.Dot(chol.AsSpan(j * l, j), b.AsSpan(0, j))) / chol[j * l + j];
        }
        for (int j = l - 1; j >= 0; j--)
        {
            if (skip[j]) { b[j] = 0; continue; }
            double s = b[j];
            for (int i = j + 1; i < l; i++) s -= chol[i * l + j] * b[i];
            b[j] = s / chol[j * l + j];
        }
    }

    // The exact method for two or more factors: partial the primary factor out of x, gather the residuals by the
    // other factors' levels (b), solve the Schur system for their effects, subtract them, partial the primary out again.
    private void DirectDemean(double[] x, double[] result, double tolerance, double[]? effects)
    {
        var b = new double[_l];
        var inv0 = _invWeight[0];
        if (_groupStart is not null)
        {
            // Rows grouped by the primary factor: two memory passes instead of four.
            var start = _groupStart;
            for (int g = 0; g < start.Length - 1; g++)
            {
                int s = start[g], e = start[g + 1];
                double sum = 0;
                for (int i = s; i < e; i++) sum += _w is null ? x[i] : _w[i] * x[i];
                double mean = sum * inv0[g];
                for (int i = s; i < e; i++) AddToEffects(b, i, _w is null ? x[i] - mean : _w[i] * (x[i] - mean));
            }
            SolveSchur(x, b, tolerance, effects);
            FusedGroupDemean(x, result, b);
            return;
        }
        var pc = _factors[0].Codes;
        var a = new double[_factors[0].Levels];
        PrimaryMeans(x, a);
        for (int i = 0; i < _n; i++) AddToEffects(b, i, _w is null ? x[i] - a[pc[i]] : _w[i] * (x[i] - a[pc[i]]));
        SolveSchur(x, b, tolerance, effects);
        for (int i = 0; i < _n; i++) result[i] = MinusEffects(b, i, x[i]);
        PrimaryMeans(result, a);
        for (int i = 0; i < _n; i++) result[i] -= a[pc[i]];
    }

    // a = (weighted) means of v by the primary factor's levels.
    private void PrimaryMeans(double[] v, double[] a)
    {
        var pc = _factors[0].Codes;
        var inv0 = _invWeight[0];
        Array.Clear(a);
        if (_w is null) for (int i = 0; i < _n; i++) a[pc[i]] += v[i];
        else for (int i = 0; i < _n; i++) a[pc[i]] += _w[i] * v[i];
        for (int g = 0; g < a.Length; g++) a[g] *= inv0[g];
    }

    // b[level of row i in every non-primary factor] += r (the Schur system's right-hand side).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddToEffects(double[] b, int i, double r)
    {
        if (_secondary is not null) { b[_secondary[i]] += r; return; }
        for (int q = 1; q < _factors.Length; q++) b[_offsets![q] + _factors[q].Codes[i]] += r;
    }

    // z minus the non-primary factors' effects at row i, subtracted one factor after the other.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double MinusEffects(double[] b, int i, double z)
    {
        if (_secondary is not null) return z - b[_secondary[i]];
        for (int q = 1; q < _factors.Length; q++) z -= b[_offsets![q] + _factors[q].Codes[i]];
        return z;
    }

    // result = z − group mean of z by the (contiguous) primary factor, z = x minus the other factors' effects b (or x).
    private void FusedGroupDemean(double[] x, double[] result, double[]? b)
    {
        var inv0 = _invWeight[0];
        var start = _groupStart!;
        int groups = start.Length - 1;
        for (int g = 0; g < groups; g++)
        {
            int s = start[g], e = start[g + 1];
            double sum = 0;
            for (int i = s; i < e; i++)
            {
                double z = b is null ? x[i] : MinusEffects(b, i, x[i]);
                result[i] = z;
                sum += _w is null ? z : _w[i] * z;
            }
            double mean = sum * inv0[g];
            for (int i = s; i < e; i++) result[i] -= mean;
        }
    }
}
