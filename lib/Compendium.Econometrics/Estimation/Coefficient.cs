using System.Collections.Immutable;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Estimation;

/// <summary>One estimated coefficient with its inference (t test and 95% interval on t(df)).</summary>
public sealed record Coefficient(string Name, double Estimate, double StdError, double T, double P, double CiLow, double CiHigh)
{
    /// <summary>
    /// Why this coefficient's inference (standard error, t, p, interval) cannot be computed from its own
    /// numbers, or null when it can: an undefined estimate or standard error (a singular variance, no
    /// residual degrees of freedom), or a standard error of zero (no residual variation, so t is
    /// undefined or infinite). Such a coefficient is shown as "not computable: REASON", never with
    /// significance stars; <see cref="EstimationResult.NotComputable(Coefficient)"/> adds the model's reason.
    /// </summary>
    public string? NotComputable =>
        double.IsNaN(Estimate) ? "the estimate is undefined"
        : double.IsNaN(StdError) || double.IsInfinity(StdError) ? "no standard error (a singular variance, or no residual degrees of freedom)"
        : StdError == 0 || double.IsInfinity(T) ? "the standard error is zero (no residual variation)"
        : double.IsNaN(P) ? "no p-value (no degrees of freedom for the t distribution)"
        : null;

    /// <summary>
    /// The coefficients β̂ with SE = √V̂_jj, t = β̂/SE, two-sided p and 95% interval β̂ ± t_{0.975}(df)·SE on
    /// the variance's degrees of freedom (t(G − 1) when clustered, t(n − K) otherwise; the normal when +∞): one rule for every estimator.
    /// </summary>
    public static ImmutableArray<Coefficient> FromEstimates(IReadOnlyList<string> names, IReadOnlyList<double> beta, VcovEstimate v)
    {
        int k = names.Count;
        double q = Distributions.TQuantile(0.975, v.DegreesOfFreedom);
        var coefs = ImmutableArray.CreateBuilder<Coefficient>(k);
        for (int j = 0; j < k; j++)
        {
            double se = Math.Sqrt(v.Matrix[j * k + j]), t = beta[j] / se;
            coefs.Add(new Coefficient(names[j], beta[j], se, t, Distributions.TwoSidedT(t, v.DegreesOfFreedom), beta[j] - q * se, beta[j] + q * se));
        }
        return coefs.MoveToImmutable();
    }
}
