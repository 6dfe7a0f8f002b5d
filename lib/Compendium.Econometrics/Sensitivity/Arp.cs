using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Sensitivity;

/// <summary>
/// Andrews, Roth &amp; Pakes (2023) conditional and hybrid tests of moment inequalities with nuisance
/// parameters, as implemented in HonestDiD (arp-nuisance.R): y ~ N(μ, Σ), H0: ∃δ with μ − Xδ ≤ 0.
/// </summary>
internal static class Arp
{
    private static readonly MatrixBuilder<double> Mb = Matrix<double>.Build;
    private static readonly VectorBuilder<double> Vb = Vector<double>.Build;

    public const int LeastFavorableDraws = 1000;

    /// <summary>η = min over δ of max_i (y_i − X_i δ)/σ_i, with the dual weights λ (≥ 0, σ'λ = 1, X'λ = 0).</summary>
    public static (bool Ok, double Eta, double[] Lambda) TestDeltaLp(Vector<double> y, Matrix<double> x, Vector<double> sd)
    {
        int m = y.Count, k = x.ColumnCount;
        var a = new double[k + 1, m];
        var b = new double[k + 1];
        var c = new double[m];
        for (int i = 0; i < m; i++)
        {
            a[0, i] = sd[i];
            for (int j = 0; j < k; j++) a[j + 1, i] = x[i, j];
            c[i] = -y[i];
        }
        b[0] = 1;
        var sol = Simplex.Minimize(a, b, c);
        if (sol.Status != LpStatus.Optimal) return (false, double.NaN, new double[m]);
        return (true, -sol.Objective, sol.X);
    }

    /// <summary>The program of <see cref="TestDeltaLp"/> with its constraints set up once, for many outcomes y with the same X and Σ.</summary>
    public static SimplexProblem EtaProgram(Matrix<double> x, Matrix<double> sigma)
    {
        int m = sigma.RowCount, k = x.ColumnCount;
        var a = new double[k + 1, m];
        var b = new double[k + 1];
        for (int i = 0; i < m; i++) { a[0, i] = Math.Sqrt(sigma[i, i]); for (int j = 0; j < k; j++) a[j + 1, i] = x[i, j]; }
        b[0] = 1;
        return new SimplexProblem(a, b);
    }

    private static (bool Ok, double Eta, double[] Lambda) Solve(SimplexProblem lp, Vector<double> y)
    {
        var c = new double[y.Count];
        for (int i = 0; i < c.Length; i++) c[i] = -y[i];
        var sol = lp.Minimize(c);
        return sol.Status == LpStatus.Optimal ? (true, -sol.Objective, sol.X) : (false, double.NaN, new double[y.Count]);
    }

    /// <summary>
    /// The least-favourable critical value: the 1 − κ quantile (type 7) of η over 1,000 draws
    /// ξ ~ N(0, Σ), drawn exactly as HonestDiD does (set.seed(0); mvtnorm::rmvnorm, eigen method).
    /// </summary>
    public static double LeastFavorableCv(Matrix<double> x, Matrix<double> sigma, double kappa, int sims = LeastFavorableDraws)
    {
        int m = sigma.RowCount;
        var root = SymmetricSqrt(sigma);
        var sd = Vb.Dense(m, i => Math.Sqrt(sigma[i, i]));
        var rng = new RCompatibleRandom(0);
        var z = Vb.Dense(m);
        var etas = new List<double>(sims);
        // the dual feasible set {λ ≥ 0: σ′λ = 1, X′λ = 0} is the same for every draw: one phase 1, warm starts after
        var lp = EtaProgram(x, sigma);
        var cost = new double[m];
        for (int s = 0; s < sims; s++)
        {
            for (int i = 0; i < m; i++) z[i] = rng.NextNormal();
            var xi = root.TransposeThisAndMultiply(z); // row vector z' R
            for (int i = 0; i < m; i++) cost[i] = -xi[i];
            var r = lp.Minimize(cost);
            if (r.Status == LpStatus.Optimal) etas.Add(-r.Objective);
        }
        return QuantileType7(etas, 1 - kappa);
    }

