using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Sensitivity;

/// <summary>
/// Armstrong &amp; Kolesár (2018) / Rambachan &amp; Roth (2023) optimal fixed-length confidence interval
/// under the smoothness restriction Δ^SD(M), as HonestDiD's findOptimalFLCI.
/// </summary>
internal static class SmoothnessFlci
{
    private static readonly MatrixBuilder<double> Mb = Matrix<double>.Build;
    private static readonly VectorBuilder<double> Vb = Vector<double>.Build;

    public sealed record Result(double Lower, double Upper, double HalfLength, double[] Weights, double H, double MaxBias);

    public static Result Optimal(double[] betahat, double[,] sigma, int numPre, int numPost, double[] lvec, double m,
        double alpha = 0.05, int numPoints = 100)
    {
        var p = new Problem(Mb.DenseOfArray(sigma), numPre, numPost, Vb.DenseOfArray(lvec));
        double h0 = Math.Sqrt(p.Variance(p.MinBiasW()));
        double hMin = Math.Sqrt(p.Variance(p.MinVarianceW()));
        double hstar = DerivativeBisection(p, hMin, h0, m, numPoints, alpha);
        double half; Vector<double> w; double bias;
        if (double.IsNaN(hstar))
        {
            var grid = RelativeMagnitudes.Seq(hMin, h0, numPoints);
            half = double.PositiveInfinity; w = p.MinVarianceW(); bias = double.NaN; hstar = double.NaN;
            foreach (var h in grid)
            {
                var (bw, bv) = p.MinBias(h);
                double hl = FoldedNormal.Quantile(1 - alpha, m * bv / h) * h;
                if (hl < half) { half = hl; w = bw; bias = bv; hstar = h; }
            }
        }
        else
        {
            (w, bias) = p.MinBias(hstar);
            half = FoldedNormal.Quantile(1 - alpha, m * bias / hstar) * hstar;
        }
        var lpre = p.D * w;
        double center = 0;
        for (int i = 0; i < numPre; i++) center += lpre[i] * betahat[i];
        for (int i = 0; i < numPost; i++) center += lvec[i] * betahat[numPre + i];
        return new Result(center - half, center + half, half, [.. lpre, .. lvec], hstar, m * bias);
    }

    private static double DerivativeBisection(Problem p, double a, double b, double m, int numPoints, double alpha)
    {
        double F(double h)
        {
            var (_, bias) = p.MinBias(h);
            return FoldedNormal.Quantile(1 - alpha, m * bias / h) * h;
        }
        double failtol = Math.Sqrt(2.220446049250313e-16);
        bool failed = false;
        double dif = Math.Min((b - a) / numPoints, Math.Abs(b) * Math.Pow(2.220446049250313e-16, 1.0 / 3));
        double fa = F(a), fb = F(b);
        double fpa = (F(a + dif) - fa) / dif;
        double fpb = (F(b - dif) - fb) / -dif;
        int iter = 1;
        int maxiter = 10 * (int)Math.Ceiling(Math.Log(Math.Abs(b - a) / dif) / Math.Log(2));
        if (fpa > fpb || double.IsNaN(fa) || double.IsNaN(fb)) failed = true;
        else if (fpb < 0) return b;
        else if (fpa > 0) return a;
        else
        {
            while (!failed && Math.Abs(b - a) > dif)
            {
                iter++;
                double x = (a + b) / 2;
                double fpx = (F(x + dif) - F(x - dif)) / (2 * dif);
                failed = fpx > fpb + failtol || fpx + failtol < fpa || iter > maxiter;
                if (fpx > 0) b = x; else a = x;
            }
            if (!failed) return (a + b) / 2;
        }
        return double.NaN;
    }

    /// <summary>The optimisation problem over the pre-period weights w (l_pre = D w).</summary>
    private sealed class Problem
    {
        public readonly Matrix<double> D;      // w -> l_pre (first differences)
        private readonly Matrix<double> _q;    // D' Σpre D
        private readonly Vector<double> _lin;  // 2 D' Σprepost l
        private readonly double _const;        // l' Σpost l
        private readonly int _k;
        private readonly double _sum;          // Σ_t t l_t
        private readonly double _biasConstant;

        public Problem(Matrix<double> sigma, int numPre, int numPost, Vector<double> l)
        {
            _k = numPre;
            D = Mb.Dense(numPre, numPre, (i, j) => i == j ? 1 : (i == j + 1 ? -1 : 0));
            var spre = sigma.SubMatrix(0, numPre, 0, numPre);
            var sprepost = sigma.SubMatrix(0, numPre, numPre, numPost);
            var spost = sigma.SubMatrix(numPre, numPost, numPre, numPost);
            _q = D.Transpose() * spre * D;
            _lin = 2 * (D.Transpose() * (sprepost * l));
            _const = l * spost * l;
            _sum = 0;
            for (int t = 0; t < numPost; t++) _sum += (t + 1) * l[t];
            double c = 0;
            for (int s = 1; s <= numPost; s++)
            {
                double v = 0;
                for (int j = 1; j <= s; j++) v += j * l[numPost - s + j - 1];
                c += Math.Abs(v);
            }
            _biasConstant = c - _sum;
        }

