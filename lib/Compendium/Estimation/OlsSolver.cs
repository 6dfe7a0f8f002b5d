namespace Compendium.Estimation;

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
/// <see cref="CollinearityTolerance"/> times its norm before the within transformation (the limited pivoting of LINPACK dqrdc2,
/// as R's lm() does): the first of a collinear set is kept, the later ones are dropped and reported.
/// Normal equations are never formed, so conditioning is that of X, not X'X.
/// </summary>
internal static class OlsSolver
{
    /// <summary>Relative residual norm below which a column counts as collinear with earlier ones (R's lm uses 1e-7).</summary>
    public const double CollinearityTolerance = 1e-7;

    public static OlsSolution Solve(IReadOnlyList<double[]> x, double[] y, IReadOnlyList<double>? referenceNorms = null)
    {
        int n = y.Length, p = x.Count;
        // Work on copies: the demeaned design is cached for re-fits.
        var a = new double[p][];
        Parallel.For(0, p, j => a[j] = (double[])x[j].Clone());
        var qty = (double[])y.Clone();
        var norms = referenceNorms?.ToArray() ?? a.Select(c => Math.Sqrt(Demeaner.Dot(c, c))).ToArray();
        var kept = new List<int>();
        var dropped = new List<int>();
        var rdiag = new List<double>();
        var rcols = new List<double[]>(); // column j of R (length = rank at the time), for kept columns
        int r = 0;
        var vs = new List<(double[] v, double beta, int row)>();
        for (int j = 0; j < p; j++)
        {
            var col = a[j];
            double rem = Math.Sqrt(Demeaner.Dot(col.AsSpan(r), col.AsSpan(r)));
            if (norms[j] == 0 || rem <= CollinearityTolerance * norms[j] || r >= n)
            {
                dropped.Add(j);
                continue;
            }
            // Householder vector for rows r..n−1 of col.
            double alpha = col[r] > 0 ? -rem : rem;
            var v = col; // reuse storage: v lives in rows r.. of col
            double v0 = col[r] - alpha;
            v[r] = v0;
            double vnorm2 = Demeaner.Dot(v.AsSpan(r), v.AsSpan(r));
            double beta = 2.0 / vnorm2;
            var rcol = new double[r + 1];
            for (int i = 0; i < r; i++) rcol[i] = col[i];
            rcol[r] = alpha;
            int row = r;
            // Apply H = I − β v v' to later columns and to y.
            Parallel.For(j + 1, p + 1, new ParallelOptions { MaxDegreeOfParallelism = n > 50_000 ? Environment.ProcessorCount : 1 }, k =>
            {
                var target = k == p ? qty : a[k];
                double s = beta * Demeaner.Dot(v.AsSpan(row), target.AsSpan(row));
                var tv = target.AsSpan(row);
                var vv = v.AsSpan(row);
                for (int i = 0; i < tv.Length; i++) tv[i] -= s * vv[i];
            });
            kept.Add(j);
            rcols.Add(rcol);
            r++;
        }
        int kk = kept.Count;
        // R (kk×kk upper) and β by back substitution.
        var R = new double[kk * kk];
        for (int c = 0; c < kk; c++) for (int i = 0; i <= c; i++) R[i * kk + c] = rcols[c][i];
        var betaHat = new double[kk];
        for (int i = kk - 1; i >= 0; i--)
        {
            double s = qty[i];
            for (int c = i + 1; c < kk; c++) s -= R[i * kk + c] * betaHat[c];
            betaHat[i] = s / R[i * kk + i];
        }
        // (X'X)⁻¹ = R⁻¹ R⁻ᵀ
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
        var resid = Residuals(x, kept, betaHat, y);
        return new OlsSolution(kept.ToArray(), dropped.ToArray(), betaHat, bread, resid);
    }

    public static double[] Residuals(IReadOnlyList<double[]> x, IReadOnlyList<int> kept, double[] beta, double[] y)
    {
        int n = y.Length;
        var e = new double[n];
        int chunks = n > 200_000 ? Environment.ProcessorCount * 4 : 1;
        Parallel.For(0, chunks, c =>
        {
            int i0 = (int)((long)n * c / chunks), i1 = (int)((long)n * (c + 1) / chunks);
            for (int i = i0; i < i1; i++) e[i] = y[i];
            for (int m = 0; m < kept.Count; m++)
            {
                var col = x[kept[m]];
                double b = beta[m];
                for (int i = i0; i < i1; i++) e[i] -= b * col[i];
            }
        });
        return e;
    }
}
