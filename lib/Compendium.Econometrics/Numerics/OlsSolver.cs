namespace Compendium.Econometrics.Numerics;

/// <summary>The least-squares solution on (already demeaned, weight-scaled) columns.</summary>
/// <param name="Kept">Indices (into the candidate columns) of the regressors kept, in order.</param>
/// <param name="Dropped">Indices of the regressors dropped as collinear.</param>
/// <param name="Beta">Coefficients of the kept regressors.</param>
/// <param name="Bread">(X'X)⁻¹ of the kept regressors, row-major k×k.</param>
/// <param name="Residuals">y − Xβ on the transformed scale (multiplied by √w when weighted).</param>
internal sealed record OlsSolution(int[] Kept, int[] Dropped, double[] Beta, double[] Bread, double[] Residuals)
{
    public int K => Kept.Length;
}

/// <summary>
/// Least squares by Householder QR, taking the columns in their formula order and setting aside a
/// column whose norm, after removing the fixed effects and the columns already accepted, is below
/// <see cref="CollinearityTolerance"/> times its norm before the within transformation (the limited
/// pivoting of LINPACK dqrdc2, as R's lm() does): the first of a collinear set is kept, the later
/// ones are dropped and reported. Normal equations are never formed, so conditioning is that of X.
/// </summary>
/// <remarks>
/// Tall data are first reduced by a one-level TSQR (Demmel et al. 2012, "Communication-optimal parallel
/// and sequential QR and LU factorizations", SIAM J. Sci. Comput. 34): [X y] is split into blocks of
/// <see cref="BlockRows"/> rows, each block is factorised in cache (in parallel) and the stacked
/// triangular factors are factorised again. The R factor equals that of the direct QR up to the signs
/// of its rows, so β, (X'X)⁻¹ and the collinearity decisions are the same, at one pass over the data.
/// </remarks>
internal static class OlsSolver
{
    /// <summary>Relative residual norm below which a column counts as collinear with earlier ones (R's lm uses 1e-7).</summary>
    public const double CollinearityTolerance = 1e-7;
    public const int BlockRows = 4096;

    public static OlsSolution Solve(IReadOnlyList<double[]> x, double[] y, IReadOnlyList<double>? referenceNorms = null)
    {
        int n = y.Length, p = x.Count;
        var norms = referenceNorms?.ToArray() ?? x.Select(c => Math.Sqrt(Vectors.Dot(c, c))).ToArray();
        double[][] a;
        double[] qty;
        if (n > 4 * BlockRows) (a, qty) = ReduceBlocks(x, y);
        else { a = x.Select(c => (double[])c.Clone()).ToArray(); qty = (double[])y.Clone(); }
        int rows = qty.Length;

        var kept = new List<int>();
        var dropped = new List<int>();
        var rcols = new List<double[]>();
        int r = 0;
        for (int j = 0; j < p; j++)
        {
            var col = a[j];
            double rem = r < rows ? Math.Sqrt(Vectors.Dot(col.AsSpan(r), col.AsSpan(r))) : 0;
            if (norms[j] == 0 || rem <= CollinearityTolerance * norms[j]) { dropped.Add(j); continue; }
            var rcol = new double[r + 1];
            for (int i = 0; i < r; i++) rcol[i] = col[i];
            rcol[r] = Reflect(col, r, rows, a, j + 1, p, qty);
            kept.Add(j);
            rcols.Add(rcol);
            r++;
        }
        int kk = kept.Count;
        var R = new double[kk * kk];
        for (int c = 0; c < kk; c++) for (int i = 0; i <= c; i++) R[i * kk + c] = rcols[c][i];
        var beta = new double[kk];
        for (int i = kk - 1; i >= 0; i--)
        {
            double s = qty[i];
            for (int c = i + 1; c < kk; c++) s -= R[i * kk + c] * beta[c];
            beta[i] = s / R[i * kk + i];
        }
        var resid = Residuals(x, kept, beta, y);
        return new OlsSolution(kept.ToArray(), dropped.ToArray(), beta, Bread(R, kk), resid);
    }

