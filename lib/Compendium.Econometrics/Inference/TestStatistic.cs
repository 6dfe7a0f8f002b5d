using System.Globalization;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Inference;

/// <summary>The outcome of a hypothesis test.</summary>
/// <param name="Name">e.g. "Wald (F)".</param>
/// <param name="Statistic">The test statistic.</param>
/// <param name="PValue">Upper-tail probability under the null.</param>
/// <param name="Df1">Numerator degrees of freedom (number of restrictions).</param>
/// <param name="Df2">Denominator degrees of freedom (NaN for a χ² test).</param>
/// <param name="Null">The null hypothesis in words, e.g. "rel_year::-3 = rel_year::-2 = 0".</param>
public sealed record TestStatistic(string Name, double Statistic, double PValue, double Df1, double Df2, string Null)
{
    /// <summary>Why the test cannot be computed, when the estimator knows (e.g. the outcome does not vary); see <see cref="NotComputable"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Why the test cannot be computed, or null when it can: <see cref="Reason"/>, else an undefined
    /// statistic or p-value (a singular variance of the tested coefficients). A test that cannot be
    /// computed is shown as "not computable: REASON" and supports no conclusion either way.
    /// </summary>
    public string? NotComputable => Reason
        ?? (double.IsNaN(Statistic) || double.IsInfinity(Statistic) || double.IsNaN(PValue)
            ? "the statistic is undefined (a singular variance of the tested coefficients)" : null);

    /// <summary>
    /// The verbal conclusion at significance level <paramref name="level"/>, computed from the p-value:
    /// <paramref name="rejected"/> when p &lt; level, <paramref name="notRejected"/> otherwise, and when the
    /// test cannot be computed a sentence saying so, which draws no conclusion either way.
    /// </summary>
    public string Conclusion(double level, string rejected, string notRejected) =>
        NotComputable is { } why
            ? $"The test cannot be computed ({why}), so these data support no conclusion about the hypothesis that {Null}."
            : PValue < level ? rejected : notRejected;

    /// <summary>One line: name, statistic, degrees of freedom, p-value and the null hypothesis (or "not computable: REASON").</summary>
    public override string ToString() => NotComputable is { } why
        ? $"{Name}: not computable: {why}; H0: {Null}"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {Statistic:0.####} (df {Df1}{(double.IsNaN(Df2) ? "" : ", " + Df2)}), {(PValue < 0.0001 ? "p < 0.0001" : $"p = {PValue:0.####}")}; H0: {Null}");
}

/// <summary>
/// Wald test of linear restrictions R β = r with a given covariance V of β̂:
/// W = (Rβ̂ − r)'(R V R')⁻¹(Rβ̂ − r); the F form is W/q with q restrictions, compared with
/// F(q, df2). fixest's <c>wald()</c> uses the same statistic with df2 = n − K (the residual degrees
/// of freedom); so does <c>FeolsResult.Wald</c>.
/// </summary>
public static class WaldTest
{
    /// <param name="beta">β̂ (length k).</param>
    /// <param name="vcov">V, row-major k×k.</param>
    /// <param name="r">R, q×k row-major.</param>
    /// <param name="rhs">r (length q); null for zeros.</param>
    /// <param name="df2">Denominator degrees of freedom.</param>
    /// <param name="nullText">The hypothesis in words.</param>
    public static TestStatistic F(IReadOnlyList<double> beta, IReadOnlyList<double> vcov, double[,] r, double[]? rhs, double df2, string nullText)
    {
        int k = beta.Count, q = r.GetLength(0);
        if (r.GetLength(1) != k) throw new ArgumentException("R has the wrong number of columns");
        var d = new double[q];
        for (int a = 0; a < q; a++)
        {
            double s = -(rhs?[a] ?? 0);
            for (int j = 0; j < k; j++) s += r[a, j] * beta[j];
            d[a] = s;
        }
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(q, q, (a, b) =>
        {
            double s = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) s += r[a, i] * vcov[i * k + j] * r[b, j];
            return s;
        });
        var dv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(d);
        double w = dv.DotProduct(m.Solve(dv));
        double f = w / q;
        return new TestStatistic("Wald (F)", f, Distributions.UpperF(f, q, df2), q, df2, nullText);
    }
}
