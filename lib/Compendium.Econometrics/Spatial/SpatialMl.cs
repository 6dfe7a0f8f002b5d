using System.Globalization;
using Compendium.Econometrics.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Compendium.Econometrics.Spatial;

/// <summary>
/// The maximum-likelihood machinery shared by the spatial lag/Durbin and error models on a balanced panel
/// stored period by period (block t holds the n units). Pure numerics on arrays; <see cref="SpatialDurbin"/>
/// is the front end and supplies the within transformation of the model's fixed effects.
/// </summary>
/// <remarks>
/// With N* effective observations and Jacobian multiplier m (Lee &amp; Yu 2010):
/// transformation approach, two-way effects: N* = (n − 1)(T − 1), m = T − 1 and the Jacobian
/// m[log|I − ρW| − log(1 − ρ)] (the eigenvalue 1 of a row-standardised W is transformed out with the time effects);
/// unit effects only: N* = n(T − 1), m = T − 1; time effects only: N* = (n − 1)T, m = T; direct approach and
/// models without effects: N* = nT, m = T. The concentrated log-likelihood
/// ℓ(ρ) = −N*/2 [log(2π RSS(ρ)/N*) + 1] + Jacobian(ρ) is maximised by a 399-point grid over W's admissible interval
/// followed by Brent's method on its analytical derivative (the score) to machine precision.
/// </remarks>
internal static class SpatialMl
{
    /// <summary>The dimensions and fixed-effects handling of a problem.</summary>
    internal readonly record struct Spec(int N, int T, bool UnitFe, bool TimeFe, SpatialFeMethod Method)
    {
        private bool Transformed => Method == SpatialFeMethod.LeeYu && (UnitFe || TimeFe);
        /// <summary>Effective number of observations N*.</summary>
        public double EffN => Transformed ? (double)(N - (TimeFe ? 1 : 0)) * (T - (UnitFe ? 1 : 0)) : (double)N * T;
        /// <summary>Multiplier of the log-determinant.</summary>
        public double M => Transformed ? T - (UnitFe ? 1 : 0) : T;
        /// <summary>−log(1 − ρ) enters the Jacobian (Lee–Yu with time effects).</summary>
        public bool Minus1 => Transformed && TimeFe;
        /// <summary>Traces on the (n − 1)-dimensional space orthogonal to the constant (Lee–Yu with time effects).</summary>
        public bool TraceProject => Transformed && TimeFe;
        /// <summary>The direct approach's bias correction applies.</summary>
        public bool BiasCorrect => Method == SpatialFeMethod.Direct && (UnitFe || TimeFe);
    }

    /// <summary>
    /// A problem: the outcome (raw, for its spatial lag), the transformed regressors (full column rank), W, the
    /// dimensions, and the model's within transformation of any further period-major vector.
    /// </summary>
    internal sealed record Problem(double[] Y, double[][] Xt, SpatialWeights W, Spec Spec, Func<double[], double[]> Transform, string What);

    /// <summary>θ = (β, ρ or λ, σ²), its variance, ℓ at the maximum, the uncorrected θ (direct approach), and (I − ρW)⁻¹, W(I − ρW)⁻¹ at the reported ρ.</summary>
    internal sealed record Estimate(double[] Theta, double[] Vcov, double LogLik, double[]? Uncorrected, double[] Si, double[] G);

