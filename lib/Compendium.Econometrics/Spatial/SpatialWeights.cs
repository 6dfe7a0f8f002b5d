using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Spatial;

/// <summary>
/// A spatial weights matrix W over a fixed list of units (zero diagonal), stored by rows (compressed
/// sparse rows). Built from coordinates (<see cref="FromCoordinates"/>), from a CSV of
/// (unit_i, unit_j, weight) (<see cref="ReadCsv"/>) or from edges (<see cref="FromEdges"/>); row-standardised
/// (w_ij / Σ_j w_ij) unless the specification says otherwise. Immutable; the eigenvalues, used by every
/// likelihood through log|I − ρW| = Σ log|1 − ρω_i|, are computed once on first use and cached.
/// </summary>
public sealed class SpatialWeights
{
    private readonly int[] _rowStart;
    private readonly int[] _col;
    private readonly double[] _val;
    private readonly double[]? _symmetricScale;   // raw weights symmetric: W = diag(1/s) C, eigenvalues from diag(s^-½) C diag(s^-½)
    private readonly Lazy<(double[] Re, double[] Im)> _eigen;

    /// <summary>The units, in the order of the rows and columns of W.</summary>
    public ImmutableArray<string> Units { get; }
    /// <summary>What W is, e.g. <c>inverse distance (power 1, cut-off 500 km), row-standardised</c>.</summary>
    public string Description { get; }
    /// <summary>Every row sums to one.</summary>
    public bool RowStandardised { get; }
    /// <summary>Number of units n.</summary>
    public int Count => Units.Length;
    /// <summary>Number of non-zero weights.</summary>
    public int NonZero => _val.Length;

    private readonly Dictionary<string, int> _index;

    private SpatialWeights(ImmutableArray<string> units, int[] rowStart, int[] col, double[] val, string description,
        bool rowStandardised, double[]? symmetricScale)
    {
        Units = units; _rowStart = rowStart; _col = col; _val = val; Description = description;
        RowStandardised = rowStandardised; _symmetricScale = symmetricScale;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < units.Length; i++) _index[units[i]] = i;
        _eigen = new Lazy<(double[], double[])>(ComputeEigenvalues, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The position of a unit in <see cref="Units"/>, or −1.</summary>
    public int IndexOf(string unit) => _index.TryGetValue(unit, out var i) ? i : -1;

    /// <summary>w_ij (0 when i and j are not neighbours).</summary>
    public double this[int i, int j]
    {
        get
        {
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++) if (_col[p] == j) return _val[p];
            return 0;
        }
    }

