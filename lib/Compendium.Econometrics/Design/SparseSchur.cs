using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Design;

/// <summary>
/// The Schur complement S = D_r'W M₁ D_r of the non-primary fixed effects (D_r: their dummies, M₁: the
/// within transformation of the primary factor) as a sparse symmetric matrix, and a preconditioned
/// conjugate-gradient solver for S β = b. For two fixed effects S is a weighted graph Laplacian on the
/// levels of the second factor (firms linked by the workers they share), singular with the constants of
/// each connected set in its null space; b = D_r'W M₁ x lies in its range, so CG converges to a solution
/// and every solution gives the same within transformation.
/// </summary>
/// <remarks>
/// Preconditioner: two-level additive, M⁻¹ = diag(S)⁻¹ + P (P'SP)⁺ P', with P the piecewise-constant
/// interpolation from aggregates of strongly connected levels (unsmoothed aggregation, as in algebraic
/// multigrid: Vaněk, Mandel and Brezina 1996, Computing 56; strength |s_ab| ≥ 0.25 max_c |s_ac|), the
/// coarse matrix factorised once by a semidefinite Cholesky. The Jacobi part removes the local error, the
/// coarse solve the slow, smooth modes that make alternating projections crawl on weakly linked networks
/// (e.g. regions joined by a few movers): on the 10⁶-row worker × firm chain CG needs ~60
/// iterations where alternating projections need ~10⁵ sweeps. Without a useful coarse level (more than
/// <see cref="MaxCoarse"/> aggregates) it is plain Jacobi-preconditioned CG.
/// Immutable after construction; <see cref="Solve"/> is thread-safe.
/// </remarks>
internal sealed class SparseSchur
{
    /// <summary>Largest coarse problem factorised densely.</summary>
    internal const int MaxCoarse = 3000;
    private const double Strength = 0.25;

    private readonly int _l;
    private readonly int[] _rowPtr, _col;
    private readonly double[] _val, _invDiag;
    private readonly int[]? _agg;
    private readonly int _nc;
    private readonly double[]? _coarse;
    private readonly bool[]? _coarseSkip;

    /// <summary>Levels of the non-primary factors (the order of S).</summary>
    public int Order => _l;
    /// <summary>Stored entries of S.</summary>
    public long NonZeros => _val.Length;
    /// <summary>Aggregates of the coarse level (0 without one).</summary>
    public int CoarseSize => _nc;

