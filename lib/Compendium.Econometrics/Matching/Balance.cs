using System.Collections.Immutable;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Matching;

/// <summary>
/// Covariate balance of one variable between treated and control rows, before matching (all usable rows,
/// weight 1) and after (matched rows, matching weights).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Means: weighted means Σwx/Σw within each group.</item>
/// <item><b>Standardised mean difference</b> (R MatchIt's <c>summary()</c>, estimand ATT):
/// (x̄_t − x̄_c)/s_t with s_t the treated group's SD in the unmatched sample, the same denominator
/// before and after: the sample SD (n − 1) for a continuous variable, √(p(1 − p)) for a 0/1 variable;
/// if s_t is below √ε (a constant among the treated) MatchIt's pooled SD is used instead; a difference
/// below √ε in absolute value is reported unstandardised (as MatchIt does).</item>
/// <item><b>% bias</b> (psmatch2's <c>pstest</c>, Rosenbaum and Rubin 1985): 100 (x̄_t − x̄_c)/√((s²_t + s²_c)/2)
/// with s² the sample variances (n − 1) of the unmatched treated and control groups, before and after alike.</item>
/// <item><b>t-test</b>: the coefficient of the treated indicator in a weighted least-squares regression of x on
/// it (classical standard error, n − 2 degrees of freedom, n the rows with positive weight): before matching the
/// equal-variance two-sample t-test.</item>
/// </list>
/// </remarks>
/// <param name="Variable">Covariate name, or <c>score</c> for the propensity score.</param>
/// <param name="MeanTreatedBefore">Treated mean, unmatched sample.</param>
/// <param name="MeanControlBefore">Control mean, unmatched sample.</param>
/// <param name="SmdBefore">Standardised mean difference, unmatched sample.</param>
/// <param name="PctBiasBefore">% bias, unmatched sample.</param>
/// <param name="TBefore">t of the difference, unmatched sample.</param>
/// <param name="PBefore">Its two-sided p-value.</param>
/// <param name="MeanTreatedAfter">Treated mean, matched sample (weighted).</param>
/// <param name="MeanControlAfter">Control mean, matched sample (weighted).</param>
/// <param name="SmdAfter">Standardised mean difference, matched sample.</param>
/// <param name="PctBiasAfter">% bias, matched sample.</param>
/// <param name="TAfter">t of the difference, matched sample.</param>
/// <param name="PAfter">Its two-sided p-value.</param>
public sealed record BalanceRow(string Variable,
    double MeanTreatedBefore, double MeanControlBefore, double SmdBefore, double PctBiasBefore, double TBefore, double PBefore,
    double MeanTreatedAfter, double MeanControlAfter, double SmdAfter, double PctBiasAfter, double TAfter, double PAfter)
{
    /// <summary>Reduction of |% bias| by matching, in percent of the unmatched |% bias| (pstest's "% reduct |bias|").</summary>
    public double PctBiasReduction => 100 * (1 - Math.Abs(PctBiasAfter) / Math.Abs(PctBiasBefore));
}

internal static class Balance
{
    private static readonly double SqrtEps = Math.Sqrt(2.220446049250313e-16);

    public static ImmutableArray<BalanceRow> Compute(IReadOnlyList<(string Name, double[] Values)> variables, double[] treated, double[] weight, bool[] usable)
    {
        var rows = ImmutableArray.CreateBuilder<BalanceRow>(variables.Count);
        int n = treated.Length;
        var ones = new double[n];
        var after = new double[n];
        for (int i = 0; i < n; i++) { ones[i] = usable[i] ? 1 : 0; after[i] = usable[i] ? weight[i] : 0; }
        foreach (var (name, x) in variables)
        {
            var (st, pooled) = Denominators(x, treated, usable);
            var b = Row(x, treated, ones, st, pooled);
            var a = Row(x, treated, after, st, pooled);
            rows.Add(new BalanceRow(name, b.Mt, b.Mc, b.Smd, b.Bias, b.T, b.P, a.Mt, a.Mc, a.Smd, a.Bias, a.T, a.P));
        }
        return rows.MoveToImmutable();
    }

    private static (double Treated, double Pooled) Denominators(double[] x, double[] t, bool[] usable)
    {
        bool binary = true;
        double n1 = 0, n0 = 0, s1 = 0, s0 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!usable[i]) continue;
            if (x[i] != 0 && x[i] != 1) binary = false;
            if (t[i] == 1) { n1++; s1 += x[i]; } else { n0++; s0 += x[i]; }
        }
        double m1 = s1 / n1, m0 = s0 / n0, ss1 = 0, ss0 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!usable[i]) continue;
            if (t[i] == 1) ss1 += (x[i] - m1) * (x[i] - m1); else ss0 += (x[i] - m0) * (x[i] - m0);
        }
        double v1 = ss1 / (n1 - 1), v0 = ss0 / (n0 - 1);
        double st = binary ? Math.Sqrt(m1 * (1 - m1)) : Math.Sqrt(v1);
        if (!double.IsFinite(st) || st < SqrtEps)
        {
            // MatchIt's pooled_sd(contribution = "proportional") with unit sampling weights.
            double nn = n1 + n0;
            st = binary ? Math.Sqrt(s1 * (1 - s1 / n1) / nn + s0 * (1 - s0 / n0) / nn) : Math.Sqrt((ss1 + ss0) / (nn - 1));
        }
        return (st, Math.Sqrt((v1 + v0) / 2));
    }

    private readonly record struct Stats(double Mt, double Mc, double Smd, double Bias, double T, double P);

    private static Stats Row(double[] x, double[] t, double[] w, double st, double pooled)
    {
        double w1 = 0, w0 = 0, sx1 = 0, sx0 = 0;
        int used = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (w[i] <= 0) continue;
            used++;
            if (t[i] == 1) { w1 += w[i]; sx1 += w[i] * x[i]; } else { w0 += w[i]; sx0 += w[i] * x[i]; }
        }
        double mt = sx1 / w1, mc = sx0 / w0, d = mt - mc;
        double rss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (w[i] <= 0) continue;
            double e = x[i] - (t[i] == 1 ? mt : mc);
            rss += w[i] * e * e;
        }
        double se = Math.Sqrt(rss / (used - 2) * (1 / w1 + 1 / w0));
        double tv = d / se;
        double p = Distributions.TwoSidedT(tv, used - 2);
        double smd = Math.Abs(d) > SqrtEps ? d / st : d;
        return new Stats(mt, mc, smd, 100 * d / pooled, tv, p);
    }
}