        public double Variance(Vector<double> w) => w * _q * w + _lin * w + _const;

        public Vector<double> MinBiasW()
        {
            var w = Vb.Dense(_k);
            w[_k - 1] = _sum;
            return w;
        }

        /// <summary>argmin var(w) subject to Σ w = Σ t l_t (KKT system).</summary>
        public Vector<double> MinVarianceW()
        {
            var kkt = Mb.Dense(_k + 1, _k + 1);
            kkt.SetSubMatrix(0, 0, 2 * _q);
            for (int i = 0; i < _k; i++) { kkt[i, _k] = 1; kkt[_k, i] = 1; }
            var rhs = Vb.Dense(_k + 1);
            for (int i = 0; i < _k; i++) rhs[i] = -_lin[i];
            rhs[_k] = _sum;
            return kkt.Solve(rhs).SubVector(0, _k);
        }

        /// <summary>Worst-case bias per unit of M at sd ≤ h: min Σ_k |Σ_{j≤k} w_j| + constant, by a log-barrier method.</summary>
        public (Vector<double> W, double Bias) MinBias(double h)
        {
            var w0 = MinVarianceW();
            double h2 = h * h;
            if (Variance(w0) >= h2 * (1 - 1e-12)) return (w0, Objective(w0));
            int k = _k, nz = 2 * k - 1;           // z = (w_1..w_{k-1}, U_1..U_k); w_k = sum - Σ_{j<k} w_j
            // S w = sRow z + sConst: (S w)_i = Σ_{j≤i} w_j; for i < k-1 that is Σ_{j≤i} z_j, for i = k-1 it is the fixed sum
            var sRow = new double[k][];
            var sConst = new double[k];
            for (int i = 0; i < k; i++)
            {
                sRow[i] = new double[nz];
                if (i < k - 1) for (int j = 0; j <= i; j++) sRow[i][j] = 1;
                else sConst[i] = _sum;
            }
            // var(w)/h² = z'Qz z + qz1'z + qz0 (w = E z + e0)
            var e = Mb.Dense(k, nz);
            for (int j = 0; j < k - 1; j++) { e[j, j] = 1; e[k - 1, j] = -1; }
            var e0 = Vb.Dense(k); e0[k - 1] = _sum;
            var qz = (e.Transpose() * _q * e / h2).ToArray();
            var qz1 = ((2 * (e.Transpose() * (_q * e0)) + e.Transpose() * _lin) / h2).ToArray();
            double qz0 = (e0 * _q * e0 + _lin * e0 + _const) / h2;
            var z = new double[nz];
            for (int j = 0; j < k - 1; j++) z[j] = w0[j];
            for (int i = 0; i < k; i++) z[k - 1 + i] = Math.Abs(Dot(sRow[i], z) + sConst[i]) + 1;
            var b = new Barrier(k, nz, sRow, sConst, qz, qz1, qz0);
            double t = 10;
            var grad = new double[nz]; var hess = new double[nz, nz]; var step = new double[nz]; var zn = new double[nz];
            for (int outer = 0; outer < 60; outer++)
            {
                for (int it = 0; it < 100; it++)
                {
                    double val = b.Evaluate(z, t, grad, hess);
                    CholeskySolve(hess, grad, step, nz);   // step = H^-1 g
                    double dec = 0;
                    for (int j = 0; j < nz; j++) { step[j] = -step[j]; dec -= grad[j] * step[j]; }
                    if (dec / 2 < 1e-9) break;
                    double s = 1;
                    bool moved = false;
                    while (s > 1e-9)
                    {
                        for (int j = 0; j < nz; j++) zn[j] = z[j] + s * step[j];
                        double vn = b.Evaluate(zn, t, null, null);
                        if (!double.IsNaN(vn) && vn <= val - 0.25 * s * dec) { Array.Copy(zn, z, nz); moved = true; break; }
                        s *= 0.5;
                    }
                    if (!moved) break;
                }
                if ((2 * k + 1) / t < 1e-13) break;
                t *= 50;
            }
            var w = e * Vb.DenseOfArray(z) + e0;
            return (w, Objective(w));
        }

        private static double Dot(double[] a, double[] b)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
            return s;
        }