    /// <summary>
    /// The least-favourable critical value without nuisance parameters: the 1 − κ quantile (type 7) of
    /// max_i ξ_i/σ_i over 1,000 draws ξ ~ N(0, Σ) (set.seed(0); mvtnorm::rmvnorm).
    /// </summary>
    public static double LeastFavorableCvNoNuisance(Matrix<double> sigma, double kappa, int sims = LeastFavorableDraws)
    {
        int m = sigma.RowCount;
        var root = SymmetricSqrt(sigma);
        var rng = new RCompatibleRandom(0);
        var z = Vb.Dense(m);
        var etas = new double[sims];
        for (int s = 0; s < sims; s++)
        {
            for (int i = 0; i < m; i++) z[i] = rng.NextNormal();
            var xi = root.TransposeThisAndMultiply(z);
            double mx = double.NegativeInfinity;
            for (int i = 0; i < m; i++) mx = Math.Max(mx, xi[i] / Math.Sqrt(sigma[i, i]));
            etas[s] = mx;
        }
        return QuantileType7(etas, 1 - kappa);
    }

    public static Matrix<double> SymmetricSqrt(Matrix<double> sigma)
    {
        var evd = sigma.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var d = Mb.DiagonalOfDiagonalVector(Vb.Dense(sigma.RowCount, i => Math.Sqrt(Math.Max(evd.EigenValues[i].Real, 0))));
        return v * d * v.Transpose();
    }

    /// <summary>R's quantile(x, p, type = 7).</summary>
    public static double QuantileType7(IEnumerable<double> values, double p)
    {
        var x = values.OrderBy(v => v).ToArray();
        int n = x.Length;
        if (n == 0) return double.NaN;
        double index = 1 + Math.Max(n - 1, 0) * p;
        int lo = (int)Math.Floor(index), hi = (int)Math.Ceiling(index);
        double qs = x[lo - 1];
        double h = index - lo;
        if (index > lo && x[hi - 1] != qs) qs = (1 - h) * qs + h * x[hi - 1];
        return qs;
    }

    /// <summary>The conditional test with the least-favourable first stage (hybrid_flag = "LF"); true = reject.</summary>
    public static bool ConditionalTestLf(Vector<double> y, Matrix<double> x, Matrix<double> sigma, double alpha, double kappa, double lfCv,
        SimplexProblem? etaProgram = null)
    {
        int m = sigma.RowCount, k = x.ColumnCount;
        var sd = Vb.Dense(m, i => Math.Sqrt(sigma[i, i]));
        var lin = etaProgram is null ? TestDeltaLp(y, x, sd) : Solve(etaProgram, y);
        if (!lin.Ok) return false; // "LP for eta did not converge properly. Not rejecting"
        double modSize = (alpha - kappa) / (1 - kappa);
        if (lin.Eta > lfCv) return true;
        const double tolLambda = 1e-6;
        var binding = Enumerable.Range(0, m).Where(i => lin.Lambda[i] > tolLambda).ToArray();
        bool degenerate = binding.Length != k + 1;
        var xtb = Mb.DenseOfRowVectors(binding.Select(i => x.Row(i)));
        bool fullRank = binding.Length > 0 && RankTolNorm2(xtb) == Math.Min(xtb.RowCount, xtb.ColumnCount);
        double maxstat, zlo, zup;
        if (!fullRank || degenerate)
        {
            var gamma = Vb.DenseOfArray(lin.Lambda);
            var (vlo, vup) = VloVupDual(lin.Eta, y, x, gamma, sigma, sd);
            double sigmaB = Math.Sqrt(gamma * sigma * gamma);
            if (sigmaB < 1e-10) return lin.Eta > 0;
            maxstat = lin.Eta / sigmaB;
            zlo = vlo / sigmaB;
            zup = Math.Min(vup, lfCv) / sigmaB;
        }
        else
        {
            var nonBinding = Enumerable.Range(0, m).Where(i => lin.Lambda[i] <= tolLambda).ToArray();
            var wB = Mb.Dense(binding.Length, k + 1, (r, c) => c == 0 ? sd[binding[r]] : x[binding[r], c - 1]);
            var wBc = Mb.Dense(nonBinding.Length, k + 1, (r, c) => c == 0 ? sd[nonBinding[r]] : x[nonBinding[r], c - 1]);
            var sB = Mb.Dense(binding.Length, m, (r, c) => c == binding[r] ? 1 : 0);
            var sBc = Mb.Dense(nonBinding.Length, m, (r, c) => c == nonBinding[r] ? 1 : 0);
            var wBinv = wB.Inverse();
            var gammaB = wBc * wBinv * sB - sBc;
            var vB = (wBinv * sB).Row(0);
            double sigma2B = vB * sigma * vB;
            double sigmaB = Math.Sqrt(sigma2B);
            var rho = gammaB * sigma * vB / sigma2B;
            var gy = gammaB * y;
            double vby = vB * y;
            double vlo = double.NegativeInfinity, vup = double.PositiveInfinity;
            for (int i = 0; i < rho.Count; i++)
            {
                double mm = -gy[i] / rho[i] + vby;
                if (rho[i] > 0) vlo = Math.Max(vlo, mm);
                else if (rho[i] < 0) vup = Math.Min(vup, mm);
            }
            zlo = vlo / sigmaB;
            zup = Math.Min(vup, lfCv) / sigmaB;
            maxstat = lin.Eta / sigmaB;
        }
        if (!(zlo <= maxstat && maxstat <= zup)) return false;
        double cval = Math.Max(0, TruncatedNormal.Quantile(1 - modSize, zlo, zup));
        return maxstat > cval;
    }

