using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;
using MathNet.Numerics.Distributions;

namespace Compendium.Econometrics.Estimation;

/// <summary>Which form of the Anderson–Rubin statistic a confidence set inverts.</summary>
public enum AndersonRubinForm
{
    /// <summary>Wald F with the model's small-sample factor on F(L1, G − 1) clustered, F(L1, N − K) otherwise (as the AR F of <see cref="IvDiagnostics"/>).</summary>
    F,
    /// <summary>Wald χ²(L1) without small-sample factor (weakiv's default).</summary>
    ChiSquared,
}

/// <summary>Settings of <see cref="AndersonRubin"/>.</summary>
/// <param name="Level">Confidence level of the set.</param>
/// <param name="Form">The form of the statistic that is inverted.</param>
/// <param name="GridPoints">Points of the grid the test is evaluated on (the set's ends are then refined by bisection).</param>
/// <param name="GridHalfWidth">Half-width of the starting grid around the 2SLS estimate, in 2SLS standard errors; the grid is widened (doubled, up to 40 times) until its ends are on the side of the set the limit of the statistic implies.</param>
/// <param name="Iv">Singleton handling, as <see cref="Iv2sls"/>.</param>
public sealed record AndersonRubinOptions(double Level = 0.95, AndersonRubinForm Form = AndersonRubinForm.F, int GridPoints = 2001,
    double GridHalfWidth = 10, IvOptions? Iv = null);

/// <summary>The Anderson–Rubin test of H0: β = b0 at one value.</summary>
/// <param name="B0">The hypothesised coefficient.</param>
/// <param name="F">Wald F (small-sample factor, / L1).</param>
/// <param name="PF">Its p-value on F(L1, df2).</param>
/// <param name="ChiSquared">Wald χ²(L1) without small-sample factor.</param>
/// <param name="PChiSquared">Its p-value.</param>
public sealed record AndersonRubinTest(double B0, double F, double PF, double ChiSquared, double PChiSquared);

