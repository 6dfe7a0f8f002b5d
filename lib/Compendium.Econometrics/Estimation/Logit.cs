using System.Collections.Immutable;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Estimation;

/// <summary>Settings of <see cref="Logit"/>.</summary>
/// <param name="Intercept">Add a constant term named <c>(Intercept)</c> (first coefficient).</param>
/// <param name="Tolerance">Convergence when the relative change of the deviance,
/// |D_t − D_{t−1}| / (|D_t| + 0.1), falls below this (the criterion of R's <c>glm</c>, there with 1e-8).</param>
/// <param name="MaxIterations">Newton iterations before giving up with an error.</param>
public sealed record LogitOptions(bool Intercept = true, double Tolerance = 1e-12, int MaxIterations = 100);

/// <summary>
/// Binary logit by maximum likelihood: P(y = 1 | x) = Λ(x'β) = 1 / (1 + exp(−x'β)).
/// </summary>
/// <remarks>
/// <para>Newton–Raphson on the log-likelihood ℓ(β) = Σ y_i η_i − log(1 + e^{η_i}), η = Xβ:
/// β ← β + s·H⁻¹g with score g = X'(y − p), information H = X'WX, W = diag(p(1 − p)),
/// starting from β = 0 (intercept at logit(ȳ)). The step s starts at 1 and is halved (up to 50
/// times) until ℓ does not decrease, so every iteration is an ascent step. The Newton system is
/// solved by Cholesky; standard errors are √diag(H⁻¹) at the optimum (the observed = expected
/// information for the canonical link), z = β/SE, two-sided normal p-values — as R's
/// <c>glm(family = binomial)</c> and Stata's <c>logit</c>.</para>
/// <para>Separation: if a linear combination of regressors orders the outcome perfectly (complete
/// separation) or perfectly up to ties (quasi-complete), the maximum-likelihood estimate does not
/// exist and some |β_j| → ∞ (Albert &amp; Anderson 1984). We check each regressor on its own before
/// fitting (max x over y = 0 ≤ min x over y = 1, or the reverse), and during the iterations watch for
/// a linear predictor beyond ±30 (fitted probability numerically 0 or 1) at convergence or after the last iteration; either ends in an
/// <see cref="InputException"/> naming the variables involved (for a multivariate separation, those
/// with a non-negligible weight in the direction along which β diverges). R's glm only warns
/// ("fitted probabilities numerically 0 or 1 occurred") and returns meaningless numbers.</para>
/// </remarks>
public static class Logit
{
    /// <summary>Fit <paramref name="outcome"/> (0/1) on <paramref name="regressors"/>; rows with any missing value are dropped (listwise).</summary>
    /// <exception cref="InputException">Outcome not 0/1, a constant outcome, collinear regressors, separation, or no convergence.</exception>
    public static LogitResult Fit(ColumnTable data, string outcome, IReadOnlyList<string> regressors, LogitOptions? options = null)
    {
        options ??= new LogitOptions();
        var yAll = data.Numeric(outcome);
        var xs = regressors.Select(data.Numeric).ToArray();
        int n0 = data.RowCount;
        var keep = new bool[n0];
        for (int i = 0; i < n0; i++)
            keep[i] = !double.IsNaN(yAll[i]) && xs.All(x => !double.IsNaN(x[i]));
        var rows = Enumerable.Range(0, n0).Where(i => keep[i]).ToArray();
        int n = rows.Length;
        if (n == 0) throw new InputException($"{data.Source}: logit of '{outcome}': no row has all of {outcome}, {string.Join(", ", regressors)} non-missing.");
        var y = rows.Select(i => yAll[i]).ToArray();
        for (int r = 0; r < n; r++)
            if (y[r] != 0 && y[r] != 1)
                throw new InputException($"{data.Source}: logit outcome '{outcome}' must be 0 or 1; row {rows[r] + 1} has {y[r].ToString(CultureInfo.InvariantCulture)}.");
        double ybar = y.Average();
        if (ybar == 0 || ybar == 1)
            throw new InputException($"{data.Source}: logit outcome '{outcome}' is always {ybar.ToString(CultureInfo.InvariantCulture)} in the {n} usable rows; nothing to explain.");

        var names = (options.Intercept ? new[] { "(Intercept)" } : []).Concat(regressors).ToArray();
        int k = names.Length;
        var X = Matrix<double>.Build.Dense(n, k, (r, c) =>
            options.Intercept ? (c == 0 ? 1.0 : xs[c - 1][rows[r]]) : xs[c][rows[r]]);
        CheckSingleVariableSeparation(y, X, names, outcome, options.Intercept);
        var fit = Newton(y, X, names, outcome, options);
        return Build(fit, y, X, names, outcome, n0 - n, options);
    }

