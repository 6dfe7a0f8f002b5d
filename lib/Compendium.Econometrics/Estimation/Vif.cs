using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// Variance inflation factors: VIF_j = 1 / (1 − R_j²), where R_j² is the R² of the auxiliary
/// regression of regressor x_j on all the other regressors (Marquardt 1970; Fox &amp; Monette 1992
/// for the generalised form; R's <c>car::vif</c>).
/// </summary>
/// <remarks>
/// <para>Two versions. Without fixed effects (the usual one, and what a paper's "maximum VIF = 2.71"
/// almost always is: Stata's <c>estat vif</c> after <c>reg</c>, or <c>car::vif</c> after <c>lm</c>),
/// each auxiliary regression has an intercept and R_j² is centred. With fixed effects absorbed,
/// every regressor is first within-transformed by the fixed effects and R_j² is the R² of the
/// no-intercept regression of the transformed x_j on the other transformed regressors (Frisch–Waugh–
/// Lovell): it measures collinearity in the variation the fixed-effects model actually uses,
/// so it is larger, often much larger, for slowly moving regressors.</para>
/// <para>Auxiliary regressions are solved by Householder QR, not normal equations. An exactly collinear
/// set (R_j² = 1 to machine precision) is an <see cref="InputException"/> naming the variables.</para>
/// </remarks>
public static class Vif
{
    /// <summary>
    /// VIFs of <paramref name="regressors"/>: with an intercept when <paramref name="absorb"/> is empty,
    /// otherwise after within-transforming every regressor by the fixed effects <paramref name="absorb"/>
    /// (<see cref="Demeaner"/>, as <see cref="Feols"/>). Rows with a missing value in any regressor or
    /// fixed effect are dropped (listwise); singletons are kept.
    /// </summary>
    public static VifResult Compute(ColumnTable data, IReadOnlyList<string> regressors, IReadOnlyList<string>? absorb = null)
    {
        absorb ??= [];
        if (regressors.Count < 2)
            throw new InputException($"VIF needs at least two regressors; got {regressors.Count} ({string.Join(", ", regressors)}).");
        var cols = regressors.Select(data.Numeric).ToArray();
        var factors = absorb.Select(f => data.HasColumn(f) ? Factor.FromColumn(data, f) : throw data.Missing(f)).ToArray();
        var rows = Enumerable.Range(0, data.RowCount)
            .Where(i => cols.All(c => !double.IsNaN(c[i])) && factors.All(f => f.Codes[i] >= 0)).ToArray();
        var x = cols.Select(c => rows.Select(i => c[i]).ToArray()).ToArray();
        if (factors.Length > 0)
        {
            var raw = x.Select(c => ModelFrame.Norm(c, null, centred: true)).ToArray();   // invariant to adding a constant
            new Demeaner(factors.Select(f => f.Subset(rows)).ToArray(), null, rows.Length).Demean(x, x);
            // Same relative tolerance and scale as OlsSolver's collinearity check: what is left is rounding noise.
            for (int j = 0; j < x.Length; j++)
                if (Math.Sqrt(Vectors.Dot(x[j], x[j])) <= OlsSolver.CollinearityTolerance * raw[j])
                    throw new InputException($"VIF: regressor '{regressors[j]}' has no variation after absorbing {string.Join(" + ", absorb)} (it is constant within their levels).");
        }
        var X = Matrix<double>.Build.DenseOfColumnArrays(x);
        return FromMatrix(X, regressors, withIntercept: factors.Length == 0, fixedEffects: absorb);
    }

