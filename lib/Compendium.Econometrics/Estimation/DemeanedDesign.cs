using System.Collections.Immutable;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// A model evaluated on its estimation sample with every column already demeaned (and multiplied
/// by √w when weighted): the expensive part of a fit, done once. <see cref="Fit"/> solves and computes
/// variances; <see cref="WithRegressor"/> swaps one regressor (e.g. a permuted treatment in a placebo
/// test) and demeans only that column, so hundreds of re-fits cost little more than the QR solves.
/// Immutable and safe to share across threads.
/// </summary>
public sealed class DemeanedDesign
{
    private readonly ModelFrame _frame;
    private readonly Demeaner _demeaner;
    private readonly double[] _y;            // demeaned, × √w
    private readonly double[][] _x;          // demeaned, × √w
    private readonly double[]? _sqrtW;
    private readonly double[] _rawNorms;     // ‖x − x̄‖ (× √w) before demeaning: the scale for collinearity (ModelFrame.CollinearityScales)
    private readonly double _tss, _tssWithin, _ySumSquares;
    private readonly Dictionary<string, Factor> _clusterCache;

    /// <summary>Relative change of a coefficient (against |β| + its iid standard error) below which the iterative within transformation is accepted.</summary>
    public const double CoefficientTolerance = 1e-9;
    private const int MaxRefinements = 4;

    internal DemeanedDesign(ModelFrame frame, FeolsOptions options)
    {
        _frame = frame;
        _demeaner = new Demeaner(frame.FixedEffects, frame.Weights, frame.Y.Length, allowDirect: !options.IterativeDemeaning, maxIterations: options.MaxIterations);
        _sqrtW = frame.Weights?.Select(Math.Sqrt).ToArray();
        (_tss, _ySumSquares) = OutcomeSums(frame.Y, frame.Weights);   // before demeaning: the frame's own arrays are demeaned in place
        _rawNorms = frame.CollinearityScales();
        // Columns that are the data table's own arrays are demeaned into new ones unless the caller gave
        // the table up (OverwriteData); columns the frame made (subsets, interactions, dummies) in place.
        var owned = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        if (frame.Weights is not null) owned.Add(frame.Weights);   // a weight column that is also a regressor stays intact
        if (!options.OverwriteData)
            foreach (var name in frame.Data.ColumnNames) if (frame.Data.IsNumeric(name)) owned.Add(frame.Data.Numeric(name));
        var source = new List<double[]>(frame.X) { frame.Y };
        var all = source.Select(c => owned.Contains(c) || !owned.Add(c) ? GC.AllocateUninitializedArray<double>(c.Length) : c).ToList();   // (an array used twice is copied once)
        owned.Clear();
        _demeaner.Demean(source, all);
        if (_demeaner.IsIterative) Refine(all);
        _x = all.Take(frame.X.Length).ToArray();
        _y = all[^1];
        if (_sqrtW is not null) foreach (var c in all) Scale(c, _sqrtW);
        _tssWithin = WithinSumOfSquares(frame, _y, _tss);
        _clusterCache = new Dictionary<string, Factor>(StringComparer.Ordinal);
        // raw (not demeaned) values are needed by WithRegressor callers that permute: keep the source rows
    }