    private sealed record NewtonFit(Vector<double> Beta, Vector<double> P, double LogLik, int Iterations, Matrix<double> InfoInverse);

    private static NewtonFit Newton(double[] y, Matrix<double> X, string[] names, string outcome, LogitOptions o)
    {
        int n = X.RowCount, k = X.ColumnCount;
        var beta = Vector<double>.Build.Dense(k);
        if (o.Intercept) beta[0] = Math.Log(y.Average() / (1 - y.Average()));
        double ll = LogLik(y, X * beta);
        for (int it = 1; it <= o.MaxIterations; it++)
        {
            var eta = X * beta;
            var p = eta.Map(Sigmoid);
            var g = X.TransposeThisAndMultiply(Vector<double>.Build.Dense(n, i => y[i] - p[i]));
            var H = Information(X, p);
            if (!IsPositiveDefinite(H))
                throw Collinear(X, names);
            var step = H.Cholesky().Solve(g);
            double s = 1, llNew = double.NegativeInfinity;
            Vector<double> candidate = beta;
            for (int h = 0; h <= 50; h++, s /= 2)
            {
                candidate = beta + s * step;
                llNew = LogLik(y, X * candidate);
                if (llNew >= ll - 1e-12 * Math.Abs(ll)) break;
            }
            double devChange = Math.Abs(-2 * llNew + 2 * ll) / (Math.Abs(-2 * llNew) + 0.1);
            beta = candidate;
            ll = llNew;
            if (devChange < o.Tolerance)
            {
                // Under separation the deviance goes to 0 and the criterion is met with |β| still growing
                // (R's glm stops there with a warning); a linear predictor beyond ±30 (p within 1e-13 of 0 or 1)
                // is the symptom, and β itself points along the separating direction.
                if (Saturated(X * beta)) throw Separation(beta, X, names, outcome, "fitted probabilities of some rows are numerically 0 or 1");
                var p1 = (X * beta).Map(Sigmoid);
                return new(beta, p1, ll, it, Information(X, p1).Inverse());
            }
        }
        if (Saturated(X * beta)) throw Separation(beta, X, names, outcome, "the iterations diverge");
        throw new InputException($"logit of '{outcome}' did not converge in {o.MaxIterations} Newton iterations (relative deviance change tolerance {o.Tolerance.ToString(CultureInfo.InvariantCulture)}).");
    }

    private static bool Saturated(Vector<double> eta) => eta.Any(e => Math.Abs(e) > 30);

    private static Matrix<double> Information(Matrix<double> X, Vector<double> p)
    {
        var Xw = X.Clone();
        for (int r = 0; r < X.RowCount; r++)
        {
            double w = Math.Sqrt(p[r] * (1 - p[r]));
            for (int c = 0; c < X.ColumnCount; c++) Xw[r, c] *= w;
        }
        return Xw.TransposeThisAndMultiply(Xw);
    }

    private static bool IsPositiveDefinite(Matrix<double> H)
    {
        var ev = H.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
        return ev.Min() > 1e-12 * ev.Max();
    }