    /// <summary>The neighbours j of unit i with their weights w_ij.</summary>
    public IEnumerable<(int J, double Weight)> Row(int i)
    {
        for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++) yield return (_col[p], _val[p]);
    }

    /// <summary>The columns j with w_ij ≠ 0 of row i, ascending.</summary>
    internal ReadOnlySpan<int> RowColumns(int i) => _col.AsSpan(_rowStart[i], _rowStart[i + 1] - _rowStart[i]);
    /// <summary>The weights of row i, in the order of <see cref="RowColumns"/>.</summary>
    internal ReadOnlySpan<double> RowWeights(int i) => _val.AsSpan(_rowStart[i], _rowStart[i + 1] - _rowStart[i]);

    /// <summary>The spatial lag (Wx)_i = Σ_j w_ij x_j of one cross-section.</summary>
    public void Lag(ReadOnlySpan<double> x, Span<double> into)
    {
        if (x.Length != Count || into.Length != Count) throw new ArgumentException($"spatial lag: vectors must have {Count} elements");
        for (int i = 0; i < Count; i++)
        {
            double s = 0;
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++) s += _val[p] * x[_col[p]];
            into[i] = s;
        }
    }

    /// <summary>The spatial lag Wx of one cross-section.</summary>
    public double[] Lag(ReadOnlySpan<double> x) { var r = new double[Count]; Lag(x, r); return r; }

    /// <summary>The spatial lag of a panel stored period by period (block t holds units 0..n−1): (I_T ⊗ W)x.</summary>
    public double[] LagPanel(ReadOnlySpan<double> x)
    {
        int n = Count;
        if (x.Length % n != 0) throw new ArgumentException($"panel lag: length {x.Length} is not a multiple of {n}");
        var r = new double[x.Length];
        for (int t = 0; t < x.Length / n; t++) Lag(x.Slice(t * n, n), r.AsSpan(t * n, n));
        return r;
    }

    /// <summary>W as a dense row-major n × n array (a copy).</summary>
    public double[] Dense()
    {
        int n = Count; var d = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++) d[i * n + _col[p]] = _val[p];
        return d;
    }

    /// <summary>
    /// The eigenvalues ω of W (real and imaginary parts), computed once. When the weights before
    /// standardisation are symmetric (inverse distance, distance band, a symmetric file), W = D⁻¹C is
    /// similar to the symmetric D^−½ C D^−½ and the eigenvalues are real (symmetric solver);
    /// otherwise (k nearest neighbours) the general solver is used and pairs may be complex.
    /// </summary>
    public (double[] Re, double[] Im) Eigenvalues => _eigen.Value;

    /// <summary>The interval of ρ on which I − ρW is non-singular with a positive determinant: (1/ω_min, 1/ω_max), real parts.</summary>
    public (double Lower, double Upper) RhoBounds
    {
        get
        {
            var re = Eigenvalues.Re;
            double lo = re.Min(), hi = re.Max();
            return (1 / lo, 1 / hi);
        }
    }

    /// <summary>log|I − ρW| = Σ_i log|1 − ρω_i|.</summary>
    public double LogDet(double rho)
    {
        var (re, im) = Eigenvalues; double s = 0;
        for (int i = 0; i < re.Length; i++)
        {
            double a = 1 - rho * re[i], b = rho * im[i];
            s += b == 0 ? Math.Log(Math.Abs(a)) : 0.5 * Math.Log(a * a + b * b);
        }
        return s;
    }

    /// <summary>d log|I − ρW| / dρ = −Σ_i Re(ω_i / (1 − ρω_i)) = −tr(W(I − ρW)⁻¹).</summary>
    public double LogDetDerivative(double rho)
    {
        var (re, im) = Eigenvalues; double s = 0;
        for (int i = 0; i < re.Length; i++)
        {
            double a = 1 - rho * re[i], b = -rho * im[i];          // 1 − ρω = a + ib
            s += (re[i] * a + im[i] * b) / (a * a + b * b);       // Re(ω/(a+ib))
        }
        return -s;
    }

    private (double[] Re, double[] Im) ComputeEigenvalues()
    {
        int n = Count;
        var dense = Dense();
        if (_symmetricScale is { } s)
        {
            // C = diag(s) W is symmetric; W = diag(s^-½) [diag(s^-½) C diag(s^-½)] diag(s^½) has the eigenvalues of the symmetric middle matrix.
            var sym = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                    sym[i * n + j] = sym[j * n + i] = 0.5 * (dense[i * n + j] * Math.Sqrt(s[i] / s[j]) + dense[j * n + i] * Math.Sqrt(s[j] / s[i]));
            return (DenseKernels.SymmetricEigenvalues(sym, n), new double[n]);
        }
        var (re, im) = DenseKernels.GeneralEigenvalues(dense, n);
        double scale = re.Zip(im).Max(z => Math.Abs(z.First) + Math.Abs(z.Second));
        for (int i = 0; i < n; i++) if (Math.Abs(im[i]) <= 1e-13 * scale) im[i] = 0;
        return (re, im);
    }

    /// <summary>Moran constants of W: S0 = Σ w_ij, S1 = ½ Σ (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)².</summary>
    public (double S0, double S1, double S2) MoranConstants()
    {
        int n = Count; double s0 = 0, s1 = 0;
        var rs = new double[n]; var cs = new double[n];
        var dense = n <= 4096 ? Dense() : null;
        for (int i = 0; i < n; i++)
            for (int p = _rowStart[i]; p < _rowStart[i + 1]; p++)
            {
                int j = _col[p]; double w = _val[p];
                s0 += w; rs[i] += w; cs[j] += w;
                s1 += w * w + w * (dense is null ? this[j, i] : dense[j * n + i]);
            }
        double s2 = 0;
        for (int i = 0; i < n; i++) s2 += (rs[i] + cs[i]) * (rs[i] + cs[i]);
        return (s0, s1, s2);
    }

    // ------------------------------------------------------------------ construction

    /// <summary>
    /// Weights from coordinates (degrees): great-circle distances d_ij (<see cref="GreatCircle"/>), then
    /// inverse distance, k nearest neighbours or a distance band as <paramref name="spec"/> says.
    /// Errors: two units at the same place (distance 0), a unit with no neighbour (an island: raise the cut-off
    /// or the band, or use k nearest neighbours), a missing or out-of-range coordinate.
    /// </summary>
    public static SpatialWeights FromCoordinates(IReadOnlyList<string> units, IReadOnlyList<double> latitude, IReadOnlyList<double> longitude, WeightsSpec spec)
    {
        int n = units.Count;
        if (spec.Kind == WeightsKind.File) throw new ArgumentException("a file specification is read with ReadCsv");
        if (latitude.Count != n || longitude.Count != n) throw new ArgumentException("one latitude and one longitude per unit");
        if (n < 2) throw new InputException("spatial weights need at least two units.");
        CheckUnique(units, "coordinates");
        for (int i = 0; i < n; i++)
        {
            if (!(Math.Abs(latitude[i]) <= 90) || !(Math.Abs(longitude[i]) <= 180))
                throw new InputException($"unit {units[i]}: latitude {Fmt(latitude[i])}, longitude {Fmt(longitude[i])} are not coordinates in degrees (|lat| ≤ 90, |lon| ≤ 180, none missing).");
        }
        if (spec.Kind == WeightsKind.Knn && spec.K >= n)
            throw new InputException($"knn:{spec.K}: there are only {n} units, so at most {n - 1} neighbours.");
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double v = GreatCircle.DistanceKm(latitude[i], longitude[i], latitude[j], longitude[j]);
                if (v == 0)
                    throw new InputException($"units {units[i]} and {units[j]} have identical coordinates ({Fmt(latitude[i])}, {Fmt(longitude[i])}): distance-based weights need distinct locations.");
                d[i * n + j] = d[j * n + i] = v;
            }
        var rows = new List<(int J, double W)>[n];
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < n; i++)
        {
            var r = rows[i] = new List<(int, double)>();
            switch (spec.Kind)
            {
                case WeightsKind.InverseDistance:
                    for (int j = 0; j < n; j++)
                        if (j != i && (spec.CutoffKm is not { } c || d[i * n + j] <= c)) r.Add((j, Math.Pow(d[i * n + j], -spec.Power)));
                    break;
                case WeightsKind.Band:
                    for (int j = 0; j < n; j++)
                        if (j != i && d[i * n + j] <= spec.BandKm) r.Add((j, 1.0));
                    break;
                case WeightsKind.Knn:
                    var nearest = order.Where(j => j != i).OrderBy(j => d[i * n + j]).ThenBy(j => j).Take(spec.K).Order();
                    foreach (var j in nearest) r.Add((j, 1.0));
                    break;
            }
            if (r.Count == 0)
            {
                int nn = order.Where(j => j != i).MinBy(j => d[i * n + j]);
                string limit = spec.Kind == WeightsKind.Band ? $"band {Fmt(spec.BandKm)} km" : $"cut-off {Fmt(spec.CutoffKm ?? 0)} km";
                throw new InputException($"unit {units[i]} has no neighbour within the {limit} (nearest: {units[nn]} at {d[i * n + nn].ToString("0.0", CultureInfo.InvariantCulture)} km): raise the distance or use knn:K.");
            }
        }
        return Build(units, rows, spec.ToString(), spec.RowStandardise, symmetric: spec.Kind != WeightsKind.Knn);
    }

    /// <summary>
    /// Weights over the units of a data set (in order of first appearance): from its coordinate columns
    /// (one location per unit; a unit whose rows disagree on its coordinates is an input error), or, for
    /// <see cref="WeightsKind.File"/>, from the CSV restricted to exactly those units.
    /// </summary>
    public static SpatialWeights FromData(ColumnTable data, string unit, string? latitude, string? longitude, WeightsSpec spec)
    {
        var ids = SpatialPanel.UnitIds(data, unit);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int r = 0; r < ids.Length; r++) first.TryAdd(ids[r], r);
        var units = first.Keys.ToList();
        if (spec.Kind == WeightsKind.File) return ReadCsv(spec.FilePath!, units, spec.RowStandardise);
        if (latitude is null || longitude is null)
            throw new InputException($"{spec}: distance-based weights need the latitude and longitude columns (--lat, --lon).");
        var lat = data.Numeric(latitude); var lon = data.Numeric(longitude);
        for (int r = 0; r < ids.Length; r++)
        {
            int f = first[ids[r]];
            if (!lat[r].Equals(lat[f]) || !lon[r].Equals(lon[f]))
                throw new InputException($"{data.Source}, rows {f + 1} and {r + 1}: unit {ids[r]} has two locations (({Fmt(lat[f])}, {Fmt(lon[f])}) and ({Fmt(lat[r])}, {Fmt(lon[r])})); '{latitude}' and '{longitude}' must be constant within a unit.");
        }
        return FromCoordinates(units, units.Select(u => lat[first[u]]).ToArray(), units.Select(u => lon[first[u]]).ToArray(), spec);
    }

    /// <summary>
    /// Weights from edges (unit_i, unit_j, weight ≥ 0) over <paramref name="units"/> (null: the units
    /// named in the edges, in order of first appearance). Self-links, duplicate pairs, negative or missing
    /// weights, units outside the list and units without any neighbour are input errors naming <paramref name="source"/>.
    /// </summary>
    public static SpatialWeights FromEdges(IEnumerable<(string I, string J, double Weight)> edges, IReadOnlyList<string>? units,
        bool rowStandardise, string source)
    {
        var list = edges.ToList();
        var ids = units?.ToList() ?? list.SelectMany(e => new[] { e.I, e.J }).Distinct(StringComparer.Ordinal).ToList();
        CheckUnique(ids, source);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++) index[ids[i]] = i;
        var rows = Enumerable.Range(0, ids.Count).Select(_ => new List<(int J, double W)>()).ToArray();
        var seen = new HashSet<(int, int)>();
        int e = 0;
        foreach (var (a, b, w) in list)
        {
            e++;
            if (!index.TryGetValue(a, out int i)) throw new InputException($"{source}, link {e}: unit '{a}' is not among the units ({Preview(ids)}).");
            if (!index.TryGetValue(b, out int j)) throw new InputException($"{source}, link {e}: unit '{b}' is not among the units ({Preview(ids)}).");
            if (i == j) throw new InputException($"{source}, link {e}: unit '{a}' is linked to itself; W has a zero diagonal.");
            if (!(w >= 0) || double.IsInfinity(w)) throw new InputException($"{source}, link {e}: weight {Fmt(w)} of ({a}, {b}) must be a finite number ≥ 0.");
            if (!seen.Add((i, j))) throw new InputException($"{source}, link {e}: the pair ({a}, {b}) appears twice.");
            if (w > 0) rows[i].Add((j, w));
        }
        var named = list.SelectMany(e => new[] { e.I, e.J }).ToHashSet(StringComparer.Ordinal);
        var absent = ids.Where(u => !named.Contains(u)).ToList();
        if (absent.Count > 0 && units is not null)
            throw new InputException($"{source}: {absent.Count} unit(s) of the panel do not appear in the weights: {Preview(absent)}.");
        for (int i = 0; i < ids.Count; i++)
            if (rows[i].Count == 0) throw new InputException($"{source}: unit '{ids[i]}' has no neighbour (an island); give it at least one link with a positive weight.");
        foreach (var r in rows) r.Sort((x, y) => x.J.CompareTo(y.J));
        bool symmetric = rows.Select((r, i) => r.All(p => rows[p.J].Any(q => q.J == i && q.W == p.W))).All(b => b);
        return Build(ids, rows, $"from {Path.GetFileName(source)}" + (rowStandardise ? ", row-standardised" : ", not standardised"), rowStandardise, symmetric);
    }

    /// <summary>
    /// Read weights from a CSV with columns <c>unit_i</c>, <c>unit_j</c>, <c>weight</c> (one row per ordered pair
    /// with a non-zero weight; give both (i, j) and (j, i) for symmetric links). Unit identifiers are
    /// compared as text after normalising numbers (<c>110000</c> and <c>110000.0</c> are the same unit).
    /// </summary>
    public static SpatialWeights ReadCsv(string path, IReadOnlyList<string>? units = null, bool rowStandardise = true)
    {
        var csv = Csv.Read(path);
        csv.RequireColumns("unit_i", "unit_j", "weight");
        var edges = csv.Rows.Select(r => (NormaliseId(r.Text("unit_i")), NormaliseId(r.Text("unit_j")), r.Double("weight")));
        return FromEdges(edges, units, rowStandardise, path);
    }

    /// <summary>Unit identifiers as text: numbers in their shortest round-trip form (<c>110000.0</c> → <c>110000</c>), other text trimmed.</summary>
    public static string NormaliseId(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v.ToString("R", CultureInfo.InvariantCulture) : s.Trim();

    /// <summary>
    /// W over <paramref name="units"/> in that order (the panel's units). Every panel unit must be in W and
    /// W may not hold units the panel lacks (dropping them would change the row standardisation): both are
    /// input errors listing the units concerned.
    /// </summary>
    public SpatialWeights AlignTo(IReadOnlyList<string> units, string panelSource)
    {
        var missing = units.Where(u => IndexOf(u) < 0).ToList();
        if (missing.Count > 0)
            throw new InputException($"{panelSource}: {missing.Count} unit(s) of the panel are not in the weights ({Description}): {Preview(missing)}.");
        var set = units.ToHashSet(StringComparer.Ordinal);
        var extra = Units.Where(u => !set.Contains(u)).ToList();
        if (extra.Count > 0)
            throw new InputException($"the weights ({Description}) hold {extra.Count} unit(s) that are not in {panelSource}: {Preview(extra)}; build W on the panel's units.");
        if (units.Count != Count) throw new InputException($"{panelSource}: units repeat; W needs each unit once.");
        if (units.SequenceEqual(Units)) return this;
        var pos = units.Select(IndexOf).ToArray();     // new i → old index
        var inv = new int[Count]; for (int i = 0; i < Count; i++) inv[pos[i]] = i;
        var rows = new List<(int J, double W)>[Count];
        for (int i = 0; i < Count; i++)
            rows[i] = Row(pos[i]).Select(p => (inv[p.J], p.Weight)).OrderBy(p => p.Item1).ToList();
        double[]? scale = _symmetricScale is null ? null : pos.Select(p => _symmetricScale[p]).ToArray();
        return FromRows(units.ToImmutableArray(), rows, Description, RowStandardised, scale);
    }

    private static SpatialWeights Build(IReadOnlyList<string> units, List<(int J, double W)>[] rows, string description, bool rowStandardise, bool symmetric)
    {
        int n = units.Count;
        double[]? scale = null;
        if (rowStandardise)
        {
            var sums = rows.Select(r => r.Sum(p => p.W)).ToArray();
            for (int i = 0; i < n; i++)
                for (int p = 0; p < rows[i].Count; p++) rows[i][p] = (rows[i][p].J, rows[i][p].W / sums[i]);
            if (symmetric) scale = sums;
        }
        else if (symmetric) scale = Enumerable.Repeat(1.0, n).ToArray();
        return FromRows(units.ToImmutableArray(), rows, description, rowStandardise, scale);
    }

    private static SpatialWeights FromRows(ImmutableArray<string> units, List<(int J, double W)>[] rows, string description, bool rowStandardised, double[]? scale)
    {
        int n = units.Length;
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + rows[i].Count;
        var col = new int[start[n]]; var val = new double[start[n]];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < rows[i].Count; p++) { col[start[i] + p] = rows[i][p].J; val[start[i] + p] = rows[i][p].W; }
        return new SpatialWeights(units, start, col, val, description, rowStandardised, scale);
    }

    private static void CheckUnique(IReadOnlyList<string> units, string what)
    {
        var dup = units.GroupBy(u => u, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"{what}: unit '{dup.Key}' appears {dup.Count()} times; each unit needs one location.");
    }

    private static string Preview(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(8)) + (ids.Count > 8 ? $", … ({ids.Count} in all)" : "");

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