/// <summary>
/// The Anderson–Rubin (1949) test and confidence set for the coefficient of one endogenous regressor:
/// robust to weak instruments, exact in the normal linear model and valid under heteroskedasticity and
/// clustering in its Wald form (Chernozhukov and Hansen 2008; Andrews, Stock and Sun 2019).
/// </summary>
/// <remarks>
/// <para><b>Test.</b> For the model y = X₁γ + Dβ + FE + u with excluded instruments Z (L1 of them), H0: β = b0 is
/// tested by regressing y − b0·D on X₁, Z and the fixed effects (within-transformed, as <see cref="Iv2sls"/>) and
/// Wald-testing the L1 coefficients of Z with the model's <see cref="Vcov"/>: F = W/L1 with the small-sample
/// factor (K = L + K_fe), on F(L1, G − 1) clustered, F(L1, N − K) otherwise; χ² = W without the factor
/// (ivreg2's conventions, as the AR statistics of <see cref="IvDiagnostics"/> at b0 = 0). The reduced forms
/// of y and D on [X₁ Z] are computed once; at b0 the coefficients are π_y − b0·π_D and the residuals
/// e_y − b0·e_D, so each b0 costs one variance computation.</para>
/// <para><b>Confidence set</b> {b0 : p(b0) &gt; 1 − level}, by test inversion: the test is evaluated on a grid around
/// the 2SLS estimate and each change of side is refined by bisection (60 halvings). As |b0| → ∞ the statistic tends
/// to the first-stage Wald statistic of Z (same variance estimator and form), so the set is bounded exactly when the
/// instruments are significant in the first stage at the same level (Dufour 1997); otherwise it is unbounded —
/// a union of two rays, or the whole real line — and the grid is widened until its ends lie in the set. The set
/// is reported as a list of intervals with ±∞ ends.</para>
/// <para>One endogenous regressor only; checked against R (tests/reference/ar).</para>
/// </remarks>
public static class AndersonRubin
{
    /// <summary>The 2SLS fit, the AR test at 0 and the confidence set.</summary>
    public static AndersonRubinResult Fit(ColumnTable data, string formula, Vcov? vcov = null, AndersonRubinOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        options ??= new AndersonRubinOptions();
        if (!(options.Level > 0 && options.Level < 1)) throw new InputException($"confidence level must be between 0 and 1, got {options.Level.ToString(CultureInfo.InvariantCulture)}.");
        var parsed = Formula.Parse(formula);
        var design = Iv2sls.Prepare(data, parsed, vcov, options.Iv ?? IvOptions.Default);
        if (design.EndogNames.Length != 1)
            throw new InputException($"'{formula}': Anderson–Rubin confidence sets are computed for one endogenous regressor; the formula has {design.EndogNames.Length} ({string.Join(", ", design.EndogNames)}).");
        var iv = Iv2sls.Estimate(design, vcov);
        var ar = new Evaluator(design, vcov);
        double alpha = 1 - options.Level;
        var coef = iv[design.EndogNames[0]];
        var at0 = ar.At(0);
        var limit = ar.Limit();
        double crit = options.Form == AndersonRubinForm.F
            ? FisherSnedecor.InvCDF(ar.Df1, ar.Df2, options.Level)
            : ChiSquared.InvCDF(ar.Df1, options.Level);
        double Stat(AndersonRubinTest t) => options.Form == AndersonRubinForm.F ? t.F : t.ChiSquared;
        bool bounded = (options.Form == AndersonRubinForm.F ? limit.F : limit.ChiSquared) > crit;
        bool Accept(double b) => Stat(ar.At(b)) <= crit;

        // Grid: around the 2SLS estimate, widened until both ends are on the side the limit implies.
        double centre = coef.Estimate, half = options.GridHalfWidth * (double.IsFinite(coef.StdError) && coef.StdError > 0 ? coef.StdError : Math.Max(1, Math.Abs(centre)));
        // Bounded: widen while an end is still accepted; unbounded: while an end is still rejected.
        for (int k = 0; k < 40 && (Accept(centre - half) == bounded || Accept(centre + half) == bounded); k++) half *= 2;
        double lo = centre - half, hi = centre + half;
        int m = Math.Max(3, options.GridPoints);
        var grid = ImmutableArray.CreateBuilder<AndersonRubinTest>(m);
        for (int i = 0; i < m; i++) grid.Add(ar.At(lo + (hi - lo) * i / (m - 1)));
        var ends = new List<double>();
        for (int i = 0; i + 1 < m; i++)
        {
            bool a = Stat(grid[i]) <= crit, b = Stat(grid[i + 1]) <= crit;
            if (a == b) continue;
            double x0 = grid[i].B0, x1 = grid[i + 1].B0;
            for (int it = 0; it < 60; it++)
            {
                double mid = 0.5 * (x0 + x1);
                if ((Stat(ar.At(mid)) <= crit) == a) x0 = mid; else x1 = mid;
            }
            ends.Add(0.5 * (x0 + x1));
        }
        // Intervals: walk left to right; the region left of the first end is accepted iff the left edge is.
        var intervals = ImmutableArray.CreateBuilder<(double Low, double High)>();
        bool inside = Stat(grid[0]) <= crit;
        double start = inside ? double.NegativeInfinity : double.NaN;
        foreach (var e in ends)
        {
            if (inside) intervals.Add((start, e)); else start = e;
            inside = !inside;
        }
        if (inside) intervals.Add((start, double.PositiveInfinity));
        return new AndersonRubinResult(iv, design.EndogNames[0], options.Level, options.Form, crit, ar.Df1, ar.Df2, at0, limit,
            intervals.ToImmutable(), grid.MoveToImmutable());
    }

    /// <summary>The Anderson–Rubin test at each of <paramref name="b0s"/> (same conventions as <see cref="Fit"/>).</summary>
    public static ImmutableArray<AndersonRubinTest> Tests(ColumnTable data, string formula, IEnumerable<double> b0s, Vcov? vcov = null, IvOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        var design = Iv2sls.Prepare(data, Formula.Parse(formula), vcov, options ?? IvOptions.Default);
        if (design.EndogNames.Length != 1)
            throw new InputException($"'{formula}': the Anderson–Rubin test here is for one endogenous regressor; the formula has {design.EndogNames.Length} ({string.Join(", ", design.EndogNames)}).");
        Iv2sls.Estimate(design, vcov);   // the same identification checks as a fit
        var ar = new Evaluator(design, vcov);
        return [.. b0s.Select(ar.At)];
    }

