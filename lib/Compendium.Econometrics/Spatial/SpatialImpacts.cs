using System.Collections.Immutable;
using Compendium.Econometrics.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Compendium.Econometrics.Spatial;

/// <summary>
/// Direct, indirect (spillover) and total effect of one regressor in a spatial lag or Durbin model
/// (LeSage &amp; Pace 2009, ch. 2.7): with S = I − ρW and ∂y/∂x_k′ = S⁻¹(β_k I + θ_k W),
/// direct = tr(S⁻¹(β_k I + θ_k W))/n (mean own effect), total = 1′S⁻¹(β_k I + θ_k W)1/n (mean row sum),
/// indirect = total − direct.
/// </summary>
/// <param name="Name">The regressor.</param>
/// <param name="Direct">Mean own-unit effect.</param>
/// <param name="Indirect">Mean effect on the other units (the spillover).</param>
/// <param name="Total">Direct + indirect.</param>
/// <param name="DirectSe">Delta-method standard error (analytical gradient in β_k, θ_k, ρ).</param>
/// <param name="IndirectSe">Delta-method standard error of the indirect effect.</param>
/// <param name="TotalSe">Delta-method standard error of the total effect.</param>
/// <param name="DirectSimSe">Standard deviation of the direct effect over simulated draws of (β, θ, ρ) (NaN if not simulated).</param>
/// <param name="IndirectSimSe">Simulated standard error of the indirect effect.</param>
/// <param name="TotalSimSe">Simulated standard error of the total effect.</param>
public sealed record SpatialImpact(string Name, double Direct, double Indirect, double Total, double DirectSe, double IndirectSe,
    double TotalSe, double DirectSimSe = double.NaN, double IndirectSimSe = double.NaN, double TotalSimSe = double.NaN)
{
    /// <summary>z = effect/SE for the direct, indirect and total effects (delta method).</summary>
    public (double Direct, double Indirect, double Total) Z => (Direct / DirectSe, Indirect / IndirectSe, Total / TotalSe);
}

/// <summary>LeSage–Pace impacts and their standard errors (delta method; simulation as spatialreg's <c>impacts(R = …)</c>).</summary>
internal static class SpatialImpacts
{
    /// <summary>The scalar functions of ρ the impacts need, and their derivatives.</summary>
    private readonly record struct Multipliers(double M1, double M2, double M1p, double M2p, double T1, double T2, double T1p, double T2p);

    /// <summary>
    /// m1 = tr(S⁻¹)/n, m2 = tr(S⁻¹W)/n, t1 = 1′S⁻¹1/n, t2 = 1′S⁻¹W1/n and their ρ-derivatives
    /// (dS⁻¹/dρ = S⁻¹WS⁻¹): m1′ = tr(S⁻¹WS⁻¹)/n, m2′ = tr((S⁻¹W)²)/n, t1′ = 1′S⁻¹WS⁻¹1/n, t2′ = 1′(S⁻¹W)²1/n.
    /// <paramref name="g"/> = W S⁻¹ = S⁻¹W.
    /// </summary>
    private static Multipliers Of(double[] si, double[] g, int n)
    {
        double m1 = 0, m2 = 0, m1p = 0, m2p = 0, t1 = 0, t2 = 0;
        var gc = new double[n]; var sr = new double[n]; var gr = new double[n];
        for (int i = 0; i < n; i++)
        {
            m1 += si[i * n + i]; m2 += g[i * n + i];
            for (int j = 0; j < n; j++)
            {
                double gij = g[i * n + j], sij = si[i * n + j];
                m1p += gij * si[j * n + i]; m2p += gij * g[j * n + i];
                t1 += sij; t2 += gij; gc[j] += gij; sr[i] += sij; gr[i] += gij;
            }
        }
        double t1p = 0, t2p = 0;
        for (int i = 0; i < n; i++) { t1p += gc[i] * sr[i]; t2p += gc[i] * gr[i]; }
        return new Multipliers(m1 / n, m2 / n, m1p / n, m2p / n, t1 / n, t2 / n, t1p / n, t2p / n);
    }

    /// <summary>
    /// Impacts of the regressors <paramref name="names"/>: β at <paramref name="betaIndex"/>, θ at <paramref name="thetaIndex"/>
    /// (−1 for a lag model), ρ at <paramref name="rhoIndex"/> of θ̂ and V̂ (row-major, size p).
    /// </summary>
    internal static ImmutableArray<SpatialImpact> Compute(IReadOnlyList<string> names, int[] betaIndex, int[] thetaIndex, int rhoIndex,
        double[] theta, double[] vcov, int p, double[] si, double[] g, SpatialWeights w, int draws, ulong seed)
    {
        int n = w.Count;
        var mu = Of(si, g, n);
        var res = new SpatialImpact[names.Count];
        for (int x = 0; x < names.Count; x++)
        {
            int bi = betaIndex[x], ti = thetaIndex[x];
            double b = theta[bi], th = ti >= 0 ? theta[ti] : 0;
            double dir = b * mu.M1 + th * mu.M2, tot = b * mu.T1 + th * mu.T2;
            // gradients in (β, θ, ρ)
            double[] gd = [mu.M1, mu.M2, b * mu.M1p + th * mu.M2p];
            double[] gt = [mu.T1, mu.T2, b * mu.T1p + th * mu.T2p];
            double[] gi = [gt[0] - gd[0], gt[1] - gd[1], gt[2] - gd[2]];
            int[] idx = [bi, ti, rhoIndex];
            double Q(double[] gr)
            {
                double s = 0;
                for (int a = 0; a < 3; a++)
                    for (int c = 0; c < 3; c++)
                        if (idx[a] >= 0 && idx[c] >= 0) s += gr[a] * vcov[idx[a] * p + idx[c]] * gr[c];
                return Math.Sqrt(s);
            }
            res[x] = new SpatialImpact(names[x], dir, tot - dir, tot, Q(gd), Q(gi), Q(gt));
        }
        if (draws > 0) res = Simulate(res, betaIndex, thetaIndex, rhoIndex, theta, vcov, p, w, draws, seed);
        return [.. res];
    }