    /// <summary>Maximise f on (lo, hi): a 399-point grid for the bracket, then Brent's root of the score f′.</summary>
    internal static double Maximise(Func<double, double> f, Func<double, double> df, double lo, double hi, string what)
    {
        const int G = 401;
        double best = double.NegativeInfinity; int bi = -1;
        var grid = new double[G];
        for (int k = 0; k < G; k++) grid[k] = lo + (hi - lo) * k / (G - 1);
        for (int k = 1; k < G - 1; k++)
        {
            double v = f(grid[k]);
            if (v > best) { best = v; bi = k; }
        }
        string range = string.Create(CultureInfo.InvariantCulture, $"({lo:0.###}, {hi:0.###})");
        if (bi < 0) throw new InputException($"{what}: the likelihood is not finite anywhere in W's admissible interval {range}.");
        double a = grid[Math.Max(bi - 1, 1)], b = grid[Math.Min(bi + 1, G - 2)];
        double fa = df(a), fb = df(b);
        if (fa == 0) return a;
        if (fb == 0) return b;
        if (Math.Sign(fa) == Math.Sign(fb))
            throw new InputException(FormattableString.Invariant(
                $"{what}: the likelihood keeps rising towards the edge of W's admissible interval {range} (ρ → {(bi > G / 2 ? hi : lo):0.###}), so the spatial parameter is not identified with these weights. ") +
                "This happens when W is close to a matrix of equal weights (inverse distance without a cut-off): time effects then absorb Wy. Use a cut-off, k nearest neighbours, or the direct method.");
        return Brent(df, a, b, fa, fb);
    }