    /// <summary>Matrix::rankMatrix's default ("tolNorm2"): singular values above max(dim)·ε·σ_max.</summary>
    public static int RankTolNorm2(Matrix<double> a)
    {
        var s = a.Svd(false).S;
        double tol = Math.Max(a.RowCount, a.ColumnCount) * 2.220446049250313e-16 * s.Maximum();
        return s.Count(v => v > tol);
    }

    // HonestDiD's .lp_dual_fn / .vlo_vup_dual_fn
    private static (double Vlo, double Vup) VloVupDual(double eta, Vector<double> y, Matrix<double> x, Vector<double> gamma,
        Matrix<double> sigma, Vector<double> sd)
    {
        int m = y.Count, k = x.ColumnCount;
        double gsg = gamma * sigma * gamma;
        var sg = sigma * gamma;
        var sT = y - sg * (gamma * y) / gsg;
        var bvec = sg / gsg;
        var wt = Mb.Dense(m, k + 1, (r, c) => c == 0 ? sd[r] : x[r, c - 1]);
        const double tolC = 1e-6, tolEq = 1e-6;
        double sigmaB = Math.Sqrt(gsg);
        double lowInitial = Math.Min(-100, eta - 20 * sigmaB), highInitial = Math.Max(100, eta + 20 * sigmaB);
        const int maxIters = 10000, switchIters = 10;

        (bool Honest, double[] Sol) Check(double c)
        {
            var f = sT + bvec * c;
            // max f'x s.t. W' x = e1, x >= 0
            var a = new double[k + 1, m];
            var b = new double[k + 1];
            var cost = new double[m];
            for (int i = 0; i < m; i++) { for (int j = 0; j <= k; j++) a[j, i] = wt[i, j]; cost[i] = -f[i]; }
            b[0] = 1;
            var sol = Simplex.Minimize(a, b, cost);
            if (sol.Status != LpStatus.Optimal) return (false, sol.X);
            return (Math.Abs(c - (-sol.Objective)) <= tolEq, sol.X);
        }
        double Next(double[] sol)
        {
            double num = 0, den = 0;
            for (int i = 0; i < m; i++) { num += sol[i] * sT[i]; den += sol[i] * bvec[i]; }
            if (Math.Abs(num) < Math.Pow(2.220446049250313e-16, 0.75)) num = 0;
            return num / (1 - den);
        }

        // From an initial point where the test is not honest: the dual's fixed-point steps towards eta, then (after
        // switchIters steps) bisection between eta (honest) and the last point that is not.
        double Endpoint(double initial, bool upper)
        {
            var start = Check(initial);
            if (start.Honest) return upper ? double.PositiveInfinity : double.NegativeInfinity;
            double dif = 0; int iters = 1;
            double mid = Next(start.Sol);
            while (true)
            {
                var chk = Check(mid);
                if (chk.Honest || iters >= maxIters) break;
                iters++;
                if (iters >= switchIters) { dif = tolC + 1; break; }
                mid = Next(chk.Sol);
            }
            double honest = eta, notHonest = mid;
            while (dif > tolC && iters < maxIters)
            {
                iters++;
                mid = (honest + notHonest) / 2;
                if (Check(mid).Honest) honest = mid; else notHonest = mid;
                dif = upper ? notHonest - honest : honest - notHonest;
            }
            return mid;
        }

        if (!Check(eta).Honest) return (eta, double.PositiveInfinity);
        double vup = Endpoint(highInitial, upper: true);
        double vlo = Endpoint(lowInitial, upper: false);
        return (vlo, vup);
    }
}
