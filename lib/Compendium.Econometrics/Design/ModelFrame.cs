using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;

namespace Compendium.Econometrics.Design;

/// <summary>
/// A formula evaluated on data: the outcome, the candidate regressor columns (terms expanded),
/// the fixed-effect factors, weights and cluster factors, on the estimation sample after listwise
/// deletion of missing values and (optionally) iterative removal of singletons. When no row is
/// dropped the columns are the data's own arrays (no copy): treat them as read-only.
/// </summary>
internal sealed class ModelFrame
{
    public required Formula Formula { get; init; }
    public required ColumnTable Data { get; init; }
    /// <summary>Source row of each estimation-sample row.</summary>
    public int[] Rows => SampleIndex ?? Enumerable.Range(0, Data.RowCount).ToArray();
    /// <summary>Source row of each estimation-sample row, or null when the sample is every row in order (no index is stored then).</summary>
    public required int[]? SampleIndex { get; init; }
    public required double[] Y { get; init; }
    public required ImmutableArray<string> Names { get; init; }
    public required double[][] X { get; init; }
    public required Factor[] FixedEffects { get; init; }
    public double[]? Weights { get; init; }
    public int MissingDropped { get; init; }
    public int SingletonsDropped { get; init; }
    /// <summary>Factors already coded on the full data (fixed effects, cluster variables), by column name.</summary>
    public Dictionary<string, Factor> FullFactors { get; init; } = new(StringComparer.Ordinal);

    /// <summary>A factor over the estimation sample (cluster variables).</summary>
    public Factor SampleFactor(string name)
    {
        if (!Data.HasColumn(name)) throw Data.Missing(name);
        lock (FullFactors)
        {
            if (!FullFactors.TryGetValue(name, out var f)) FullFactors[name] = f = Factor.FromColumn(Data, name);
            return SampleIndex is null ? f : f.Subset(SampleIndex);
        }
    }

    /// <summary>Evaluate <paramref name="formula"/> on <paramref name="data"/>.</summary>
    /// <param name="formula">The model; every variable must be a column of <paramref name="data"/>.</param>
    /// <param name="data">The source table.</param>
    /// <param name="extraFactors">Further variables that must be present (cluster variables).</param>
    /// <param name="weights">Column of analytic weights (rows with weight 0 or missing are dropped), or null.</param>
    /// <param name="dropSingletons">Drop singleton observations of the fixed effects iteratively.</param>
    public static ModelFrame Build(Formula formula, ColumnTable data, IEnumerable<string> extraFactors, string? weights, bool dropSingletons)
    {
        foreach (var v in formula.Variables())
            if (!data.HasColumn(v.Name))
                throw Formula.ErrorAt(formula.Text, v.Position, v.Length,
                    $"unknown variable '{v.Name}' in {data.Source}. Columns: {string.Join(", ", data.ColumnNames)}");
        int n = data.RowCount;
        var keep = new bool[n];
        Array.Fill(keep, true);

        var y = NumericColumn(formula, data, formula.Outcome);
        MarkMissing(keep, y);
        var names = ImmutableArray.CreateBuilder<string>();
        var columns = new List<double[]>();
        if (formula.FixedEffects.Length == 0 && formula.Intercept)
        {
            names.Add("(Intercept)");
            var one = new double[n]; Array.Fill(one, 1.0);
            columns.Add(one);
        }
        foreach (var term in formula.Regressors)
            foreach (var (name, col) in Expand(formula, data, term, keep))
            {
                if (names.Contains(name)) continue;
                names.Add(name); columns.Add(col); MarkMissing(keep, col);
            }
        double[]? w = null;
        if (weights is not null)
        {
            if (!data.HasColumn(weights)) throw data.Missing(weights);
            w = data.Numeric(weights);
            for (int i = 0; i < n; i++)
            {
                if (double.IsNaN(w[i])) keep[i] = false;
                else if (w[i] < 0) throw new InputException($"{data.Source}: weight column '{weights}' is negative in row {i + 1} ({w[i].ToString(CultureInfo.InvariantCulture)}); weights must be ≥ 0.");
                else if (w[i] == 0) keep[i] = false;
            }
        }
        var full = new Dictionary<string, Factor>(StringComparer.Ordinal);
        Factor Coded(string name)
        {
            if (!full.TryGetValue(name, out var f)) full[name] = f = Factor.FromColumn(data, name);
            return f;
        }
        var fes = formula.FixedEffects.Select(fe => Factor.Combine(fe.Name, fe.Parts.Select(p => Coded(p.Name)).ToArray())).ToArray();
        foreach (var f in fes) MarkMissing(keep, f);
        foreach (var c in extraFactors)
        {
            if (!data.HasColumn(c)) throw new InputException($"{data.Source}: no column '{c}' (asked for as a cluster variable). Columns: {string.Join(", ", data.ColumnNames)}.");
            MarkMissing(keep, Coded(c));
        }
        CheckEventTimeGaps(formula, data, keep, fes);
        int missing = 0;
        foreach (var k in keep) if (!k) missing++;
        int singletons = dropSingletons ? Singletons.Drop(keep, fes) : 0;
        int[]? rows = null;   // every row kept: no index (it would be 4 bytes per row for nothing)
        if (missing + singletons > 0)
        {
            rows = new int[n - missing - singletons];
            for (int i = 0, j = 0; i < n; i++) if (keep[i]) rows[j++] = i;
        }
        if (n - missing - singletons == 0) throw new InputException($"{data.Source}: no observations left for '{formula.Text}' after removing {missing} rows with missing values and {singletons} singletons.");
        var X = new double[columns.Count][];
        // Small frames inline: inside a parallel loop (permutations, placebo draws, specifications) a nested
        // Parallel.For blocks its thread and makes the pool add threads, which oversubscribes the cores.
        if ((long)n * columns.Count < 200_000) for (int j = 0; j < columns.Count; j++) X[j] = Gather(columns[j], rows);
        else Parallel.For(0, columns.Count, j => X[j] = Gather(columns[j], rows));
        return new ModelFrame
        {
            Formula = formula, Data = data, SampleIndex = rows, Y = Gather(y, rows), Names = names.ToImmutable(), X = X,
            FixedEffects = rows is null ? fes : fes.Select(f => f.Subset(rows)).ToArray(),
            Weights = w is null ? null : Gather(w, rows),
            MissingDropped = missing, SingletonsDropped = singletons, FullFactors = full,
        };
    }