    // The iterative within transformation: demean what the last pass left (M(x − Dγ) = Mx, so each pass
    // removes the error of the previous one) until the regression coefficients stop moving.
    private void Refine(List<double[]> all)
    {
        double[] Coefficients(out double[] scale)
        {
            var x = all.Take(all.Count - 1).ToArray();
            var y = all[^1];
            if (_sqrtW is not null) { x = x.Select(c => Scaled(c, _sqrtW)).ToArray(); y = Scaled(y, _sqrtW); }
            var sol = OlsSolver.Solve(x, y, _rawNorms);
            double s2 = Vectors.Dot(sol.Residuals, sol.Residuals) / Math.Max(1, y.Length - sol.K);
            var beta = new double[x.Length];
            scale = new double[x.Length];
            for (int m = 0; m < sol.K; m++)
            {
                beta[sol.Kept[m]] = sol.Beta[m];
                scale[sol.Kept[m]] = Math.Abs(sol.Beta[m]) + Math.Sqrt(Math.Max(0, s2 * sol.Bread[m * sol.K + m]));
            }
            return beta;
        }
        var before = Coefficients(out _);
        double worst = double.PositiveInfinity;
        for (int pass = 1; pass <= MaxRefinements; pass++)
        {
            _demeaner.Demean(all, all, Demeaner.RefinementTolerance, null);
            var after = Coefficients(out var scale);
            worst = 0;
            for (int j = 0; j < after.Length; j++)
                if (scale[j] > 0) worst = Math.Max(worst, Math.Abs(after[j] - before[j]) / scale[j]);
            if (worst <= CoefficientTolerance) return;
            before = after;
        }
        throw new InputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"'{_frame.Formula.Text}': the coefficients still moved by {worst:G3} of their size after {MaxRefinements} refinements of the within transformation ({_demeaner.Method}); the fixed effects may be nearly collinear."));
    }

    private static double[] Scaled(double[] c, double[] s)
    {
        var r = new double[c.Length];
        for (int i = 0; i < c.Length; i++) r[i] = c[i] * s[i];
        return r;
    }

    private DemeanedDesign(DemeanedDesign from, double[][] x, double[] rawNorms, ImmutableArray<string> names)
        : this(from, from._frame.Formula, from._frame.Y, from._y, x, rawNorms, names, from._tss, from._tssWithin, from._ySumSquares) { }

    private DemeanedDesign(DemeanedDesign from, Formula formula, double[] rawY, double[] y, double[][] x, double[] rawNorms, ImmutableArray<string> names,
        double tss, double tssWithin, double ySumSquares)
    {
        _rawNorms = rawNorms;
        _frame = new ModelFrame
        {
            Formula = formula, Data = from._frame.Data, SampleIndex = from._frame.SampleIndex, Y = rawY,
            Names = names, X = x, FixedEffects = from._frame.FixedEffects, Weights = from._frame.Weights,
            MissingDropped = from._frame.MissingDropped, SingletonsDropped = from._frame.SingletonsDropped,
        };
        _demeaner = from._demeaner; _y = y; _x = x; _sqrtW = from._sqrtW;
        _tss = tss; _tssWithin = tssWithin; _ySumSquares = ySumSquares; _clusterCache = from._clusterCache;
    }

    /// <summary>True when <see cref="Select"/> can serve sub-models: no row was dropped for a missing value and the fixed effects were absorbed exactly.</summary>
    public bool SupportsSelect => WhyNotSelectable() is null;

    private string? WhyNotSelectable() =>
        _frame.MissingDropped > 0 ? $"the wider design dropped {_frame.MissingDropped} rows for missing values"
        : _demeaner.IsIterative ? "its fixed effects were solved iteratively" : null;

    /// <summary>
    /// Multiple estimation on one within transformation, as fixest's <c>feols(c(y1, y2) ~ csw(x1, x2) | fe)</c>:
    /// the sub-model <paramref name="formula"/> fitted from this design's columns, which are already demeaned.
    /// Its outcome must be this design's outcome or one of its plain-variable regressors. Its regressors must be
    /// plain variables of this design, and its fixed effects must be this design's, in the same order.
    /// For a robustness grid (control sets × outcome variants), demean the union of the columns once and then
    /// <see cref="Select"/> each model.
    /// </summary>
    /// <remarks>
    /// The result of <see cref="Fit"/> equals <c>Feols.Fit(data, formula, vcov)</c> to the last bit: the estimation
    /// samples coincide, because singletons depend on the fixed effects only and no row of the wider design was
    /// dropped for a missing value, and each column is demeaned on its own by the same exact arithmetic. An
    /// <see cref="InputException"/> says when this cannot hold: rows dropped for missing values (a narrower model
    /// could keep them), or fixed effects solved iteratively (the wider design's refinement passes would carry
    /// over). In those cases fit the sub-model on its own.
    /// </remarks>
    public DemeanedDesign Select(string formula)
    {
        var f = Formula.Parse(formula);
        InputException Refuse(string why) => new($"'{formula}' cannot be selected from the design of '{_frame.Formula.Text}': {why}; fit it on its own.");
        if (f.Iv is not null) throw Refuse("it has an IV part");
        if (!f.FixedEffects.Select(e => e.Name).SequenceEqual(_frame.Formula.FixedEffects.Select(e => e.Name), StringComparer.Ordinal))
            throw Refuse("its fixed effects differ");
        if (WhyNotSelectable() is { } why) throw Refuse(why);
        var names = ImmutableArray.CreateBuilder<string>();
        if (f.FixedEffects.Length == 0 && f.Intercept) names.Add("(Intercept)");
        foreach (var t in f.Regressors)
            names.Add(t is VariableTerm v ? v.Name : throw Refuse($"term '{formula.Substring(t.Position, t.Length)}' is not a plain variable"));
        var x = new double[names.Count][];
        var norms = new double[names.Count];
        for (int k = 0; k < names.Count; k++)
        {
            int j = _frame.Names.IndexOf(names[k]);
            if (j < 0) throw Refuse($"'{names[k]}' is not a regressor of the design");
            x[k] = _x[j]; norms[k] = _rawNorms[j];
        }
        if (f.Outcome.Name == _frame.Formula.Outcome.Name)
            return new DemeanedDesign(this, f, _frame.Y, _y, x, norms, names.ToImmutable(), _tss, _tssWithin, _ySumSquares);
        int o = _frame.Names.IndexOf(f.Outcome.Name);
        if (o < 0) throw Refuse($"its outcome '{f.Outcome.Name}' is not a column of the design");
        var rawY = ModelFrame.Gather(_frame.Data.Numeric(f.Outcome.Name), _frame.SampleIndex);
        var (tss, sumSquares) = OutcomeSums(rawY, _frame.Weights);
        return new DemeanedDesign(this, f, rawY, _x[o], x, norms, names.ToImmutable(), tss, WithinSumOfSquares(_frame, _x[o], tss), sumSquares);
    }

    /// <summary>Observations in the estimation sample (after listwise deletion, zero weights and singletons).</summary>
    public int Nobs => _y.Length;
    /// <summary>Names of the regressor columns, in design order (as the formula expands them, e.g. <c>rel_year::-3</c>).</summary>
    public ImmutableArray<string> RegressorNames => _frame.Names;
    /// <summary>Source-table row of each estimation-sample row (to build a replacement column).</summary>
    public ImmutableArray<int> SampleRows => [.. _frame.Rows];
    /// <summary>The absorbed fixed effects, coded over the estimation sample.</summary>
    public IReadOnlyList<Factor> FixedEffects => _frame.FixedEffects;
    /// <summary>How the fixed effects were absorbed: <see cref="Demeaner.Method"/>.</summary>
    public string DemeaningMethod => _demeaner.Method;

    /// <summary>
    /// The same design with regressor <paramref name="name"/> replaced by <paramref name="values"/>
    /// (one value per estimation-sample row, untransformed); only that column is demeaned.
    /// </summary>
    public DemeanedDesign WithRegressor(string name, double[] values)
    {
        int j = _frame.Names.IndexOf(name);
        if (j < 0) throw new InputException($"regressor '{name}' is not in the model; regressors: {string.Join(", ", _frame.Names)}");
        if (values.Length != Nobs) throw new ArgumentException($"{values.Length} values given, the estimation sample has {Nobs} rows");
        if (values.Any(double.IsNaN)) throw new InputException($"replacement values for '{name}' contain missing values");
        var col = TransformColumn(values);
        var x = (double[][])_x.Clone();
        x[j] = col;
        var norms = (double[])_rawNorms.Clone();
        norms[j] = _frame.CollinearityScale(values);
        return new DemeanedDesign(this, x, norms, _frame.Names);
    }

    /// <summary>
    /// Apply the model's transformation (within transformation, then × √w) to any column given on the
    /// estimation sample (aligned with <see cref="SampleRows"/>): for estimators built on this design
    /// (instruments and fitted values in 2SLS, scores in other estimators).
    /// </summary>
    public double[] Transform(double[] sampleValues)
    {
        if (sampleValues.Length != Nobs) throw new ArgumentException($"{sampleValues.Length} values given, the estimation sample has {Nobs} rows");
        return TransformColumn(sampleValues);
    }

    // Within transformation (one refinement pass more when iterative: error ≈ tolerance²), then × √w.
    private double[] TransformColumn(double[] values)
    {
        var col = new double[Nobs];
        _demeaner.Demean(values, col);
        if (_demeaner.IsIterative) _demeaner.Demean(col, col, Demeaner.RefinementTolerance, null);
        if (_sqrtW is not null) Scale(col, _sqrtW);
        return col;
    }

    /// <summary>A copy of a transformed regressor column.</summary>
    public double[] TransformedRegressor(string name)
    {
        return (double[])_x[IndexOf(name)].Clone();
    }

    /// <summary>A copy of the transformed outcome.</summary>
    public double[] TransformedOutcome() => (double[])_y.Clone();

    /// <summary>Solve and compute the variance with <paramref name="vcov"/>.</summary>
    public FeolsResult Fit(Vcov vcov)
    {
        var sol = OlsSolver.Solve(_x, _y, _rawNorms);
        var kept = sol.Kept.Select(j => _x[j]).ToArray();
        var ctx = new VcovContext(Nobs, kept, sol.Residuals, sol.Bread, _frame.FixedEffects, ClusterFactor);
        ctx.EnsureResidualDegreesOfFreedom(_frame.Formula.Text);
        var v = vcov.Compute(ctx);
        int kfull = ctx.ParameterCount(SmallSampleConvention.Fixest, []);
        double rss = Vectors.Dot(sol.Residuals, sol.Residuals);
        var names = sol.Kept.Select(j => _frame.Names[j]).ToArray();
        var sample = new SampleInfo(Nobs, _frame.MissingDropped, _frame.SingletonsDropped,
            sol.Dropped.Select(j => _frame.Names[j]).ToImmutableArray(),
            _frame.FixedEffects.Select(f => (f.Name, f.Levels)).ToImmutableArray());
        return FeolsResult.Create(_frame.Formula.Text, names, sol.Beta, v, vcov.Name, sample,
            rss, _tss, _tssWithin, kfull, _demeaner.Method, hasIntercept: _frame.Names.Contains("(Intercept)"), _ySumSquares);
    }

    /// <summary>
    /// A fast re-fit of the coefficient of regressor <paramref name="name"/> when only that column changes
    /// (placebo loops), by Frisch–Waugh–Lovell: the other regressors are partialled out once (an orthonormal
    /// basis Q of their transformed columns, Gram–Schmidt applied twice), then for new values d the
    /// transformed column is residualised, r = (I − QQ')d̃, and β̂ = r'ỹ⊥/r'r, residuals ỹ⊥ − β̂r, variance from
    /// <paramref name="vcov"/> on the one regressor r with bread 1/r'r and the other regressors counted in K.
    /// This equals the coefficient, residuals and (one-way clustered, robust or iid) variance of the full fit
    /// exactly; with multiway clustering the full fit's eigenvalue repair can differ, so use <see cref="WithRegressor"/>
    /// and <see cref="Fit"/> there. Returns NaN when the new column is collinear with the others or the fixed effects
    /// (the QR tolerance of <see cref="Fit"/>). Thread-safe.
    /// </summary>
    internal Func<double[], (double Estimate, double T)> CoefficientRefit(string name, Vcov vcov)
    {
        int j = _frame.Names.IndexOf(name);
        if (j < 0) throw new InputException($"regressor '{name}' is not in the model; regressors: {string.Join(", ", _frame.Names)}");
        var others = Enumerable.Range(0, _x.Length).Where(i => i != j).ToArray();
        var sol = OlsSolver.Solve(others.Select(i => _x[i]).ToArray(), _y, others.Select(i => _rawNorms[i]).ToArray());
        var q = new List<double[]>();
        foreach (int i in sol.Kept.Select(k => others[k]))
        {
            var v = (double[])_x[i].Clone();
            Orthogonalise(v, q); Orthogonalise(v, q);
            double norm = Math.Sqrt(Vectors.Dot(v, v));
            for (int r = 0; r < v.Length; r++) v[r] /= norm;
            q.Add(v);
        }
        var yPerp = sol.Residuals;
        int partialled = q.Count;
        return values =>
        {
            var d = Transform(values);
            Orthogonalise(d, q); Orthogonalise(d, q);
            double rr = Vectors.Dot(d, d);
            if (!(Math.Sqrt(rr) > OlsSolver.CollinearityTolerance * _frame.CollinearityScale(values))) return (double.NaN, double.NaN);
            double beta = Vectors.Dot(d, yPerp) / rr;
            var e = (double[])yPerp.Clone();
            Vectors.Axpy(-beta, d, e);
            var ctx = new VcovContext(Nobs, [d], e, [1 / rr], _frame.FixedEffects, ClusterFactor) { PartialledOut = partialled };
            var v = vcov.Compute(ctx);
            return (beta, beta / Math.Sqrt(v.Matrix[0]));
        };
    }

    private static void Orthogonalise(double[] v, List<double[]> q)
    {
        foreach (var b in q) Vectors.Axpy(-Vectors.Dot(b, v), b, v);
    }

    /// <summary>The transformed column of regressor <paramref name="name"/> (shared, not copied: for estimators in this library).</summary>
    internal double[] Column(string name) => _x[IndexOf(name)];

    /// <summary>The scale of the collinearity test of regressor <paramref name="name"/> (its norm around its mean, × √w; <see cref="ModelFrame.CollinearityScales"/>).</summary>
    internal double RawNorm(string name) => _rawNorms[IndexOf(name)];

    /// <summary>The transformed outcome (shared, not copied).</summary>
    internal double[] Outcome => _y;

    private int IndexOf(string name)
    {
        int j = _frame.Names.IndexOf(name);
        return j >= 0 ? j : throw new InputException($"regressor '{name}' is not in the model; regressors: {string.Join(", ", _frame.Names)}");
    }

    /// <summary>A cluster variable coded over the estimation sample, cached for later variance estimates.</summary>
    internal Factor ClusterFactor(string name)
    {
        lock (_clusterCache)
        {
            if (!_clusterCache.TryGetValue(name, out var f))
                _clusterCache[name] = f = _frame.SampleFactor(name);
            return f;
        }
    }

    private static void Scale(double[] c, double[] s)
    {
        for (int i = 0; i < c.Length; i++) c[i] *= s[i];
    }

    // The outcome's sums for R² and the F test: centred and raw (weighted) sums of squares of the untransformed outcome.
    private static (double Tss, double SumSquares) OutcomeSums(double[] y, double[]? w) =>
        (CenteredSumOfSquares(y, w), Math.Pow(ModelFrame.Norm(y, w, centred: false), 2));

    // The within (fixed-effects-demeaned) total sum of squares; without fixed effects the centred one.
    private static double WithinSumOfSquares(ModelFrame frame, double[] transformedY, double tss) =>
        frame.FixedEffects.Length > 0 ? Vectors.Dot(transformedY, transformedY) : tss;

    private static double CenteredSumOfSquares(double[] y, double[]? w)
    {
        double sw = 0, sy = 0;
        for (int i = 0; i < y.Length; i++) { double wi = w?[i] ?? 1; sw += wi; sy += wi * y[i]; }
        double mean = sy / sw, ss = 0;
        for (int i = 0; i < y.Length; i++) { double d = y[i] - mean; ss += (w?[i] ?? 1) * d * d; }
        return ss;
    }
}