    /// <summary>The AR statistics at any b0 from the reduced forms (computed once).</summary>
    private sealed class Evaluator
    {
        private readonly Iv2sls.IvDesign _d;
        private readonly Vcov _vcov;
        private readonly double[][] _zf;
        private readonly double[] _piY, _piD, _eY, _eD, _bread;
        private readonly int _start, _l1;

        public double Df1 => _l1;
        public double Df2 { get; }

        public Evaluator(Iv2sls.IvDesign d, Vcov vcov)
        {
            _d = d; _vcov = vcov;
            var x1 = OlsSolver.Solve(d.Exog, d.Y, d.ExogNorms);
            var kept = x1.Kept.Select(j => d.Exog[j]).ToArray();
            _zf = [.. kept, .. d.Inst];
            var norms = x1.Kept.Select(j => d.ExogNorms[j]).Concat(d.InstNorms).ToArray();
            var ry = OlsSolver.Solve(_zf, d.Y, norms);
            var rd = OlsSolver.Solve(_zf, d.Endog[0], norms);
            _piY = ry.Beta; _piD = rd.Beta; _eY = ry.Residuals; _eD = rd.Residuals; _bread = ry.Bread;
            _start = kept.Length; _l1 = d.Inst.Length;
            Df2 = Variance(_eY).DegreesOfFreedom;
        }

        private VcovEstimate Variance(double[] e) =>
            _vcov.Compute(new VcovContext(_d.N, _zf, e, _bread, _d.FixedEffects, _d.ClusterFactor));

        public AndersonRubinTest At(double b0)
        {
            var beta = new double[_piY.Length];
            for (int j = 0; j < beta.Length; j++) beta[j] = _piY[j] - b0 * _piD[j];
            var e = new double[_eY.Length];
            for (int i = 0; i < e.Length; i++) e[i] = _eY[i] - b0 * _eD[i];
            return Test(b0, beta, Variance(e));
        }

        /// <summary>The limit as |b0| → ∞: the first-stage Wald statistics of Z.</summary>
        public AndersonRubinTest Limit() => Test(double.PositiveInfinity, _piD, Variance(_eD));

        private AndersonRubinTest Test(double b0, double[] beta, VcovEstimate v)
        {
            var r = new double[_l1, beta.Length];
            for (int a = 0; a < _l1; a++) r[a, _start + a] = 1;
            var f = WaldTest.F(beta, v.Matrix, r, null, v.DegreesOfFreedom, "");
            double factor = _vcov.Name == "iid" ? (double)_d.N / (_d.N - v.ParameterCount) : v.Adjustment;
            double chi2 = f.Statistic * _l1 * factor;
            return new AndersonRubinTest(b0, f.Statistic, f.PValue, chi2, Distributions.UpperChiSquared(chi2, _l1));
        }
    }
}