    /// <summary>
    /// The scale against which a regressor counts as collinear (see <c>OlsSolver</c>): its (weighted) norm
    /// around its mean when the model has fixed effects or an intercept, so that adding a constant to a
    /// regressor never changes which regressors are kept (x = 10⁷ + N(0, 1) is not collinear with the
    /// fixed effects); the raw norm for the intercept column and in a model with neither.
    /// </summary>
    public double[] CollinearityScales()
    {
        var scales = new double[X.Length];
        void One(int j) => scales[j] = CollinearityScale(X[j], intercept: Names[j] == "(Intercept)");
        if (Y.Length < 100_000) for (int j = 0; j < X.Length; j++) One(j);
        else Parallel.For(0, X.Length, One);
        return scales;
    }

    /// <summary>
    /// The collinearity scale of one column of this model (the model's own or one added to it): centred as
    /// <see cref="CollinearityScales"/> says, raw for the <paramref name="intercept"/> column.
    /// </summary>
    public double CollinearityScale(double[] x, bool intercept = false) =>
        Norm(x, Weights, !intercept && (FixedEffects.Length > 0 || Names.Contains("(Intercept)")));

    /// <summary>√Σ w (x − x̄_w)² (centred) or √Σ w x² (raw); w = 1 without weights.</summary>
    public static double Norm(double[] x, double[]? w, bool centred)
    {
        double mean = 0;
        if (centred)
        {
            double sw = 0, sx = 0;
            for (int i = 0; i < x.Length; i++) { double wi = w?[i] ?? 1; sw += wi; sx += wi * x[i]; }
            mean = sw > 0 ? sx / sw : 0;
        }
        double ss = 0;
        for (int i = 0; i < x.Length; i++) { double d = x[i] - mean; ss += (w?[i] ?? 1) * d * d; }
        return Math.Sqrt(ss);
    }

    /// <summary>
    /// A missing value of an <c>i()</c> variable gives zeros in every dummy: the row counts as a control,
    /// which is right for a never-treated unit and silently wrong for a gap in a treated unit's event
    /// time. With fixed effects the units are known: the missing values must make up whole levels of
    /// some fixed effect (the unit). If in every fixed effect some level mixes rows with and without an
    /// event time, the first such row of the fixed effect with the fewest mixed levels (the unit) is an
    /// <see cref="InputException"/> naming the unit and the other fixed effects' values (the year).
    /// Without fixed effects the units are unknown and missing values stay controls (as documented).
    /// </summary>
    private static void CheckEventTimeGaps(Formula formula, ColumnTable data, bool[] keep, Factor[] fes)
    {
        if (fes.Length == 0) return;
        foreach (var ft in formula.Regressors.SelectMany(Factors).DistinctBy(ft => ft.Variable.Name))
        {
            var x = data.Numeric(ft.Variable.Name);
            (Factor Fe, int Mixed, int FirstRow)? best = null;
            foreach (var fe in fes)
            {
                var hasValue = new bool[fe.Levels];
                var hasMissing = new bool[fe.Levels];
                var codes = fe.Codes;
                for (int i = 0; i < x.Length; i++)
                {
                    if (!keep[i] || codes[i] < 0) continue;
                    if (double.IsNaN(x[i])) hasMissing[codes[i]] = true; else hasValue[codes[i]] = true;
                }
                int mixed = 0;
                for (int g = 0; g < fe.Levels; g++) if (hasValue[g] && hasMissing[g]) mixed++;
                if (mixed == 0) { best = null; break; } // missing values are whole units of this fixed effect
                if (best is null || mixed < best.Value.Mixed)
                {
                    int first = Enumerable.Range(0, x.Length).First(i => keep[i] && codes[i] >= 0 && double.IsNaN(x[i]) && hasValue[codes[i]]);
                    best = (fe, mixed, first);
                }
            }
            if (best is not { } b) continue;
            string Value(string name, int row) => data.IsNumeric(name) ? Fmt(data.Numeric(name)[row]) : data.Text(name)[row] ?? "";
            string Level(FixedEffectTerm term, int row) => $"{term.Name} {string.Join("^", term.Parts.Select(p => Value(p.Name, row)))}";
            var unit = formula.FixedEffects.First(fe => fe.Name == b.Fe.Name);
            var others = formula.FixedEffects.Where(fe => fe.Name != b.Fe.Name).Select(fe => Level(fe, b.FirstRow)).ToList();
            throw Formula.ErrorAt(formula.Text, ft.Position, ft.Length,
                $"'{ft.Variable.Name}' is missing in row {b.FirstRow + 1} of {data.Source} ({Level(unit, b.FirstRow)}{(others.Count > 0 ? ", " + string.Join(", ", others) : "")}), " +
                $"but {Level(unit, b.FirstRow)} has event times in other rows ({b.Mixed} such level(s) of {unit.Name}). " +
                "A missing event time marks a never-treated unit (every dummy zero); in a treated unit it would silently make the row a control. Fill the gap or drop those rows.");
        }

        static IEnumerable<FactorTerm> Factors(ModelTerm term) => term switch
        {
            FactorTerm f => [f],
            InteractionTerm it => it.Parts.SelectMany(Factors),
            _ => [],
        };
    }

