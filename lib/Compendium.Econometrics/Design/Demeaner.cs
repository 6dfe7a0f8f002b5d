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
/// <item><b>Alternating projections</b> otherwise (e.g. worker and firm effects): sweep the group
/// means of each factor in turn (Gaure 2013, "OLS with multiple high dimensional category
/// variables", Comput. Stat. Data Anal. 66), accelerated by the Irons–Tuck (1969) extrapolation as in
/// fixest (Bergé 2018) and reghdfe (Correia 2016). Convergence: the largest change of one accelerated
/// double sweep is at most <see cref="Tolerance"/> × max(1, max|x|); at most <see cref="MaxIterations"/> iterations,
/// after which an <see cref="InputException"/> says that the fixed effects did not converge.</item>
/// </list>
/// Instances are immutable after construction and thread-safe: a placebo loop reuses one to
/// transform a new treatment column.
/// </remarks>
public sealed class Demeaner
{
    /// <summary>Convergence tolerance of alternating projections (relative to max(1, max|x|)).</summary>
    public const double Tolerance = 1e-10;
    /// <summary>Largest number of alternating-projection iterations before the fixed effects are declared not converged.</summary>
    public const int MaxIterations = 10_000;
    /// <summary>Largest number of levels of the non-primary factors for the direct method.</summary>
    public const int MaxDirectLevels = 4_000;

    private readonly Factor[] _factors;     // primary (most levels) first
    private readonly double[]? _w;
    private readonly double[][] _invWeight;  // 1 / Σw per level, per factor
    private readonly int _n;
    // Direct method
    private readonly int[]? _offsets;
    private readonly int _l;
    private readonly double[]? _chol;        // lower triangle, row-major L×L
    private readonly bool[]? _skip;
    // When rows are sorted by the primary factor (panels sorted by unit), its groups are contiguous
    // row ranges [_groupStart[g], _groupStart[g+1]) and the passes over a group are fused in cache.
    private readonly int[]? _groupStart;

    /// <summary>"direct" or "alternating projections", for the notes under a table.</summary>
    public string Method { get; }
    /// <summary>Number of rows this demeaner transforms.</summary>
    public int Observations => _n;
    /// <summary>The factors absorbed, the one with the most levels first.</summary>
    public IReadOnlyList<Factor> Factors => _factors;