    /// <summary>
    /// Simulated standard errors: <paramref name="draws"/> draws of (β, θ, ρ) from N(θ̂, V̂) (Cholesky factor of V̂'s block,
    /// normals from <see cref="SplitMix64"/>), draws with ρ outside W's admissible interval discarded and redrawn;
    /// the impacts of each draw from the eigenvalues of W (tr(S⁻¹) = Σ 1/(1 − ρω), tr(S⁻¹W) = Σ ω/(1 − ρω)) and,
    /// for a row-standardised W, 1′S⁻¹1/n = 1′S⁻¹W1/n = 1/(1 − ρ) (otherwise S⁻¹1 is solved per draw);
    /// the SE is the standard deviation over the draws.
    /// </summary>
    private static SpatialImpact[] Simulate(SpatialImpact[] point, int[] betaIndex, int[] thetaIndex, int rhoIndex,
        double[] theta, double[] vcov, int p, SpatialWeights w, int draws, ulong seed)
    {
        var idx = betaIndex.Concat(thetaIndex.Where(t => t >= 0)).Append(rhoIndex).ToArray();
        int q = idx.Length;
        var block = Matrix<double>.Build.Dense(q, q, (a, c) => vcov[idx[a] * p + idx[c]]);
        var L = block.Cholesky().Factor;
        var pos = idx.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        var (lo, hi) = w.RhoBounds;
        var (re, im) = w.Eigenvalues;
        int n = w.Count;
        var rng = new SplitMix64(seed);
        // Welford's running mean and sum of squared deviations of each effect over the draws
        var mean = new double[point.Length, 3]; var m2 = new double[point.Length, 3];
        var z = new double[q]; var d = new double[q];
        double[]? wd = w.RowStandardised ? null : w.Dense();
        for (int r = 0; r < draws; r++)
        {
            do
            {
                for (int a = 0; a < q; a++) z[a] = rng.NextNormal();
                for (int a = 0; a < q; a++)
                {
                    double s = theta[idx[a]];
                    for (int c = 0; c <= a; c++) s += L[a, c] * z[c];
                    d[a] = s;
                }
            } while (!(d[q - 1] > lo && d[q - 1] < hi));
            double rho = d[q - 1], m1 = 0, mw = 0;
            for (int i = 0; i < n; i++)
            {
                double a = 1 - rho * re[i], b = -rho * im[i], den = a * a + b * b;
                m1 += a / den;                                  // Re 1/(1 − ρω)
                mw += (re[i] * a + im[i] * b) / den;            // Re ω/(1 − ρω)
            }
            m1 /= n; mw /= n;
            var (t1, t2) = wd is null ? (1 / (1 - rho), 1 / (1 - rho)) : Totals(wd, n, rho);
            for (int x = 0; x < point.Length; x++)
            {
                double b = d[pos[betaIndex[x]]], th = thetaIndex[x] >= 0 ? d[pos[thetaIndex[x]]] : 0;
                double dir = b * m1 + th * mw, tot = b * t1 + th * t2;
                Span<double> e = [dir, tot - dir, tot];
                for (int c = 0; c < 3; c++)
                {
                    double delta = e[c] - mean[x, c];
                    mean[x, c] += delta / (r + 1);
                    m2[x, c] += delta * (e[c] - mean[x, c]);
                }
            }
        }
        double Sd(int x, int c) => Math.Sqrt(m2[x, c] / (draws - 1));
        return [.. point.Select((pt, x) => pt with { DirectSimSe = Sd(x, 0), IndirectSimSe = Sd(x, 1), TotalSimSe = Sd(x, 2) })];
    }

    private static (double T1, double T2) Totals(double[] wd, int n, double rho)
    {
        var s = Matrix<double>.Build.Dense(n, n, (i, j) => (i == j ? 1 : 0) - rho * wd[i * n + j]);
        var one = Vector<double>.Build.Dense(n, 1.0);
        var w1 = Vector<double>.Build.Dense(n, i => { double r = 0; for (int j = 0; j < n; j++) r += wd[i * n + j]; return r; });
        var lu = s.LU();
        return (lu.Solve(one).Sum() / n, lu.Solve(w1).Sum() / n);
    }
}