    /// <summary>Brent's root finder (zeroin, as R's <c>uniroot</c>), absolute tolerance 1e-15.</summary>
    internal static double Brent(Func<double, double> f, double a, double b, double fa, double fb)
    {
        const double tol = 1e-15, eps = 2.220446049250313e-16;
        double c = a, fc = fa, d = b - a, e = d;
        for (int iter = 0; iter < 1000; iter++)
        {
            if (Math.Abs(fc) < Math.Abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
            double tol1 = 2 * eps * Math.Abs(b) + 0.5 * tol, xm = 0.5 * (c - b);
            if (Math.Abs(xm) <= tol1 || fb == 0) return b;
            if (Math.Abs(e) >= tol1 && Math.Abs(fa) > Math.Abs(fb))
            {
                double s = fb / fa, p, q;
                if (a == c) { p = 2 * xm * s; q = 1 - s; }
                else
                {
                    double qq = fa / fc, r = fb / fc;
                    p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
                    q = (qq - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) q = -q; else p = -p;
                if (2 * p < Math.Min(3 * xm * q - Math.Abs(tol1 * q), Math.Abs(e * q))) { e = d; d = p / q; }
                else { d = xm; e = d; }
            }
            else { d = xm; e = d; }
            a = b; fa = fb;
            b += Math.Abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
            fb = f(b);
            if ((fb > 0) == (fc > 0)) { c = a; fc = fa; d = b - a; e = d; }
        }
        return b;
    }

    /// <summary>(I − ρW)⁻¹ and G = W(I − ρW)⁻¹ (= (I − ρW)⁻¹W), dense row-major.</summary>
    internal static (double[] Si, double[] G) Inverse(SpatialWeights w, double rho)
    {
        int n = w.Count;
        var s = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            s[i * n + i] = 1;
            foreach (var (j, v) in w.Row(i)) s[i * n + j] -= rho * v;
        }
        var si = DenseKernels.Inverse(s, n);
        var g = new double[n * n];
        for (int i = 0; i < n; i++)
            foreach (var (k, v) in w.Row(i))
                DenseKernels.Axpy(v, si.AsSpan(k * n, n), g.AsSpan(i * n, n));
        return (si, g);
    }

    private readonly record struct Traces(double TrG, double TrGG, double TrGtG);

    /// <summary>tr G, tr(GG), tr(G′G); projected on the space orthogonal to the constant when the spec says so:
    /// tr G − 1/(1 − ρ), tr(GG) − 1/(1 − ρ)², tr(G′G) − |1′G|²/n.</summary>
    private static Traces TracesOf(double[] g, int n, double rho, Spec s)
    {
        double trG = 0, trGG = 0, trGtG = 0;
        var cs = new double[n];
        for (int i = 0; i < n; i++)
        {
            trG += g[i * n + i];
            for (int j = 0; j < n; j++)
            {
                double v = g[i * n + j];
                trGG += v * g[j * n + i]; trGtG += v * v; cs[j] += v;
            }
        }
        if (s.TraceProject)
        {
            double c2 = 0; foreach (var c in cs) c2 += c * c;
            trG -= 1 / (1 - rho); trGG -= 1 / ((1 - rho) * (1 - rho)); trGtG -= c2 / n;
        }
        return new Traces(trG, trGG, trGtG);
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    private static double Jacobian(SpatialWeights w, Spec s, double r) => s.M * (w.LogDet(r) - (s.Minus1 ? Math.Log(1 - r) : 0));
    private static double JacobianDerivative(SpatialWeights w, Spec s, double r) => s.M * (w.LogDetDerivative(r) + (s.Minus1 ? 1 / (1 - r) : 0));

    /// <summary>
    /// RSS(ρ) = A − 2ρB + ρ²C from the residuals e0, ed of the transformed y and Wy on the transformed X,
    /// and the coefficients b0, bd of those regressions (β(ρ) = b0 − ρ bd).
    /// </summary>
    private static (double A, double B, double C, double[] B0, double[] Bd) LagMoments(Problem p)
    {
        var yt = p.Transform(p.Y);
        var wyt = p.Transform(p.W.LagPanel(p.Y));
        var xm = Matrix<double>.Build.DenseOfColumnArrays(p.Xt);
        var qr = xm.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var coef = qr.Solve(Matrix<double>.Build.DenseOfColumnArrays(yt, wyt));
        var fit = xm * coef;
        double A = 0, B = 0, C = 0;
        for (int r = 0; r < yt.Length; r++)
        {
            double e0 = yt[r] - fit[r, 0], ed = wyt[r] - fit[r, 1];
            A += e0 * e0; B += e0 * ed; C += ed * ed;
        }
        return (A, B, C, coef.Column(0).ToArray(), coef.Column(1).ToArray());
    }

    /// <summary>The concentrated log-likelihood of the lag/Durbin model at each ρ of <paramref name="rhos"/>.</summary>
    internal static double[] ProfileLag(Problem p, IReadOnlyList<double> rhos)
    {
        var (A, B, C, _, _) = LagMoments(p);
        var s = p.Spec;
        return rhos.Select(r => -s.EffN / 2 * (Math.Log(2 * Math.PI * (A - 2 * r * B + r * r * C) / s.EffN) + 1) + Jacobian(p.W, s, r)).ToArray();
    }

    /// <summary>Lag (SAR) or Durbin model (the W·X columns are among the regressors): θ = (β, ρ, σ²).</summary>
    internal static Estimate FitLag(Problem p)
    {
        var s = p.Spec; var w = p.W;
        int n = s.N, T = s.T, k = p.Xt.Length, nt = n * T;
        var (A, B, C, b0, bd) = LagMoments(p);
        double Rss(double r) => A - 2 * r * B + r * r * C;
        double F(double r) => -s.EffN / 2 * Math.Log(Rss(r)) + Jacobian(w, s, r);
        double Df(double r) => s.EffN * (B - r * C) / Rss(r) + JacobianDerivative(w, s, r);
        var (lo, hi) = w.RhoBounds;
        double rho = Maximise(F, Df, lo, hi, p.What);
        var beta = new double[k];
        for (int j = 0; j < k; j++) beta[j] = b0[j] - rho * bd[j];
        double s2 = Rss(rho) / s.EffN;
        double ll = -s.EffN / 2 * (Math.Log(2 * Math.PI * s2) + 1) + Jacobian(w, s, rho);
        var Xt = p.Xt;

        // Expected information in (β, ρ, σ²): X′X/σ², X′(GXβ)/σ², |J G X β|²/σ² + m[tr(GG) + tr(G′G)], m tr G/σ², N*/(2σ⁴).
        double[] Info(double[] b, double r, double sig2, double[] g)
        {
            var tr = TracesOf(g, n, r, s);
            var xb = new double[nt];
            for (int j = 0; j < k; j++) { var c = Xt[j]; double bj = b[j]; for (int q = 0; q < nt; q++) xb[q] += bj * c[q]; }
            var gxb = new double[nt];
            for (int t = 0; t < T; t++)
                for (int i = 0; i < n; i++)
                {
                    double acc = 0; int go = i * n, xo = t * n;
                    for (int j = 0; j < n; j++) acc += g[go + j] * xb[xo + j];
                    gxb[xo + i] = acc;
                }
            gxb = p.Transform(gxb);
            int q2 = k + 2; var I = new double[q2 * q2];
            for (int a = 0; a < k; a++)
            {
                for (int c = a; c < k; c++) I[a * q2 + c] = I[c * q2 + a] = Dot(Xt[a], Xt[c]) / sig2;
                I[a * q2 + k] = I[k * q2 + a] = Dot(Xt[a], gxb) / sig2;
            }
            I[k * q2 + k] = Dot(gxb, gxb) / sig2 + s.M * (tr.TrGG + tr.TrGtG);
            I[k * q2 + k + 1] = I[(k + 1) * q2 + k] = s.M * tr.TrG / sig2;
            I[(k + 1) * q2 + k + 1] = s.EffN / (2 * sig2 * sig2);
            return I;
        }
        return Finish(beta, rho, s2, ll, w, s, Info);
    }

    /// <summary>Error model (SEM): y = Xβ + u, u = λWu + ε; θ = (β, λ, σ²). Every quantity at a given λ is a quadratic form in the Gram matrix of [X, WX, y, Wy].</summary>
    internal static Estimate FitError(Problem p)
    {
        var s = p.Spec; var w = p.W;
        int k = p.Xt.Length;
        var yt = p.Transform(p.Y);
        var Xt = p.Xt;
        var wy = p.Transform(w.LagPanel(yt));
        var wx = Xt.Select(c => p.Transform(w.LagPanel(c))).ToArray();
        var Z = Xt.Concat(wx).Append(yt).Append(wy).ToArray();
        int m = Z.Length; var Gm = new double[m, m];
        for (int a = 0; a < m; a++) for (int c = a; c < m; c++) Gm[a, c] = Gm[c, a] = Dot(Z[a], Z[c]);
        int iy = 2 * k, iwy = 2 * k + 1;
        Matrix<double> XbXb(double l) => Matrix<double>.Build.Dense(k, k, (a, c) => Gm[a, c] - l * (Gm[k + a, c] + Gm[a, k + c]) + l * l * Gm[k + a, k + c]);
        (double[] Beta, double Rss, double EWu) At(double l)
        {
            var xy = Vector<double>.Build.Dense(k, a => Gm[a, iy] - l * (Gm[k + a, iy] + Gm[a, iwy]) + l * l * Gm[k + a, iwy]);
            var b = XbXb(l).Cholesky().Solve(xy).ToArray();
            double rss = Gm[iy, iy] - 2 * l * Gm[iy, iwy] + l * l * Gm[iwy, iwy];
            for (int a = 0; a < k; a++) rss -= b[a] * xy[a];
            // u = y − Xb, Wu = Wy − WXb, e = u − λWu: dRSS/dλ = −2 e′Wu = −2(u′Wu − λ Wu′Wu)
            double uwu = Gm[iy, iwy], wuwu = Gm[iwy, iwy];
            for (int a = 0; a < k; a++)
            {
                uwu -= b[a] * (Gm[a, iwy] + Gm[iy, k + a]);
                wuwu -= 2 * b[a] * Gm[k + a, iwy];
                for (int c = 0; c < k; c++) { uwu += b[a] * b[c] * Gm[a, k + c]; wuwu += b[a] * b[c] * Gm[k + a, k + c]; }
            }
            return (b, rss, uwu - l * wuwu);
        }
        double F(double l) => -s.EffN / 2 * Math.Log(At(l).Rss) + Jacobian(w, s, l);
        double Df(double l) { var a = At(l); return s.EffN * a.EWu / a.Rss + JacobianDerivative(w, s, l); }
        var (lo, hi) = w.RhoBounds;
        double lam = Maximise(F, Df, lo, hi, p.What);
        var at = At(lam);
        double s2 = at.Rss / s.EffN;
        double ll = -s.EffN / 2 * (Math.Log(2 * Math.PI * s2) + 1) + Jacobian(w, s, lam);

        // Expected information: X′B′BX/σ² (block-diagonal in β), m[tr(HH) + tr(H′H)], m tr H/σ², N*/(2σ⁴), H = W(I − λW)⁻¹.
        double[] Info(double[] b, double l, double sig2, double[] h)
        {
            var tr = TracesOf(h, s.N, l, s);
            int q2 = k + 2; var I = new double[q2 * q2];
            var xx = XbXb(l);
            for (int a = 0; a < k; a++) for (int c = 0; c < k; c++) I[a * q2 + c] = xx[a, c] / sig2;
            I[k * q2 + k] = s.M * (tr.TrGG + tr.TrGtG);
            I[k * q2 + k + 1] = I[(k + 1) * q2 + k] = s.M * tr.TrG / sig2;
            I[(k + 1) * q2 + k + 1] = s.EffN / (2 * sig2 * sig2);
            return I;
        }
        return Finish(at.Beta, lam, s2, ll, w, s, Info);
    }

    /// <summary>
    /// The variance from the expected information; first, for the direct approach, Lee &amp; Yu's (2010) bias
    /// correction θ¹ = θ̂ + Σ̂⁻¹(a/T + b/n) with Σ̂ = information/(nT) at θ̂, a = (0, tr G/n, 1/(2σ²)) (unit
    /// effects), b = (0, 1/(1 − ρ), 1/(2σ²)) (time effects); the variance is then evaluated at θ¹.
    /// </summary>
    private static Estimate Finish(double[] beta, double rho, double s2, double ll, SpatialWeights w, Spec s,
        Func<double[], double, double, double[], double[]> info)
    {
        int k = beta.Length, q = k + 2;
        double[] theta = [.. beta, rho, s2];
        var (si, g) = Inverse(w, rho);
        var I = info(beta, rho, s2, g);
        double[]? uncorrected = null;
        if (s.BiasCorrect)
        {
            uncorrected = theta;
            double nT = (double)s.N * s.T, trG = 0;
            for (int i = 0; i < s.N; i++) trG += g[i * s.N + i];
            var corr = new double[q];
            if (s.UnitFe) { corr[k] += trG / s.N / s.T; corr[k + 1] += 1 / (2 * s2) / s.T; }
            if (s.TimeFe) { corr[k] += 1 / (1 - rho) / s.N; corr[k + 1] += 1 / (2 * s2) / s.N; }
            var sigma = Matrix<double>.Build.Dense(q, q, (a, c) => I[a * q + c] / nT);
            var delta = sigma.Solve(Vector<double>.Build.DenseOfArray(corr));
            theta = [.. theta.Select((v, j) => v + delta[j])];
            var (lo, hi) = w.RhoBounds;
            if (!(theta[k] > lo && theta[k] < hi) || !(theta[k + 1] > 0))
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"the direct approach's bias correction moves ρ to {theta[k]:0.####}, outside W's admissible interval; use the Lee–Yu transformation."));
            (si, g) = Inverse(w, theta[k]);
            I = info(theta[..k], theta[k], theta[k + 1], g);
        }
        var v = Matrix<double>.Build.Dense(q, q, (a, c) => I[a * q + c]).Inverse();
        var vc = new double[q * q];
        for (int a = 0; a < q; a++) for (int c = 0; c < q; c++) vc[a * q + c] = 0.5 * (v[a, c] + v[c, a]);
        return new Estimate(theta, vc, ll, uncorrected, si, g);
    }
}
