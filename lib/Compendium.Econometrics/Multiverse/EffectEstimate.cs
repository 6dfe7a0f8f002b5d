using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Multiverse;

/// <summary>
/// One estimated effect with its inference: what a specification curve ranks and a design diagnosis
/// scores. Any estimator plugs in through a small adapter that returns one of these, usually
/// <see cref="From(EstimationResult, string)"/> on the coefficient of interest. Intervals are 95%;
/// "significant" means p &lt; 0.05, the same test the interval inverts.
/// </summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="CiLow">Lower end of the 95% interval.</param>
/// <param name="CiHigh">Upper end of the 95% interval.</param>
/// <param name="P">Two-sided p-value of H0: effect = 0.</param>
/// <param name="Nobs">Observations used.</param>
public sealed record EffectEstimate(double Estimate, double StdError, double CiLow, double CiHigh, double P, int Nobs)
{
    /// <summary>Significance level of <see cref="Significant"/> (the complement of the intervals' 95% level).</summary>
    public const double Alpha = 0.05;

    /// <summary>The coefficient <paramref name="coefficient"/> of any result implementing the <see cref="EstimationResult"/> contract (its SE, p and 95% interval as the estimator reports them).</summary>
    public static EffectEstimate From(EstimationResult result, string coefficient)
    {
        var c = result[coefficient];
        return new EffectEstimate(c.Estimate, c.StdError, c.CiLow, c.CiHigh, c.P, result.Nobs);
    }

    /// <summary>
    /// From an estimate and its standard error with t(<paramref name="df"/>) inference (df = +∞: normal):
    /// p = 2·P(|t| &gt; |β̂/SE|), interval β̂ ± t_{0.975}(df)·SE — the rule of <see cref="Coefficient.FromEstimates"/>.
    /// </summary>
    public static EffectEstimate FromT(double estimate, double stdError, double df, int nobs)
    {
        double q = Distributions.TQuantile(0.975, df);
        return new EffectEstimate(estimate, stdError, estimate - q * stdError, estimate + q * stdError,
            Distributions.TwoSidedT(estimate / stdError, df), nobs);
    }

    /// <summary>p &lt; 0.05.</summary>
    public bool Significant => P < Alpha;

    /// <summary>True when the 95% interval contains <paramref name="truth"/>.</summary>
    public bool Covers(double truth) => CiLow <= truth && truth <= CiHigh;
}
