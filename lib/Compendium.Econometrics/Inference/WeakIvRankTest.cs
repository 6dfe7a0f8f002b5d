using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Design;

namespace Compendium.Econometrics.Inference;

/// <summary>
/// Canonical correlations and the Kleibergen–Paap (2006) rk statistic for the rank of the
/// first-stage coefficient matrix Π (L1 × K1) in D̃ = Z̃Π + V, where D̃ (N × K1, endogenous
/// regressors) and Z̃ (N × L1, excluded instruments) have had the fixed effects and the exogenous
/// regressors partialled out. The building blocks of the Cragg–Donald, Anderson and
/// Kleibergen–Paap identification statistics reported by <c>Iv2sls</c>.
/// </summary>
/// <remarks>
/// <para>With Q_zz = Z̃'Z̃/N, Q_yy = D̃'D̃/N and Π̂ = Q_zz⁻¹Z̃'D̃/N, let F'F = Q_zz and G'G = Q_yy
/// (upper Cholesky factors) and Θ̂ = F Π̂ G⁻¹. Its singular values are the canonical correlations
/// r_1 ≥ … ≥ r_K1 between D̃ and Z̃.</para>
/// <para>Kleibergen–Paap rk test of H0: rank(Π) = K1 − 1 (Kleibergen, F. and Paap, R. (2006),
/// "Generalized reduced rank tests using the singular value decomposition", J. Econometrics
/// 133(1), 97–126, eqs. 12–21): with the SVD Θ̂ = USV' partitioned at q = K1 − 1,
/// A_⊥ = [U12; U22] U22⁻¹ (U22U22')^½, B_⊥ = (V22V22')^½ V22'⁻¹ [V12; V22]', λ = (B_⊥ ⊗ A_⊥') vec Θ̂ and
/// rk = N λ'(B_⊥ ⊗ A_⊥') Ŵ (B_⊥ ⊗ A_⊥')'⁻¹ λ ~ χ²(L1 − K1 + 1), where Ŵ = (G⁻¹' ⊗ F'⁻¹) Ω̂ (G⁻¹' ⊗ F'⁻¹)' is
/// the covariance of vec Θ̂ and Ω̂ = N⁻¹ Σ_g s_g s_g' with s_g = Σ_{i∈g} v_i ⊗ z̃_i (one observation per
/// g for heteroskedasticity-robust Ω̂). The LM form takes v_i = d̃_i, the Wald form the first-stage
/// residuals v̂_i = d̃_i − Π̂'z̃_i (as Stata's ranktest, Kleibergen and Schaffer 2007). With
/// Ω̂ = Σ̂ ⊗ Q_zz (homoskedastic) the Wald form equals the Cragg–Donald statistic N r²_min/(1 − r²_min).</para>
/// </remarks>
internal static class WeakIvRankTest
{
    internal sealed record Canonical(Matrix<double> Theta, Matrix<double> FInv, Matrix<double> GInv, Matrix<double> Pi, double[] Correlations2);

    /// <summary>Canonical correlations (squared, descending) and the pieces the rk statistic needs.</summary>
    public static Canonical CanonicalCorrelations(Matrix<double> d, Matrix<double> z)
    {
        int n = d.RowCount;
        var qzz = z.TransposeThisAndMultiply(z) / n;
        var qyy = d.TransposeThisAndMultiply(d) / n;
        var qzy = z.TransposeThisAndMultiply(d) / n;
        var f = qzz.Cholesky().Factor.Transpose();   // MathNet gives lower L with LL' = A; F = L' is upper with F'F = A
        var g = qyy.Cholesky().Factor.Transpose();
        var pi = qzz.Cholesky().Solve(qzy);
        var gInv = g.Inverse();
        var theta = f * pi * gInv;
        var sv = theta.Svd(true).S.ToArray();
        return new Canonical(theta, f.Inverse(), gInv, pi, sv.Take(Math.Min(d.ColumnCount, z.ColumnCount)).Select(s => s * s).ToArray());
    }