    internal Demeaner(IReadOnlyList<Factor> factors, double[]? weights, int observations, bool allowDirect = true)
    {
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
        Method = _factors.Length <= 1 ? "exact group demeaning" : "alternating projections (Irons–Tuck accelerated)";
        if (_factors.Length >= 2)
        {
            _offsets = new int[_factors.Length];
            int acc = 0;
            for (int q = 1; q < _factors.Length; q++) { _offsets[q] = acc; acc += _factors[q].Levels; }
            _l = acc;
            if (allowDirect && _l <= MaxDirectLevels && SchurCost() <= 4e8)
            {
                (_chol, _skip) = FactorSchur();
                Method = "direct (exact Schur complement on the smaller factors)";
            }
        }
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
    public void Demean(IReadOnlyList<double[]> columns, IReadOnlyList<double[]> results)
    {
        if ((long)_n * columns.Count < 200_000) { for (int j = 0; j < columns.Count; j++) Demean(columns[j], results[j]); return; }
        try
        {
            Parallel.For(0, columns.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                j => Demean(columns[j], results[j]));
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<InputException>().FirstOrDefault() is { } input)
        {
            // A column that does not converge is an input error, not a crash of the parallel loop.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(input).Throw();
        }
    }

    /// <summary>Write M_D x into <paramref name="result"/> (may be the same array as <paramref name="x"/>).</summary>
    public void Demean(double[] x, double[] result)
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
        if (_chol is not null) DirectDemean(x, result);
        else AlternatingProjections(x, result);
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
        int l = _l, n = _n, qn = _factors.Length;
        var p = _factors[0];
        // Group rows by the primary factor (counting sort, unless they already are).
        int[] start, order;
        if (_groupStart is not null) { start = _groupStart; order = []; }
        else
        {
            start = new int[p.Levels + 1];
            foreach (var c in p.Codes) start[c + 1]++;
            for (int g = 0; g < p.Levels; g++) start[g + 1] += start[g];
            order = new int[n];
            var fill = (int[])start.Clone();
            for (int i = 0; i < n; i++) order[fill[p.Codes[i]]++] = i;
        }
        bool sorted = _groupStart is not null;

        int parts = Math.Min(Environment.ProcessorCount, Math.Max(1, p.Levels / 64));
        var partial = new double[parts][];
        Parallel.For(0, parts, part =>
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
                    int i = sorted ? k : order[k];
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
        });
        var S = partial[0];
        for (int part = 1; part < parts; part++)
        {
            var s = partial[part];
            for (int k = 0; k < S.Length; k++) S[k] += s[k];
        }
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) S[j * l + i] = S[i * l + j];
        return SemidefiniteCholesky(S, l);
    }

    /// <summary>In-place lower Cholesky of a PSD matrix, skipping pivots that are ≤ 1e-10 of their diagonal (redundant directions).</summary>
    internal static (double[], bool[]) SemidefiniteCholesky(double[] a, int l)
    {
        var skip = new bool[l];
        var diag = new double[l];
        for (int j = 0; j < l; j++) diag[j] = a[j * l + j];
        for (int j = 0; j < l; j++)
        {
            var rowJ = a.AsSpan(j * l, j);
            double d = a[j * l + j] - Vectors.Dot(rowJ, rowJ);
            if (d <= 1e-10 * Math.Abs(diag[j]) || d <= 0)
            {
                skip[j] = true;
                for (int i = j; i < l; i++) a[i * l + j] = 0;
                continue;
            }
            double ljj = Math.Sqrt(d);
            a[j * l + j] = ljj;
            for (int i = j + 1; i < l; i++)
                a[i * l + j] = (a[i * l + j] - Vectors.Dot(a.AsSpan(i * l, j), rowJ)) / ljj;
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

    private void DirectDemean(double[] x, double[] result)
    {
        if (_groupStart is not null) { FusedDirectDemean(x, result); return; }
        var p = _factors[0];
        var pc = p.Codes;
        var a = new double[p.Levels];
        var inv0 = _invWeight[0];
        if (_w is null) for (int i = 0; i < _n; i++) a[pc[i]] += x[i];
        else for (int i = 0; i < _n; i++) a[pc[i]] += _w[i] * x[i];
        for (int g = 0; g < a.Length; g++) a[g] *= inv0[g];
        var b = new double[_l];
        int qn = _factors.Length;
        if (qn == 2)
        {
            var c1 = _factors[1].Codes;
            if (_w is null) for (int i = 0; i < _n; i++) b[c1[i]] += x[i] - a[pc[i]];
            else for (int i = 0; i < _n; i++) b[c1[i]] += _w[i] * (x[i] - a[pc[i]]);
        }
        else
            for (int i = 0; i < _n; i++)
            {
                double r = (_w is null ? 1.0 : _w[i]) * (x[i] - a[pc[i]]);
                for (int q = 1; q < qn; q++) b[_offsets![q] + _factors[q].Codes[i]] += r;
            }
        CholeskySolve(_chol!, _skip!, _l, b);
        Array.Clear(a);
        if (qn == 2)
        {
            var c1 = _factors[1].Codes;
            for (int i = 0; i < _n; i++) result[i] = x[i] - b[c1[i]];
        }
        else
            for (int i = 0; i < _n; i++)
            {
                double z = x[i];
                for (int q = 1; q < qn; q++) z -= b[_offsets![q] + _factors[q].Codes[i]];
                result[i] = z;
            }
        if (_w is null) for (int i = 0; i < _n; i++) a[pc[i]] += result[i];
        else for (int i = 0; i < _n; i++) a[pc[i]] += _w[i] * result[i];
        for (int g = 0; g < a.Length; g++) a[g] *= inv0[g];
        for (int i = 0; i < _n; i++) result[i] -= a[pc[i]];
    }

    // Rows grouped by the primary factor: two memory passes instead of four.
    private void FusedDirectDemean(double[] x, double[] result)
    {
        if (_factors.Length > 2) { FusedDirectDemeanMany(x, result); return; }
        var c1 = _factors[1].Codes;
        var inv0 = _invWeight[0];
        var start = _groupStart!;
        var b = new double[_l];
        int groups = start.Length - 1;
        for (int g = 0; g < groups; g++)
        {
            int s = start[g], e = start[g + 1];
            double sum = 0;
            if (_w is null)
            {
                for (int i = s; i < e; i++) sum += x[i];
                double mean = sum * inv0[g];
                for (int i = s; i < e; i++) b[c1[i]] += x[i] - mean;
            }
            else
            {
                for (int i = s; i < e; i++) sum += _w[i] * x[i];
                double mean = sum * inv0[g];
                for (int i = s; i < e; i++) b[c1[i]] += _w[i] * (x[i] - mean);
            }
        }
        CholeskySolve(_chol!, _skip!, _l, b);
        FusedGroupDemean(x, result, b);
    }

    private void FusedDirectDemeanMany(double[] x, double[] result)
    {
        var inv0 = _invWeight[0];
        var start = _groupStart!;
        var b = new double[_l];
        int groups = start.Length - 1, qn = _factors.Length;
        for (int g = 0; g < groups; g++)
        {
            int s = start[g], e = start[g + 1];
            double sum = 0;
            for (int i = s; i < e; i++) sum += (_w is null ? 1.0 : _w[i]) * x[i];
            double mean = sum * inv0[g];
            for (int i = s; i < e; i++)
            {
                double r = (_w is null ? 1.0 : _w[i]) * (x[i] - mean);
                for (int q = 1; q < qn; q++) b[_offsets![q] + _factors[q].Codes[i]] += r;
            }
        }
        CholeskySolve(_chol!, _skip!, _l, b);
        for (int g = 0; g < groups; g++)
        {
            int s = start[g], e = start[g + 1];
            double sum = 0;
            for (int i = s; i < e; i++)
            {
                double z = x[i];
                for (int q = 1; q < qn; q++) z -= b[_offsets![q] + _factors[q].Codes[i]];
                result[i] = z;
                sum += _w is null ? z : _w[i] * z;
            }
            double mean = sum * inv0[g];
            for (int i = s; i < e; i++) result[i] -= mean;
        }
    }

    // result = z − group mean of z by the (contiguous) primary factor, z = x − b[secondary code] (or x).
    private void FusedGroupDemean(double[] x, double[] result, double[]? b)
    {
        var inv0 = _invWeight[0];
        var start = _groupStart!;
        var c1 = b is null ? null : _factors[1].Codes;
        int groups = start.Length - 1;
        for (int g = 0; g < groups; g++)
        {
            int s = start[g], e = start[g + 1];
            double sum = 0;
            for (int i = s; i < e; i++)
            {
                double z = c1 is null ? x[i] : x[i] - b![c1[i]];
                result[i] = z;
                sum += _w is null ? z : _w[i] * z;
            }
            double mean = sum * inv0[g];
            for (int i = s; i < e; i++) result[i] -= mean;
        }
    }

    // ---------------- alternating projections ----------------

    private void Sweep(double[] x, double[] result, double[][] sums)
    {
        SweepFactor(0, x, result, sums[0]);
        for (int q = 1; q < _factors.Length; q++) SweepFactor(q, result, result, sums[q]);
    }

    private void AlternatingProjections(double[] x, double[] result)
    {
        var sums = _factors.Select(f => new double[f.Levels]).ToArray();
        var x0 = (double[])x.Clone();
        var x1 = new double[_n];
        var x2 = new double[_n];
        double scale = 1;
        foreach (var v in x) scale = Math.Max(scale, Math.Abs(v));
        for (int iter = 0; iter < MaxIterations; iter++)
        {
            Sweep(x0, x1, sums);
            Sweep(x1, x2, sums);
            double maxChange = 0, num = 0, den = 0;
            for (int i = 0; i < _n; i++)
            {
                double d1 = x2[i] - x1[i];
                double d2 = d1 - x1[i] + x0[i];
                if (Math.Abs(d1) > maxChange) maxChange = Math.Abs(d1);
                num += d1 * d2; den += d2 * d2;
            }
            if (maxChange <= Tolerance * scale) { Array.Copy(x2, result, _n); return; }
            // Irons–Tuck: extrapolate along the last step (an affine combination of x1 and x2,
            // so the iterate stays in x + span(D)).
            double alpha = den > 0 ? num / den : 0;
            for (int i = 0; i < _n; i++) x0[i] = x2[i] - alpha * (x2[i] - x1[i]);
        }
        throw new InputException($"fixed effects ({string.Join(", ", _factors.Select(f => f.Name))}): the within transformation did not converge in {MaxIterations} iterations (tolerance {Tolerance}); the fixed effects may be nearly collinear or very unbalanced.");
    }
}