    internal static double[] Gather(double[] src, int[]? rows)
    {
        if (rows is null || rows.Length == src.Length) return src;
        var dst = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++) dst[i] = src[rows[i]];
        return dst;
    }

    private static void MarkMissing(bool[] keep, double[] col)
    {
        for (int i = 0; i < keep.Length; i++) if (double.IsNaN(col[i])) keep[i] = false;
    }

    private static void MarkMissing(bool[] keep, Factor f)
    {
        var c = f.Codes;
        for (int i = 0; i < keep.Length; i++) if (c[i] < 0) keep[i] = false;
    }

    private static double[] NumericColumn(Formula f, ColumnTable data, VariableTerm v)
    {
        if (!data.IsNumeric(v.Name))
            throw Formula.ErrorAt(f.Text, v.Position, v.Length, $"variable '{v.Name}' in {data.Source} is text; a number was expected (use it as a fixed effect after '|', or inside i())");
        return data.Numeric(v.Name);
    }

    /// <summary>The columns a term stands for, with their names.</summary>
    internal static IEnumerable<(string Name, double[] Column)> Expand(Formula f, ColumnTable data, ModelTerm term, bool[] keep)
    {
        switch (term)
        {
            case VariableTerm v:
                return [(v.Name, NumericColumn(f, data, v))];
            case FactorTerm ft:
                return FactorDummies(f, data, ft);
            case InteractionTerm it:
                IEnumerable<(string, double[])> acc = [("", Array.Empty<double>())];
                foreach (var part in it.Parts)
                {
                    var expanded = Expand(f, data, part, keep).ToList();
                    acc = acc.SelectMany(a => expanded.Select(e => (a.Item1.Length == 0 ? e.Name : a.Item1 + ":" + e.Name,
                        a.Item2.Length == 0 ? e.Column : Multiply(a.Item2, e.Column)))).ToList();
                }
                return acc;
            default: throw new InvalidOperationException("unknown term " + term);
        }
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[i] * b[i];
        return r;
    }

    private static IEnumerable<(string, double[])> FactorDummies(Formula f, ColumnTable data, FactorTerm ft)
    {
        var x = NumericColumn(f, data, ft.Variable);
        var by = ft.By is null ? null : NumericColumn(f, data, ft.By);
        int n = x.Length;
        // Bin the end points, then one dummy per remaining distinct value except the references.
        string Label(double v) =>
            ft.BinLow is { } lo && v <= lo ? "<=" + Fmt(lo) :
            ft.BinHigh is { } hi && v >= hi ? ">=" + Fmt(hi) : Fmt(v);
        double Key(double v) =>
            ft.BinLow is { } lo && v <= lo ? lo : ft.BinHigh is { } hi && v >= hi ? hi : v;
        var values = x.Where(v => !double.IsNaN(v)).Select(Key).Distinct().Order().ToList();
        foreach (var r in ft.References)
            if (!values.Contains(Key(r)))
                throw Formula.ErrorAt(f.Text, ft.Position, ft.Length, $"reference value {Fmt(r)} does not occur in '{ft.Variable.Name}'");
        var refs = ft.References.Select(Key).ToHashSet();
        foreach (var level in values.Where(v => !refs.Contains(v)))
        {
            var col = new double[n];
            for (int i = 0; i < n; i++)
            {
                // Missing relative time (never treated) → 0 in every dummy: the row is a control.
                double d = !double.IsNaN(x[i]) && Key(x[i]) == level ? 1.0 : 0.0;
                col[i] = by is null ? d : d * by[i];
            }
            string name = ft.Variable.Name + "::" + Label(level) + (ft.By is null ? "" : ":" + ft.By.Name);
            yield return (name, col);
        }
    }

    internal static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