        private static void CholeskySolve(double[,] a, double[] rhs, double[] x, int n)
        {
            var l = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                {
                    double s = a[i, j];
                    for (int p = 0; p < j; p++) s -= l[i, p] * l[j, p];
                    l[i, j] = i == j ? Math.Sqrt(Math.Max(s, 1e-300)) : s / l[j, j];
                }
            for (int i = 0; i < n; i++)
            {
                double s = rhs[i];
                for (int p = 0; p < i; p++) s -= l[i, p] * x[p];
                x[i] = s / l[i, i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = x[i];
                for (int p = i + 1; p < n; p++) s -= l[p, i] * x[p];
                x[i] = s / l[i, i];
            }
        }

        private double Objective(Vector<double> w)
        {
            double s = 0, acc = 0;
            for (int i = 0; i < _k; i++) { acc += w[i]; s += Math.Abs(acc); }
            return _biasConstant + s;
        }

        /// <summary>t·ΣU − Σ log(U_i ∓ (Sw)_i) − log(1 − var(w)/h²), with gradient and Hessian.</summary>
        private sealed class Barrier(int k, int nz, double[][] sRow, double[] sConst, double[,] qz, double[] qz1, double qz0)
        {
            private readonly double[] _gv = new double[nz];

            public double Evaluate(double[] z, double t, double[]? grad, double[,]? hess)
            {
                if (grad is not null) { Array.Clear(grad); Array.Clear(hess!); }
                double val = 0;
                for (int i = 0; i < k; i++) val += t * z[k - 1 + i];
                if (grad is not null) for (int i = 0; i < k; i++) grad[k - 1 + i] += t;
                for (int i = 0; i < k; i++)
                {
                    int ui = k - 1 + i;
                    double sw = sConst[i];
                    var row = sRow[i];
                    for (int j = 0; j < nz; j++) sw += row[j] * z[j];
                    for (int sign = -1; sign <= 1; sign += 2)
                    {
                        double slack = z[ui] + sign * sw;
                        if (slack <= 0) return double.NaN;
                        val -= Math.Log(slack);
                        if (grad is null) continue;
                        double inv = 1 / slack, inv2 = inv * inv;
                        // a = e_ui + sign * row
                        for (int p = 0; p < nz; p++)
                        {
                            double ap = (p == ui ? 1 : 0) + sign * row[p];
                            if (ap == 0) continue;
                            grad[p] -= ap * inv;
                            for (int q = 0; q < nz; q++)
                            {
                                double aq = (q == ui ? 1 : 0) + sign * row[q];
                                if (aq != 0) hess![p, q] += ap * aq * inv2;
                            }
                        }
                    }
                }
                double v = qz0;
                for (int p = 0; p < nz; p++)
                {
                    double s = qz1[p];
                    for (int q = 0; q < nz; q++) s += 2 * qz[p, q] * z[q];
                    _gv[p] = s;
                    v += z[p] * (qz1[p]);
                    for (int q = 0; q < nz; q++) v += z[p] * qz[p, q] * z[q];
                }
                double sl = 1 - v;
                if (sl <= 0) return double.NaN;
                val -= Math.Log(sl);
                if (grad is not null)
                {
                    for (int p = 0; p < nz; p++)
                    {
                        grad[p] += _gv[p] / sl;
                        for (int q = 0; q < nz; q++) hess![p, q] += 2 * qz[p, q] / sl + _gv[p] * _gv[q] / (sl * sl);
                    }
                }
                return val;
            }
        }
    }
}

/// <summary>
/// Quantiles of |N(μ, 1)| as HonestDiD's .qfoldednormal: the type-7 sample quantile of |Z + μ| over
/// 10⁶ draws Z from R's generator after set.seed(0).
/// </summary>
internal static class FoldedNormal
{
    public const int Draws = 1_000_000;
    private static readonly Lazy<double[]> Sorted = new(() =>
    {
        var rng = new RCompatibleRandom(0);
        var z = new double[Draws];
        for (int i = 0; i < Draws; i++) z[i] = rng.NextNormal();
        Array.Sort(z);
        return z;
    });

    public static double Quantile(double p, double mu)
    {
        var z = Sorted.Value;
        int n = z.Length;
        double index = 1 + (n - 1) * p;
        int lo = (int)Math.Floor(index), hi = (int)Math.Ceiling(index);
        double xlo = KthAbs(z, mu, lo), xhi = hi == lo ? xlo : KthAbs(z, mu, hi);
        double h = index - lo;
        return index > lo && xhi != xlo ? (1 - h) * xlo + h * xhi : xlo;
    }

    // k-th smallest (1-based) of |z_i + mu| for ascending z: two ascending runs A_i = z[split + i] + mu and
    // B_j = -(z[split - 1 - j] + mu); the classic O(log n) selection in the union of two sorted arrays
    private static double KthAbs(double[] z, double mu, int k)
    {
        int split = LowerBound(z, -mu);
        int na = z.Length - split, nb = split;
        double A(int i) => z[split + i] + mu;
        double B(int j) => -(z[split - 1 - j] + mu);
        int lo = Math.Max(0, k - nb), hi = Math.Min(k, na);
        while (lo <= hi)
        {
            int i = (lo + hi) >> 1, j = k - i;   // take i from A, j from B
            double aLeft = i > 0 ? A(i - 1) : double.NegativeInfinity, aRight = i < na ? A(i) : double.PositiveInfinity;
            double bLeft = j > 0 ? B(j - 1) : double.NegativeInfinity, bRight = j < nb ? B(j) : double.PositiveInfinity;
            if (aLeft > bRight) hi = i - 1;
            else if (bLeft > aRight) lo = i + 1;
            else return Math.Max(aLeft, bLeft);
        }
        throw new InvalidOperationException("selection failed");
    }

    private static int LowerBound(double[] z, double x)
    {
        int lo = 0, hi = z.Length;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (z[mid] + 0 < x) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