/// <summary>
/// The result of <see cref="AndersonRubin.Fit"/>: the 2SLS fit, the AR test of β = 0, the weak-instrument-robust
/// confidence set and the test on a grid (for a plot of p(b0)).
/// </summary>
/// <param name="Iv">The 2SLS fit (with first stage and diagnostics).</param>
/// <param name="Endogenous">The endogenous regressor.</param>
/// <param name="Level">Confidence level.</param>
/// <param name="Form">The inverted form.</param>
/// <param name="CriticalValue">Its critical value at <paramref name="Level"/>.</param>
/// <param name="Df1">L1.</param>
/// <param name="Df2">Denominator degrees of freedom of the F form.</param>
/// <param name="AtZero">The test of β = 0.</param>
/// <param name="Limit">The statistics as |b0| → ∞ (= first-stage Wald statistics of the instruments).</param>
/// <param name="Set">The confidence set as disjoint intervals, ascending; ends may be ±∞.</param>
/// <param name="Grid">The test on the final grid.</param>
public sealed record AndersonRubinResult(IvResult Iv, string Endogenous, double Level, AndersonRubinForm Form, double CriticalValue,
    double Df1, double Df2, AndersonRubinTest AtZero, AndersonRubinTest Limit, ImmutableArray<(double Low, double High)> Set,
    ImmutableArray<AndersonRubinTest> Grid)
{
    /// <summary>True when the set is a single finite interval.</summary>
    public bool IsBounded => Set.All(i => double.IsFinite(i.Low) && double.IsFinite(i.High));

    /// <summary>bounded, two_rays, real_line, or union (a bounded piece and rays, possible with several instruments).</summary>
    public string Shape => Set.Length == 1 && IsBounded ? "bounded"
        : Set.Length == 1 && double.IsNegativeInfinity(Set[0].Low) && double.IsPositiveInfinity(Set[0].High) ? "real_line"
        : Set.Length == 2 && double.IsNegativeInfinity(Set[0].Low) && double.IsPositiveInfinity(Set[1].High) ? "two_rays"
        : Set.Length == 0 ? "empty" : "union";

    /// <summary>The set in interval notation, e.g. [0.012, 0.071] or (−∞, −0.3] ∪ [0.2, ∞).</summary>
    public string SetText(int digits = 4)
    {
        if (Set.Length == 0) return "∅ (every value rejected: the overidentifying restrictions are rejected)";
        string End(double v) => double.IsNegativeInfinity(v) ? "−∞" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("F" + digits, CultureInfo.InvariantCulture);
        return string.Join(" ∪ ", Set.Select(i => $"{(double.IsInfinity(i.Low) ? "(" : "[")}{End(i.Low)}, {End(i.High)}{(double.IsInfinity(i.High) ? ")" : "]")}"));
    }

    /// <summary>Table: 2SLS estimate and Wald CI, AR test of β = 0, AR set, first-stage limit.</summary>
    public Table ToTable(string id = "anderson_rubin", string? title = null)
    {
        var c = Iv[Endogenous];
        string pct = (Level * 100).ToString("0.#", CultureInfo.InvariantCulture);
        string form = Form == AndersonRubinForm.F ? $"F({Df1:0}, {Df2:0})" : $"χ²({Df1:0})";
        var rows = new List<TableRow>
        {
            new($"2SLS estimate of {Endogenous}", EstimationResult.Num(c.Estimate), $"Wald {pct}% CI [{EstimationResult.Num(c.CiLow)}, {EstimationResult.Num(c.CiHigh)}]"),
            new("Anderson–Rubin F, H0: β = 0", EstimationResult.Num(AtZero.F, 3), $"p = {EstimationResult.Num(AtZero.PF, 4)}"),
            new("Anderson–Rubin χ², H0: β = 0", EstimationResult.Num(AtZero.ChiSquared, 3), $"p = {EstimationResult.Num(AtZero.PChiSquared, 4)}"),
            new($"Anderson–Rubin {pct}% confidence set ({form})", SetText(), Shape switch
            {
                "bounded" => "bounded",
                "two_rays" => "unbounded: two rays",
                "real_line" => "unbounded: the whole real line",
                _ => Shape,
            }),
            new("Limit of AR as |b0| → ∞ (first-stage Wald F)", EstimationResult.Num(Limit.F, 3), $"critical value {EstimationResult.Num(CriticalValue, 3)}"),
        };
        return new Table(id, title ?? $"Weak-instrument-robust inference for {Endogenous}", ["", "Value", ""], rows,
        [
            $"Model: {Iv.Formula}. {Iv.Variance.Description}",
            "Anderson–Rubin (1949) test: regress y − b0·D on the exogenous regressors, the instruments and the fixed effects and Wald-test the instruments' coefficients with the model's variance estimator; F with the small-sample factor, χ² without (ivreg2's conventions).",
            $"Confidence set by test inversion on a grid of {Grid.Length} points refined by bisection; it is bounded exactly when the first-stage Wald statistic exceeds the critical value (Dufour 1997). An unbounded set means the instruments cannot rule out any large effect.",
        ]);
    }
}