    /// <param name="secondary">Codes of the other factors, each offset by <paramref name="offsets"/> into 0..l−1.</param>
    /// <param name="offsets">Offset of each secondary factor.</param>
    /// <param name="l">Total levels of the secondary factors.</param>
    /// <param name="w">Weights or null.</param>
    /// <param name="invWeight0">1/Σw of each primary level.</param>
    /// <param name="start">Start of each primary group in <paramref name="order"/> (length levels + 1).</param>
    /// <param name="order">Rows grouped by the primary factor, or null when they already are (row k is the k-th).</param>
    internal SparseSchur(int[][] secondary, int[] offsets, int l, double[]? w, double[] invWeight0, int[] start, int[]? order)
    {
        _l = l;
        int groups = start.Length - 1, ns = secondary.Length;
        int Row(int k) => order is null ? k : order[k];
        // Per primary group: the secondary levels it touches and their weight (G×L, sparse).
        var gaPtr = new int[groups + 1];
        var gaIdx = new int[(long)start[groups] * ns > int.MaxValue ? throw new InputException("too many fixed-effect entries") : start[groups] * ns];
        var gaVal = new double[gaIdx.Length];
        {
            var acc = new double[l];
            var seen = new bool[l];
            int pos = 0;
            for (int g = 0; g < groups; g++)
            {
                int first = pos;
                for (int k = start[g]; k < start[g + 1]; k++)
                {
                    int i = Row(k);
                    double wi = w is null ? 1.0 : w[i];
                    for (int r = 0; r < ns; r++)
                    {
                        int a = offsets[r] + secondary[r][i];
                        if (!seen[a]) { seen[a] = true; gaIdx[pos++] = a; }
                        acc[a] += wi;
                    }
                }
                for (int u = first; u < pos; u++) { int a = gaIdx[u]; gaVal[u] = acc[a]; acc[a] = 0; seen[a] = false; }
                gaPtr[g + 1] = pos;
            }
        }
        // Transpose: for each secondary level, the groups that touch it.
        var agPtr = new int[l + 1];
        for (int u = 0; u < gaPtr[groups]; u++) agPtr[gaIdx[u] + 1]++;
        for (int a = 0; a < l; a++) agPtr[a + 1] += agPtr[a];
        var agGroup = new int[gaPtr[groups]];
        var agVal = new double[gaPtr[groups]];
        {
            var fill = (int[])agPtr.Clone();
            for (int g = 0; g < groups; g++)
                for (int u = gaPtr[g]; u < gaPtr[g + 1]; u++) { int a = gaIdx[u]; agGroup[fill[a]] = g; agVal[fill[a]++] = gaVal[u]; }
        }
        // With more than one secondary factor, D_r'WD_r has cross terms between them: row lists per level.
        int[]? laPtr = null, laRow = null;
        if (ns > 1)
        {
            laPtr = new int[l + 1];
            for (int k = 0; k < start[groups]; k++) { int i = Row(k); for (int r = 0; r < ns; r++) laPtr[offsets[r] + secondary[r][i] + 1]++; }
            for (int a = 0; a < l; a++) laPtr[a + 1] += laPtr[a];
            laRow = new int[laPtr[l]];
            var fill = (int[])laPtr.Clone();
            for (int k = 0; k < start[groups]; k++) { int i = Row(k); for (int r = 0; r < ns; r++) laRow[fill[offsets[r] + secondary[r][i]]++] = i; }
        }
        // Rows of S, in parallel blocks: s_ab = [D_r'WD_r]_ab − Σ_g c_ga c_gb / Σ_g w.
        int blocks = Math.Max(1, Math.Min(l, Environment.ProcessorCount * 8));
        var bIdx = new int[blocks][]; var bVal = new double[blocks][]; var bLen = new int[blocks][];
        Parallel.For(0, blocks, blk =>
        {
            int a0 = (int)((long)l * blk / blocks), a1 = (int)((long)l * (blk + 1) / blocks);
            var acc = new double[l]; var seen = new bool[l]; var touched = new int[l];
            var idx = new List<int>(); var val = new List<double>(); var len = new int[a1 - a0];
            for (int a = a0; a < a1; a++)
            {
                int nt = 0;
                void Add(int b, double v) { if (!seen[b]) { seen[b] = true; touched[nt++] = b; } acc[b] += v; }
                if (laPtr is null) { double d = 0; for (int u = agPtr[a]; u < agPtr[a + 1]; u++) d += agVal[u]; Add(a, d); }
                else
                    for (int u = laPtr[a]; u < laPtr[a + 1]; u++)
                    {
                        int i = laRow![u]; double wi = w is null ? 1.0 : w[i];
                        for (int r = 0; r < ns; r++) Add(offsets[r] + secondary[r][i], wi);
                    }
                for (int u = agPtr[a]; u < agPtr[a + 1]; u++)
                {
                    int g = agGroup[u]; double f = agVal[u] * invWeight0[g];
                    for (int v = gaPtr[g]; v < gaPtr[g + 1]; v++) Add(gaIdx[v], -f * gaVal[v]);
                }
                Array.Sort(touched, 0, nt);
                for (int u = 0; u < nt; u++) { int b = touched[u]; idx.Add(b); val.Add(acc[b]); acc[b] = 0; seen[b] = false; }
                len[a - a0] = nt;
            }
            bIdx[blk] = idx.ToArray(); bVal[blk] = val.ToArray(); bLen[blk] = len;
        });
        _rowPtr = new int[l + 1];
        _col = new int[bIdx.Sum(b => b.Length)];
        _val = new double[_col.Length];
        for (int blk = 0, row = 0, pos = 0; blk < blocks; blk++)
        {
            Array.Copy(bIdx[blk], 0, _col, pos, bIdx[blk].Length);
            Array.Copy(bVal[blk], 0, _val, pos, bVal[blk].Length);
            pos += bIdx[blk].Length;
            foreach (var len in bLen[blk]) { _rowPtr[row + 1] = _rowPtr[row] + len; row++; }
        }
        _invDiag = new double[l];
        for (int a = 0; a < l; a++)
        {
            double d = 0, off = 0;
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++) if (_col[k] == a) d = _val[k]; else off += Math.Abs(_val[k]);
            // a level absorbed by the primary factor (its row is ~0) takes no part
            _invDiag[a] = d > 1e-12 * (d + off) && d > 0 ? 1.0 / d : 0;
        }
        (_agg, _nc, _coarse, _coarseSkip) = Coarsen();
    }

    private (int[]?, int, double[]?, bool[]?) Coarsen()
    {
        var agg = new int[_l];
        Array.Fill(agg, -1);
        var strongest = new double[_l];
        for (int a = 0; a < _l; a++)
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++) if (_col[k] != a) strongest[a] = Math.Max(strongest[a], Math.Abs(_val[k]));
        bool Strong(int a, int k) => _col[k] != a && Math.Abs(_val[k]) >= Strength * strongest[a] && strongest[a] > 0;
        int nc = 0;
        // pass 1: a level whose strong neighbours are all free starts an aggregate with them
        for (int a = 0; a < _l; a++)
        {
            if (agg[a] >= 0 || _invDiag[a] == 0) continue;
            bool free = true;
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1] && free; k++) if (Strong(a, k) && agg[_col[k]] >= 0) free = false;
            if (!free) continue;
            agg[a] = nc;
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++) if (Strong(a, k)) agg[_col[k]] = nc;
            nc++;
        }
        // pass 2: the rest join the aggregate of their strongest aggregated neighbour, or stand alone
        for (int a = 0; a < _l; a++)
        {
            if (agg[a] >= 0) continue;
            int best = -1; double bv = 0;
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++)
            {
                int b = _col[k];
                if (b != a && agg[b] >= 0 && Math.Abs(_val[k]) > bv) { bv = Math.Abs(_val[k]); best = agg[b]; }
            }
            agg[a] = best >= 0 ? best : nc++;
        }
        if (nc > MaxCoarse || nc >= _l) return (null, 0, null, null);
        var ac = new double[nc * nc];
        for (int a = 0; a < _l; a++)
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++) ac[agg[a] * nc + agg[_col[k]]] += _val[k];
        var (chol, skip) = Demeaner.SemidefiniteCholesky(ac, nc);
        return (agg, nc, chol, skip);
    }

    private void Multiply(double[] x, double[] y)
    {
        for (int a = 0; a < _l; a++)
        {
            double s = 0;
            for (int k = _rowPtr[a]; k < _rowPtr[a + 1]; k++) s += _val[k] * x[_col[k]];
            y[a] = s;
        }
    }

    private void Precondition(double[] r, double[] z, double[] coarse)
    {
        for (int a = 0; a < _l; a++) z[a] = r[a] * _invDiag[a];
        if (_agg is null) return;
        Array.Clear(coarse);
        for (int a = 0; a < _l; a++) coarse[_agg[a]] += r[a];
        Demeaner.CholeskySolve(_coarse!, _coarseSkip!, _nc, coarse);
        for (int a = 0; a < _l; a++) z[a] += coarse[_agg[a]];
    }

    /// <summary>
    /// Solve S β = b by preconditioned conjugate gradients, starting from <paramref name="beta"/> (updated in
    /// place), until ‖b − Sβ‖ ≤ max(<paramref name="tolerance"/>·‖b‖, <paramref name="floor"/>) (the floor: the
    /// rounding level of b) or <paramref name="maxIterations"/>.
    /// </summary>
    /// <returns>Iterations used, the final relative residual, and whether the tolerance was met.</returns>
    internal (int Iterations, double Residual, bool Converged) Solve(double[] b, double[] beta, double tolerance, int maxIterations, double floor = 0)
    {
        double bn = Math.Sqrt(Vectors.Dot(b, b));
        if (bn <= floor) { Array.Clear(beta); return (0, 0, true); }
        tolerance = Math.Max(tolerance, floor / bn);
        var r = new double[_l]; var z = new double[_l]; var p = new double[_l]; var q = new double[_l];
        var coarse = new double[Math.Max(_nc, 1)];
        Multiply(beta, q);
        for (int a = 0; a < _l; a++) r[a] = b[a] - q[a];
        double rel = Math.Sqrt(Vectors.Dot(r, r)) / bn;
        if (rel <= tolerance) return (0, rel, true);
        Precondition(r, z, coarse);
        Array.Copy(z, p, _l);
        double rz = Vectors.Dot(r, z);
        for (int it = 1; it <= maxIterations; it++)
        {
            Multiply(p, q);
            double pq = Vectors.Dot(p, q);
            if (!(pq > 0)) return (it, rel, rel <= tolerance);   // exact in the range: nothing left to reduce
            double alpha = rz / pq;
            Vectors.Axpy(alpha, p, beta);
            Vectors.Axpy(-alpha, q, r);
            rel = Math.Sqrt(Vectors.Dot(r, r)) / bn;
            if (rel <= tolerance) return (it, rel, true);
            Precondition(r, z, coarse);
            double rz2 = Vectors.Dot(r, z);
            double step = rz2 / rz;
            rz = rz2;
            for (int a = 0; a < _l; a++) p[a] = z[a] + step * p[a];
        }
        return (maxIterations, rel, false);
    }
}