    /// <summary>ℓ = Σ y η − log(1 + e^η), evaluated without overflow.</summary>
    private static double LogLik(double[] y, Vector<double> eta)
    {
        double ll = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = eta[i];
            double log1pExp = e > 0 ? e + Math.Log(1 + Math.Exp(-e)) : Math.Log(1 + Math.Exp(e));
            ll += y[i] * e - log1pExp;
        }
        return ll;
    }

    private static double Sigmoid(double e) => e >= 0 ? 1 / (1 + Math.Exp(-e)) : Math.Exp(e) / (1 + Math.Exp(e));

    private static void CheckSingleVariableSeparation(double[] y, Matrix<double> X, string[] names, string outcome, bool intercept)
    {
        for (int c = intercept ? 1 : 0; c < X.ColumnCount; c++)
        {
            double max0 = double.NegativeInfinity, min0 = double.PositiveInfinity, max1 = double.NegativeInfinity, min1 = double.PositiveInfinity;
            for (int r = 0; r < y.Length; r++)
            {
                double v = X[r, c];
                if (y[r] == 0) { max0 = Math.Max(max0, v); min0 = Math.Min(min0, v); }
                else { max1 = Math.Max(max1, v); min1 = Math.Min(min1, v); }
            }
            if (max0 == min0 && max1 == min1 && max0 == max1) continue; // constant column: collinear with the intercept, reported later
            string? kind = null;
            string detail = "";
            if (max0 < min1 || max1 < min0) { kind = "complete"; detail = max0 < min1 ? $"{outcome} = 1 exactly when {names[c]} > {Fmt(max0)}" : $"{outcome} = 1 exactly when {names[c]} < {Fmt(min0)}"; }
            else if (max0 == min1) { kind = "quasi-complete"; detail = $"every row with {names[c]} > {Fmt(max0)} has {outcome} = 1 and every row with {names[c]} < {Fmt(min1)} has {outcome} = 0"; }
            else if (max1 == min0) { kind = "quasi-complete"; detail = $"every row with {names[c]} > {Fmt(max1)} has {outcome} = 0 and every row with {names[c]} < {Fmt(min0)} has {outcome} = 1"; }
            if (kind is not null)
                throw new InputException($"logit of '{outcome}': {kind} separation by variable '{names[c]}' ({detail}); the maximum-likelihood estimate does not exist. Drop '{names[c]}' or the rows it predicts perfectly.");
        }
    }

    private static InputException Separation(Vector<double> direction, Matrix<double> X, string[] names, string outcome, string why)
    {
        // Weight each coefficient's share of the diverging direction by the regressor's spread so units don't matter.
        var w = new double[names.Length];
        for (int c = 0; c < names.Length; c++)
        {
            var col = X.Column(c);
            double sd = Math.Sqrt(col.Select(v => (v - col.Average()) * (v - col.Average())).Average());
            w[c] = Math.Abs(direction[c]) * (sd > 0 ? sd : 1);
        }
        double max = w.Max();
        var involved = names.Where((nm, c) => nm != "(Intercept)" && w[c] > 1e-3 * max).ToArray();
        return new InputException($"logit of '{outcome}': complete or quasi-complete separation ({why}); the maximum-likelihood estimate does not exist. Variables involved: {string.Join(", ", involved)}.");
    }

    private static InputException Collinear(Matrix<double> X, string[] names)
    {
        var qr = X.QR(QRMethod.Thin);
        var bad = names.Where((_, c) => Math.Abs(qr.R[c, c]) < 1e-10 * X.Column(c).L2Norm() || X.Column(c).L2Norm() == 0).ToArray();
        return new InputException($"logit: the regressors are collinear{(bad.Length > 0 ? $" (check {string.Join(", ", bad)})" : "")}; drop one of them.");
    }

    private static LogitResult Build(NewtonFit f, double[] y, Matrix<double> X, string[] names, string outcome, int dropped, LogitOptions o)
    {
        double ybar = y.Average();
        double ll0 = o.Intercept
            ? y.Length * (ybar * Math.Log(ybar) + (1 - ybar) * Math.Log(1 - ybar))
            : y.Length * Math.Log(0.5);
        int k = names.Length;
        var matrix = ImmutableArray.CreateRange(Enumerable.Range(0, k * k).Select(i => f.InfoInverse[i / k, i % k]));
        var v = new VcovEstimate(matrix, double.PositiveInfinity, k, 1, [],
            "Standard errors from the inverse information matrix (maximum likelihood); z tests and 95% intervals on the normal distribution.");
        var coefs = Coefficient.FromEstimates(names, f.Beta.ToArray(), v);
        return new LogitResult($"logit({outcome} ~ {string.Join(" + ", names.Where(n => n != "(Intercept)"))})", coefs, v,
            SampleInfo.Plain(y.Length, dropped), outcome, f.LogLik, ll0, f.Iterations, f.P.ToArray().ToImmutableArray());
    }

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>A fitted <see cref="Logit"/> model: the <see cref="EstimationResult"/> contract with z inference (the variance's degrees of freedom are +∞).</summary>
/// <param name="Formula">The model as <c>logit(y ~ x1 + x2)</c>.</param>
/// <param name="Coefficients">Coefficients in the order fitted (intercept first when present); <c>T</c> is the Wald z.</param>
/// <param name="Variance">Inverse information matrix H⁻¹ = (X'WX)⁻¹ at β̂.</param>
/// <param name="Sample">Rows used and rows dropped for a missing value.</param>
/// <param name="Outcome">Name of the 0/1 outcome.</param>
/// <param name="LogLikelihood">ℓ(β̂).</param>
/// <param name="LogLikelihoodNull">ℓ of the intercept-only model, n[ȳ log ȳ + (1 − ȳ) log(1 − ȳ)].</param>
/// <param name="Iterations">Newton iterations to convergence.</param>
/// <param name="Fitted">Predicted probabilities Λ(x_i'β̂) of the rows used, in data order (propensity scores for matching).</param>
public sealed record LogitResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, SampleInfo Sample,
    string Outcome, double LogLikelihood, double LogLikelihoodNull, int Iterations, ImmutableArray<double> Fitted)
    : EstimationResult(Formula, Coefficients, Variance, "mle", Sample)
{
    /// <inheritdoc/>
    public override string Estimator => "logit";

    /// <summary>McFadden's pseudo-R² = 1 − ℓ(β̂)/ℓ₀.</summary>
    public double McFaddenR2 => 1 - LogLikelihood / LogLikelihoodNull;

    /// <summary>Likelihood-ratio test of all slopes = 0: 2(ℓ − ℓ₀) ~ χ²(k − 1).</summary>
    public TestStatistic LikelihoodRatio
    {
        get
        {
            double lr = 2 * (LogLikelihood - LogLikelihoodNull);
            int df = Coefficients.Length - (Coefficients.Any(c => c.Name == "(Intercept)") ? 1 : 0);
            return new TestStatistic("Likelihood-ratio χ²", lr, Distributions.UpperChiSquared(lr, df), df, double.NaN, "all slope coefficients are zero");
        }
    }

    /// <summary>Log-likelihood and McFadden's pseudo-R².</summary>
    public override IEnumerable<FitStatistic> FitStatistics() =>
        [new("log_likelihood", "Log-likelihood", LogLikelihood, 3), new("mcfadden_r2", "McFadden R²", McFaddenR2)];

    /// <summary>The likelihood-ratio test of all slopes.</summary>
    public override IEnumerable<TestStatistic> Tests() => [LikelihoodRatio];

    /// <summary>The estimation method and the variance convention, then the sample.</summary>
    public override ImmutableArray<string> Notes() =>
        [$"Maximum likelihood by Newton–Raphson ({Iterations} iterations); standard errors from the inverse information matrix; z tests on the normal distribution.",
         .. Sample.Notes(null)];

    /// <summary>Predicted probabilities Λ(x'β̂) for new rows of <paramref name="data"/> (NaN where a regressor is missing).</summary>
    public double[] Predict(ColumnTable data)
    {
        var cols = Coefficients.Select(c => c.Name == "(Intercept)" ? null : data.Numeric(c.Name)).ToArray();
        var p = new double[data.RowCount];
        for (int i = 0; i < p.Length; i++)
        {
            double eta = 0;
            for (int c = 0; c < cols.Length; c++) eta += Coefficients[c].Estimate * (cols[c]?[i] ?? 1.0);
            p[i] = double.IsNaN(eta) ? double.NaN : 1 / (1 + Math.Exp(-eta));
        }
        return p;
    }
}