    /// <summary>
    /// VIFs from a regressor matrix. With <paramref name="withIntercept"/> the auxiliary regressions
    /// include a constant and R² is centred; without it the columns are taken as already
    /// within-transformed by <paramref name="fixedEffects"/> (named for the result's notes) and R² is uncentred.
    /// </summary>
    public static VifResult FromMatrix(Matrix<double> X, IReadOnlyList<string> names, bool withIntercept, IReadOnlyList<string> fixedEffects)
    {
        int n = X.RowCount, k = X.ColumnCount;
        if (n <= k + (withIntercept ? 1 : 0))
            throw new InputException($"VIF of {string.Join(", ", names)}: {n} complete rows are too few for {k} regressors.");
        var entries = ImmutableArray.CreateBuilder<VifEntry>(k);
        for (int j = 0; j < k; j++)
        {
            var y = X.Column(j);
            var others = Enumerable.Range(0, k).Where(c => c != j).ToArray();
            var A = Matrix<double>.Build.Dense(n, others.Length + (withIntercept ? 1 : 0), (r, c) =>
                withIntercept ? (c == 0 ? 1.0 : X[r, others[c - 1]]) : X[r, others[c]]);
            var fitted = A * A.QR().Solve(y);
            double rss = (y - fitted).DotProduct(y - fitted);
            double mean = withIntercept ? y.Average() : 0;
            double tss = y.Sum(v => (v - mean) * (v - mean));
            if (tss == 0)
                throw new InputException($"VIF: regressor '{names[j]}' has no variation{(withIntercept ? "" : " after absorbing " + string.Join(" + ", fixedEffects))}.");
            double r2 = 1 - rss / tss;
            if (rss <= 1e-12 * tss)
                throw new InputException($"VIF: regressor '{names[j]}' is an exact linear combination of {string.Join(", ", others.Select(c => names[c]))}{(withIntercept ? " and the intercept" : "")}; drop one of them.");
            entries.Add(new VifEntry(names[j], r2, 1 / (1 - r2)));
        }
        return new VifResult(entries.MoveToImmutable(), n, fixedEffects.ToImmutableArray());
    }
}

/// <summary>The VIF of one regressor with the R² of its auxiliary regression.</summary>
public sealed record VifEntry(string Name, double AuxiliaryR2, double Vif)
{
    /// <summary>Tolerance 1/VIF = 1 − R_j².</summary>
    public double Tolerance => 1 - AuxiliaryR2;
}

/// <summary>VIFs of a set of regressors; renders as a table with the mean and maximum VIF.</summary>
/// <param name="Entries">One per regressor, in the order given.</param>
/// <param name="NObs">Complete rows used.</param>
/// <param name="FixedEffects">Fixed effects absorbed first (empty: plain OLS with intercept).</param>
public sealed record VifResult(ImmutableArray<VifEntry> Entries, int NObs, ImmutableArray<string> FixedEffects)
{
    /// <summary>The largest VIF (the number papers report, e.g. "max VIF = 2.71").</summary>
    public double Max => Entries.Max(e => e.Vif);
    /// <summary>The mean VIF (Stata's <c>estat vif</c> bottom line).</summary>
    public double Mean => Entries.Average(e => e.Vif);

    /// <summary>The VIF of <paramref name="name"/>.</summary>
    public double this[string name] => (Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new InputException($"no VIF for '{name}'; variables: {string.Join(", ", Entries.Select(e => e.Name))}")).Vif;

    /// <summary>Rows: variable, VIF, 1/VIF; then the mean and maximum.</summary>
    public IEnumerable<TableRow> ToRows()
    {
        foreach (var e in Entries) yield return new TableRow(e.Name, F(e.Vif), F(e.Tolerance, "F4"));
        yield return new TableRow(["Mean VIF", F(Mean), ""], RuleAbove: true);
        yield return new TableRow("Max VIF", F(Max), "");
    }

    /// <summary>The VIFs as a <see cref="Table"/>, with a note saying how R_j² was computed.</summary>
    public Table ToTable(string id = "vif", string title = "Variance inflation factors") =>
        new(id, title, ["Variable", "VIF", "1/VIF"], ToRows(),
            [FixedEffects.IsEmpty
                ? $"VIF_j = 1/(1 − R_j²), R_j² from regressing x_j on the other regressors with an intercept; N = {NObs}."
                : $"VIF_j = 1/(1 − R_j²) after absorbing {string.Join(" + ", FixedEffects)}: R_j² from the within-transformed regressors; N = {NObs}."]);

    private static string F(double v, string f = "F2") => v.ToString(f, CultureInfo.InvariantCulture);
}