    // Householder reflection that zeroes col[r+1..rows) and is applied to columns a[from..to) and to y;
    // returns the new diagonal entry R[r, r].
    private static double Reflect(double[] col, int r, int rows, double[][] a, int from, int to, double[] y)
    {
        double norm = Math.Sqrt(Vectors.Dot(col.AsSpan(r, rows - r), col.AsSpan(r, rows - r)));
        if (norm == 0) return 0;
        double alpha = col[r] > 0 ? -norm : norm;
        col[r] -= alpha;
        var v = col.AsSpan(r, rows - r);
        double beta = 2.0 / Vectors.Dot(v, v);
        for (int k = from; k <= to; k++)
        {
            var t = (k == to ? y : a[k]).AsSpan(r, rows - r);
            Vectors.Axpy(-beta * Vectors.Dot(v, t), v, t);
        }
        return alpha;
    }

    // One level of TSQR: each block of rows of [X y] becomes its (p+1)×(p+1) triangular factor.
    private static (double[][], double[]) ReduceBlocks(IReadOnlyList<double[]> x, double[] y)
    {
        int n = y.Length, p = x.Count, m = p + 1;
        int blocks = (n + BlockRows - 1) / BlockRows;
        var stacked = new double[m][];
        for (int c = 0; c < m; c++) stacked[c] = new double[blocks * m];
        Parallel.For(0, blocks, () => Enumerable.Range(0, m).Select(_ => new double[BlockRows]).ToArray(), (b, _, buf) =>
        {
            int i0 = b * BlockRows, rows = Math.Min(BlockRows, n - i0);
            for (int c = 0; c < p; c++) Array.Copy(x[c], i0, buf[c], 0, rows);
            Array.Copy(y, i0, buf[p], 0, rows);
            for (int j = 0; j < Math.Min(m, rows); j++)
            {
                var col = buf[j];
                double diag = Reflect(col, j, rows, buf, j + 1, p, buf[p]);
                // R entries of column j: rows 0..j−1 untouched since, row j = diag.
                for (int i = 0; i < j; i++) stacked[j][b * m + i] = col[i];
                stacked[j][b * m + j] = diag;
            }
            // a block shorter than p + 1 rows: the remaining columns are upper trapezoidal as they stand
            for (int j = rows; j < p; j++)
                for (int i = 0; i < rows; i++) stacked[j][b * m + i] = buf[j][i];
            // the y column (index p): its first min(m, rows) entries are Q'y of the block
            for (int i = 0; i < Math.Min(m, rows); i++) stacked[p][b * m + i] = buf[p][i];
            return buf;
        }, _ => { });
        var ys = stacked[p];
        return (stacked.Take(p).ToArray(), ys);
    }

    private static double[] Bread(double[] R, int kk)
    {
        var rinv = new double[kk * kk];
        for (int c = 0; c < kk; c++)
        {
            rinv[c * kk + c] = 1.0 / R[c * kk + c];
            for (int i = c - 1; i >= 0; i--)
            {
                double s = 0;
                for (int m = i + 1; m <= c; m++) s += R[i * kk + m] * rinv[m * kk + c];
                rinv[i * kk + c] = -s / R[i * kk + i];
            }
        }
        var bread = new double[kk * kk];
        for (int i = 0; i < kk; i++)
            for (int c = i; c < kk; c++)
            {
                double s = 0;
                for (int m = c; m < kk; m++) s += rinv[i * kk + m] * rinv[c * kk + m];
                bread[i * kk + c] = s; bread[c * kk + i] = s;
            }
        return bread;
    }

    public static double[] Residuals(IReadOnlyList<double[]> x, IReadOnlyList<int> kept, double[] beta, double[] y)
    {
        int n = y.Length;
        var e = new double[n];
        int chunks = n > 200_000 ? Environment.ProcessorCount * 4 : 1;
        // One chunk runs inline: Parallel.For waits for its replica task even when there is nothing to share,
        // which costs milliseconds when the thread pool is busy (e.g. inside a parallel placebo loop).
        if (chunks == 1) Chunk(0);
        else Parallel.For(0, chunks, Chunk);
        return e;

        void Chunk(int c)
        {
            int i0 = (int)((long)n * c / chunks), i1 = (int)((long)n * (c + 1) / chunks);
            Array.Copy(y, i0, e, i0, i1 - i0);
            for (int m = 0; m < kept.Count; m++)
            {
                var col = x[kept[m]];
                double b = beta[m];
                for (int i = i0; i < i1; i++) e[i] -= b * col[i];
            }
        }
    }
}