    /// <summary>
    /// The rk statistic N λ'V_λ⁻¹λ for H0: rank(Π) = K1 − 1, given the per-group sums of the scores
    /// v_i ⊗ z̃_i (rows = groups; one row per observation when not clustered). For multiway clustering
    /// pass the inclusion–exclusion combination as <paramref name="omegaTimesN"/> directly.
    /// </summary>
    /// <param name="c">From <see cref="CanonicalCorrelations"/>.</param>
    /// <param name="omegaTimesN">N·Ω̂ = Σ_g s_g s_g' (K1·L1 square, equation-major: block j holds v_j z̃).</param>
    /// <param name="n">Observations.</param>
    public static double RkStatistic(Canonical c, Matrix<double> omegaTimesN, int n)
    {
        int l1 = c.Theta.RowCount, k1 = c.Theta.ColumnCount, q = k1 - 1;
        var svd = c.Theta.Svd(true);
        var u = svd.U; var v = svd.VT.Transpose();
        // vec Θ = (G⁻¹' ⊗ F) vec Π and F Q_zz⁻¹ = F'⁻¹ = (F⁻¹)', so Var(vec Θ)·N = T Ω T' with T = G⁻¹' ⊗ F⁻¹'.
        var t = c.GInv.Transpose().KroneckerProduct(c.FInv.Transpose());
        var w = t * (omegaTimesN / n) * t.Transpose();
        Matrix<double> aPerp, bPerp;
        if (q == 0)
        {
            // Nothing to partition: U and V are orthogonal, so A_⊥ = I and B_⊥ = 1 and λ = vec Θ.
            aPerp = Matrix<double>.Build.DenseIdentity(l1);
            bPerp = Matrix<double>.Build.DenseIdentity(1);
        }
        else
        {
            var u12 = u.SubMatrix(0, q, q, l1 - q);
            var u22 = u.SubMatrix(q, l1 - q, q, l1 - q);
            var v12 = v.SubMatrix(0, q, q, k1 - q);
            var v22 = v.SubMatrix(q, k1 - q, q, k1 - q);
            aPerp = u12.Stack(u22) * u22.Inverse() * SymmetricSqrt(u22 * u22.Transpose());
            bPerp = SymmetricSqrt(v22 * v22.Transpose()) * v22.Transpose().Inverse() * v12.Stack(v22).Transpose();
        }
        var m = bPerp.KroneckerProduct(aPerp.Transpose());
        var lambda = m * Vec(c.Theta);
        var vl = m * w * m.Transpose();
        vl = (vl + vl.Transpose()) / 2;
        return n * lambda.DotProduct(vl.Solve(lambda));
    }

    /// <summary>Σ_g s_g s_g' for scores s_i = v_i ⊗ z̃_i summed within groups (codes 0..groups−1; null = each observation its own group).</summary>
    public static Matrix<double> ScoreMeat(Matrix<double> v, Matrix<double> z, int[]? codes, int groups)
    {
        int n = v.RowCount, k1 = v.ColumnCount, l1 = z.ColumnCount, p = k1 * l1;
        var sums = Matrix<double>.Build.Dense(codes is null ? n : groups, p);
        for (int i = 0; i < n; i++)
        {
            int g = codes is null ? i : codes[i];
            for (int j = 0; j < k1; j++)
                for (int l = 0; l < l1; l++) sums[g, j * l1 + l] += v[i, j] * z[i, l];
        }
        return sums.TransposeThisAndMultiply(sums);
    }

    private static Vector<double> Vec(Matrix<double> m) =>
        Vector<double>.Build.Dense(m.RowCount * m.ColumnCount, i => m[i % m.RowCount, i / m.RowCount]);

    private static Matrix<double> SymmetricSqrt(Matrix<double> a)
    {
        var evd = a.Evd(Symmetricity.Symmetric);
        var d = Matrix<double>.Build.DiagonalOfDiagonalVector(evd.EigenValues.Map(x => Math.Sqrt(Math.Max(x.Real, 0))));
        return evd.EigenVectors * d * evd.EigenVectors.Transpose();
    }
}
