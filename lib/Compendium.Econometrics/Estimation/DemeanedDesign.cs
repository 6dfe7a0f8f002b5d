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
    private readonly double[] _rawNorms;     // ‖x‖ (× √w) before demeaning: the scale for collinearity
    private readonly double _tss, _tssWithin, _ySumSquares;
    private readonly Dictionary<string, Factor> _clusterCache;

    internal DemeanedDesign(ModelFrame frame)
    {
        _frame = frame;
        _demeaner = new Demeaner(frame.FixedEffects, frame.Weights, frame.Y.Length);
        _sqrtW = frame.Weights?.Select(Math.Sqrt).ToArray();
        _tss = CenteredSumOfSquares(frame.Y, frame.Weights);
        _ySumSquares = Math.Pow(RawNorm(frame.Y, _sqrtW), 2);
        _rawNorms = new double[frame.X.Length];
        if (frame.Y.Length < 100_000) for (int j = 0; j < frame.X.Length; j++) _rawNorms[j] = RawNorm(frame.X[j], _sqrtW);
        else Parallel.For(0, frame.X.Length, j => _rawNorms[j] = RawNorm(frame.X[j], _sqrtW));
        // The frame's columns may be the data's own arrays: demean into new ones.
        var source = new List<double[]>(frame.X) { frame.Y };
        var all = source.Select(c => GC.AllocateUninitializedArray<double>(c.Length)).ToList();
        _demeaner.Demean(source, all);
        _x = all.Take(frame.X.Length).ToArray();
        _y = all[^1];
        if (_sqrtW is not null) foreach (var c in all) Scale(c, _sqrtW);
        _tssWithin = frame.FixedEffects.Length > 0 ? Vectors.Dot(_y, _y) : _tss;
        _clusterCache = new Dictionary<string, Factor>(StringComparer.Ordinal);
        // raw (not demeaned) values are needed by WithRegressor callers that permute: keep the source rows
    }

    private DemeanedDesign(DemeanedDesign from, double[][] x, double[] rawNorms, ImmutableArray<string> names)
    {
        _rawNorms = rawNorms;
        _frame = new ModelFrame
        {
            Formula = from._frame.Formula, Data = from._frame.Data, Rows = from._frame.Rows, Y = from._frame.Y,
            Names = names, X = x, FixedEffects = from._frame.FixedEffects, Weights = from._frame.Weights,
            MissingDropped = from._frame.MissingDropped, SingletonsDropped = from._frame.SingletonsDropped,
        };
        _demeaner = from._demeaner; _y = from._y; _x = x; _sqrtW = from._sqrtW;
        _tss = from._tss; _tssWithin = from._tssWithin; _ySumSquares = from._ySumSquares; _clusterCache = from._clusterCache;
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
        var col = new double[Nobs];
        _demeaner.Demean(values, col);
        if (_sqrtW is not null) Scale(col, _sqrtW);
        var x = (double[][])_x.Clone();
        x[j] = col;
        var norms = (double[])_rawNorms.Clone();
        norms[j] = RawNorm(values, _sqrtW);
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
        var col = new double[Nobs];
        _demeaner.Demean(sampleValues, col);
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

    /// <summary>The transformed column of regressor <paramref name="name"/> (shared, not copied: for estimators in this library).</summary>
    internal double[] Column(string name) => _x[IndexOf(name)];

    /// <summary>‖x‖ (× √w) of regressor <paramref name="name"/> before the transformation: the scale of the collinearity test.</summary>
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

    private static double RawNorm(double[] c, double[]? sqrtW)
    {
        double s = 0;
        for (int i = 0; i < c.Length; i++) { double v = c[i] * (sqrtW?[i] ?? 1); s += v * v; }
        return Math.Sqrt(s);
    }

    private static void Scale(double[] c, double[] s)
    {
        for (int i = 0; i < c.Length; i++) c[i] *= s[i];
    }

    private static double CenteredSumOfSquares(double[] y, double[]? w)
    {
        double sw = 0, sy = 0;
        for (int i = 0; i < y.Length; i++) { double wi = w?[i] ?? 1; sw += wi; sy += wi * y[i]; }
        double mean = sy / sw, ss = 0;
        for (int i = 0; i < y.Length; i++) { double d = y[i] - mean; ss += (w?[i] ?? 1) * d * d; }
        return ss;
    }
}
