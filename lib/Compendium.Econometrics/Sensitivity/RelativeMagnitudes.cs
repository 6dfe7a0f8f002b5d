using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Sensitivity;

/// <summary>Rambachan &amp; Roth (2023) relative-magnitude bounds with the conditional least-favourable hybrid test.</summary>
internal static class RelativeMagnitudes
{
    private static readonly MatrixBuilder<double> Mb = Matrix<double>.Build;
    private static readonly VectorBuilder<double> Vb = Vector<double>.Build;

    public sealed record Result(double Lower, double Upper, double[] Grid, bool[] Accept);

    public static Result ConditionalLfHybrid(double[] betahat, double[,] sigma, int numPre, int numPost, double[] lvec,
        double mbar, double alpha = 0.05, int gridPoints = 1000, double? gridLb = null, double? gridUb = null)
    {
        var S = Mb.DenseOfArray(sigma);
        var l = Vb.DenseOfArray(lvec);
        double sdTheta = Math.Sqrt(l * S.SubMatrix(numPre, numPost, numPre, numPost) * l);
        double ub = gridUb ?? 20 * sdTheta, lb = gridLb ?? -20 * sdTheta;
        var grid = Seq(lb, ub, gridPoints);
        var accept = new bool[gridPoints];
        double kappa = alpha / 10;
        for (int s = -(numPre - 1); s <= 0; s++)
        {
            foreach (bool maxPositive in new[] { true, false })
            {
                var a = CreateA(numPre, numPost, mbar, s, maxPositive);
                var acc = numPost == 1
                    ? NoNuisanceGrid(betahat, S, a, numPre, numPost, l, alpha, kappa, grid)
                    : NuisanceGrid(betahat, S, a, numPre, numPost, l, alpha, kappa, grid);
                for (int g = 0; g < gridPoints; g++) accept[g] |= acc[g];
            }
        }
        double lo = double.NaN, hi = double.NaN;
        for (int g = 0; g < gridPoints; g++)
        {
            if (!accept[g]) continue;
            if (double.IsNaN(lo)) lo = grid[g];
            hi = grid[g];
        }
        return new Result(lo, hi, grid, accept);
    }

    /// <summary>R's seq(from, to, length.out = n).</summary>
    public static double[] Seq(double from, double to, int n)
    {
        var g = new double[n];
        double by = (to - from) / (n - 1);
        for (int i = 0; i < n; i++) g[i] = from + i * by;
        if (n > 1) g[n - 1] = to;
        return g;
    }

    /// <summary>HonestDiD's .create_A_RM (dropZero = TRUE): rows A with A δ ≤ 0.</summary>
    public static Matrix<double> CreateA(int numPre, int numPost, double mbar, int s, bool maxPositive)
    {
        int T = numPre + numPost;
        var atilde = Mb.Dense(T, T + 1);
        for (int r = 0; r < T; r++) { atilde[r, r] = -1; atilde[r, r + 1] = 1; }
        var v = Vb.Dense(T + 1);
        v[numPre + s - 1] = -1; v[numPre + s] = 1;
        if (!maxPositive) v = -v;
        var aub = Mb.Dense(T, T + 1);
        for (int r = 0; r < T; r++) aub.SetRow(r, r < numPre ? v : mbar * v);
        var a = atilde - aub;
        var b = -atilde - aub;
        var rows = new List<Vector<double>>();
        for (int r = 0; r < T; r++) if (a.Row(r) * a.Row(r) > 1e-10) rows.Add(a.Row(r));
        for (int r = 0; r < T; r++) if (b.Row(r) * b.Row(r) > 1e-10) rows.Add(b.Row(r));
        var m = Mb.DenseOfRowVectors(rows);
        return m.RemoveColumn(numPre);
    }

    private static bool[] NuisanceGrid(double[] betahat, Matrix<double> S, Matrix<double> a, int numPre, int numPost,
        Vector<double> l, double alpha, double kappa, double[] grid)
    {
        var beta = Vb.DenseOfArray(betahat);
        var gamma = ConstructGamma(l);
        var aGammaInv = a.SubMatrix(0, a.RowCount, numPre, numPost) * gamma.Inverse();
        var one = aGammaInv.Column(0);
        var xt = aGammaInv.SubMatrix(0, a.RowCount, 1, numPost - 1);
        var y = a * beta;
        var sigmaY = a * S * a.Transpose();
        // postPeriodMomentsOnly: rows of A involving a post-period coefficient
        var rows = new List<int>();
        for (int r = 0; r < a.RowCount; r++)
        {
            bool any = false;
            for (int c = numPre; c < a.ColumnCount; c++) if (a[r, c] != 0) any = true;
            if (any) rows.Add(r);
        }
        var xArp = Mb.DenseOfRowVectors(rows.Select(r => xt.Row(r)));
        var sArp = Mb.Dense(rows.Count, rows.Count, (i, j) => sigmaY[rows[i], rows[j]]);
        var yFull = y;
        double lfCv = Arp.LeastFavorableCv(xArp, sArp, kappa);
        var acc = new bool[grid.Length];
        for (int g = 0; g < grid.Length; g++)
        {
            var yt = yFull - one * grid[g];
            var yArp = Vb.Dense(rows.Count, i => yt[rows[i]]);
            acc[g] = !Arp.ConditionalTestLf(yArp, xArp, sArp, alpha, kappa, lfCv);
        }
        return acc;
    }

    // one post-period: HonestDiD's .APR_computeCI_NoNuis with .testInIdentifiedSet_LF_Hybrid
    private static bool[] NoNuisanceGrid(double[] betahat, Matrix<double> S, Matrix<double> a, int numPre, int numPost,
        Vector<double> l, double alpha, double kappa, double[] grid)
    {
        var sigmaY = a * S * a.Transpose();
        double lfCv = Arp.LeastFavorableCvNoNuisance(sigmaY, kappa);
        int m = a.RowCount;
        var sdY = Vb.Dense(m, i => Math.Sqrt(sigmaY[i, i]));
        var at = Mb.Dense(m, a.ColumnCount, (i, j) => a[i, j] / sdY[i]);   // rows scaled; d = 0
        double alphaTilde = (alpha - kappa) / (1 - kappa);
        var acc = new bool[grid.Length];
        var beta = Vb.DenseOfArray(betahat);
        for (int gI = 0; gI < grid.Length; gI++)
        {
            var y = beta.Clone();
            y[numPre] -= grid[gI];
            var moments = at * y;
            int max = moments.MaximumIndex();
            double maxMoment = moments[max];
            if (maxMoment > lfCv) { acc[gI] = false; continue; }
            var gamma = at.Row(max);
            double gsg = gamma * S * gamma;
            var c = S * gamma / gsg;
            var z = y - c * (gamma * y);
            var abar = at - Mb.Dense(m, at.ColumnCount, (i, j) => at[max, j]);
            var ac = abar * c;
            var obj = -(abar * z);                                            // (b - A z)/(A c) with b = 0
            double vlo = double.NegativeInfinity, vup = double.PositiveInfinity;
            for (int i = 0; i < m; i++)
            {
                if (ac[i] < 0) vlo = Math.Max(vlo, obj[i] / ac[i]);
                else if (ac[i] > 0) vup = Math.Min(vup, obj[i] / ac[i]);
            }
            double sd = Math.Sqrt(gsg);
            double cval = Math.Max(0, sd * TruncatedNormal.Quantile(1 - alphaTilde, vlo / sd, vup / sd));
            acc[gI] = !(maxMoment > cval);
        }
        return acc;
    }

    /// <summary>HonestDiD's .construct_Gamma: rows l' and the unit vectors of the pivot columns of rref([l, I]).</summary>
    public static Matrix<double> ConstructGamma(Vector<double> l)
    {
        int n = l.Count;
        var b = Mb.Dense(n, n + 1);
        b.SetColumn(0, l);
        for (int i = 0; i < n; i++) b[i, i + 1] = 1;
        // pivot columns of the reduced row echelon form = greedy linearly independent columns
        var chosen = new List<int>();
        for (int c = 0; c <= n && chosen.Count < n; c++)
        {
            var cand = chosen.Append(c).ToList();
            var sub = Mb.DenseOfColumnVectors(cand.Select(j => b.Column(j)));
            if (sub.Rank() == cand.Count) chosen.Add(c);
        }
        return Mb.DenseOfColumnVectors(chosen.Select(j => b.Column(j))).Transpose();
    }
}
