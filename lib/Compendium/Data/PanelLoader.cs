using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Deedle;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Compendium.Data;

/// <summary>Counts describing a validated panel.</summary>
/// <param name="Rows">City-year rows.</param>
/// <param name="Cities">Distinct cities.</param>
/// <param name="FirstYear">Earliest year.</param>
/// <param name="LastYear">Latest year.</param>
/// <param name="TreatedCities">Cities with <c>treat</c> = 1 in some year.</param>
/// <param name="TreatedRows">City-years with <c>treat</c> = 1.</param>
/// <param name="MissingByColumn">Empty cells per column (only columns with at least one; <c>rel_year</c> of never-treated cities is not counted).</param>
/// <param name="Derived">Columns the file lacked and the loader computed (<see cref="PanelCompletion"/>).</param>
public sealed record PanelSummary(int Rows, int Cities, int FirstYear, int LastYear, int TreatedCities, int TreatedRows,
    ImmutableSortedDictionary<string, int> MissingByColumn, ImmutableArray<string> Derived)
{
    /// <summary>Number of calendar years spanned, LastYear − FirstYear + 1.</summary>
    public int Years => LastYear - FirstYear + 1;

    /// <summary>A multi-line, human-readable summary (what <c>compendium validate</c> prints).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"rows: {Rows}\ncities: {Cities}\nyears: {FirstYear}–{LastYear} ({Years})\n");
        sb.Append(CultureInfo.InvariantCulture, $"treated cities: {TreatedCities}\ntreated city-years: {TreatedRows}\n");
        sb.Append("missing values: ").Append(MissingByColumn.Count == 0 ? "none" : string.Join(", ", MissingByColumn.Select(kv => $"{kv.Key} {kv.Value}"))).Append('\n');
        if (!Derived.IsDefaultOrEmpty)
            sb.Append("derived (absent from the file; from city facts, the pilot-zone calendar under the default timing, the entropy index of the 14 indicators, tel1984 × national internet users): ")
              .Append(string.Join(", ", Derived)).Append('\n');
        return sb.ToString();
    }
}

/// <summary>A loaded panel that passed the schema check: the column store estimators read, and its summary.</summary>
public sealed record Panel(ColumnTable Table, PanelSummary Summary)
{
    /// <summary>The panel as a Deedle frame (rows 0..n−1), for notebooks.</summary>
    public Frame<int, string> ToFrame() => Table.ToFrame();
}

/// <summary>
/// Reads a city-year panel from CSV or .xlsx (first sheet, header in row 1) and checks it against
/// <see cref="PanelSchema"/>. Every problem is collected and reported together in one
/// <see cref="InputException"/> (at most <see cref="MaxListed"/> per kind, with the total count): missing
/// columns (with the columns found), non-numeric cells (file, line, column), duplicate city-years,
/// city codes not in the city list, an unbalanced panel and missing values. Nothing is dropped silently.
/// </summary>
public static class PanelLoader
{
    /// <summary>How many instances of one kind of problem are listed before "… and N more".</summary>
    public const int MaxListed = 10;

    /// <summary>Load and validate a panel file.</summary>
    /// <param name="path">A .csv or .xlsx file.</param>
    /// <param name="knownCityCodes">The study's city codes (from data/cities.csv); codes outside it are errors. Null skips the check.</param>
    /// <param name="facts">Facts for deriving columns the file lacks (<see cref="PanelCompletion"/>); null loads the repository's data/ when needed.</param>
    public static Panel Load(string path, IReadOnlySet<int>? knownCityCodes = null, StudyFacts? facts = null)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found.");
        var (header, rows) = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".xlsx" => ReadXlsx(path),
            var e => throw new InputException($"{path}: unsupported file type '{e}'; give a .csv or .xlsx file."),
        };
        // Spreadsheet users think in rows, CSV users in lines; both are the 1-based number the file shows.
        return Validate(path, header, rows, knownCityCodes, facts, Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? "row" : "line");
    }

    /// <summary>One data row of the raw file: its 1-based line (or spreadsheet row) number and its cells as text.</summary>
    internal readonly record struct RawRow(int Line, string?[] Cells);

    internal static Panel Validate(string file, IReadOnlyList<string> header, IReadOnlyList<RawRow> rows, IReadOnlySet<int>? knownCityCodes, StudyFacts? facts = null, string line = "line")
    {
        var problems = new Problems();
        var index = ColumnIndex(file, header, problems);
        if (rows.Count == 0) throw new InputException($"{file}: no data rows.");
        var (table, missing) = ParseColumns(file, header, index, rows, problems, line);

        var derived = ImmutableArray<string>.Empty;
        var derivable = PanelCompletion.Missing(table.ColumnNames);
        if (!derivable.IsEmpty)
        {
            // Derived columns are computed from the file's own columns and the facts, so those must be
            // clean first; otherwise report what blocks the derivation, with the rest of the problems.
            facts ??= StudyFacts.Load(StudyFacts.DefaultDataDir());
            ReportMissing(problems, table, missing, rows, line, (_, _) => false);
            AddUnknownCodes(problems, table.Numeric(PanelSchema.CityCode), facts.Cities.Select(c => c.Code).ToHashSet(), rows, line);
            if (problems.Any)
                problems.Add("columns not derived", $"{string.Join(", ", derivable.Select(v => v.Name))} (absent from the file) can be computed only once the problems above are fixed");
            problems.ThrowIfAny(file);
            (table, derived) = PanelCompletion.Complete(table, facts);
        }

        var codes = table.Numeric(PanelSchema.CityCode);
        var years = table.Numeric(PanelSchema.Year);
        var treat = table.Numeric(PanelSchema.Treat);
        var policyYear = table.Numeric(PanelSchema.PolicyYear);
        var relYear = table.Numeric(PanelSchema.RelYear);

        // rel_year is empty by design for never-treated cities only.
        int relMissing = Enumerable.Range(0, rows.Count).Count(i => double.IsNaN(relYear[i]) && policyYear[i] > 0);
        if (relMissing > 0) missing[PanelSchema.RelYear] = relMissing;
        ReportMissing(problems, table, missing, rows, line, (col, i) => col == PanelSchema.RelYear && !(policyYear[i] > 0));
        CheckTreatmentCoding(file, table, rows, problems, line);
        CheckDuplicateCityYears(codes, years, rows, problems, line);
        if (knownCityCodes is not null) AddUnknownCodes(problems, codes, knownCityCodes, rows, line);
        if (!problems.Any) CheckIndex(table, derived, problems, rows, line);
        var (y0, y1, cities) = CheckBalance(codes, years, rows, problems);

        problems.ThrowIfAny(file);

        var treatedCities = Enumerable.Range(0, rows.Count).Where(i => treat[i] == 1).Select(i => codes[i]).Distinct().Count();
        var summary = new PanelSummary(rows.Count, cities, y0, y1, treatedCities, treat.Count(t => t == 1),
            missing.ToImmutableSortedDictionary(StringComparer.Ordinal), derived);
        return new Panel(table, summary);
    }

    /// <summary>Column positions by name (a repeated name is a problem); the schema's required columns must be there.</summary>
    private static Dictionary<string, int> ColumnIndex(string file, IReadOnlyList<string> header, Problems problems)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < header.Count; c++)
        {
            if (index.ContainsKey(header[c])) problems.Add("duplicate column", $"column '{header[c]}' appears more than once");
            else index[header[c]] = c;
        }
        var missingCols = PanelSchema.RequiredColumns.Where(n => !index.ContainsKey(n)).ToList();
        if (missingCols.Count > 0)
            throw new InputException($"{file}: missing column(s) {string.Join(", ", missingCols.Select(m => $"'{m}'"))}. Columns found: {string.Join(", ", header)}.");
        return index;
    }

    /// <summary>Every column as numbers (schema kind, or numbers in every cell) or text; cells that are not numbers or not whole numbers are problems; empty cells counted per column where the schema forbids them.</summary>
    private static (ColumnTable Table, SortedDictionary<string, int> Missing) ParseColumns(string file, IReadOnlyList<string> header, Dictionary<string, int> index,
        IReadOnlyList<RawRow> rows, Problems problems, string line)
    {
        var table = ColumnTable.Empty(rows.Count, file);
        var missing = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in header.Distinct())
        {
            int c = index[name];
            var schema = PanelSchema.Variables.FirstOrDefault(v => v.Name == name);
            var text = rows.Select(r => c < r.Cells.Length ? Clean(r.Cells[c]) : null).ToArray();
            int empty = text.Count(t => t is null);
            if (schema is { Kind: VariableKind.Text } || (schema is null && text.Any(t => t is not null && !TryNumber(t, out _))))
            {
                table = table.With(name, text);
                if (schema is not null && empty > 0) missing[name] = empty;
                continue;
            }
            var values = new double[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                if (text[i] is null) { values[i] = double.NaN; continue; }
                if (!TryNumber(text[i]!, out values[i]))
                {
                    problems.Add("non-numeric cell", $"{file}: {line} {rows[i].Line}, column '{name}': '{text[i]}' is not a number");
                    values[i] = double.NaN;
                }
                else if (schema is { Kind: VariableKind.Integer } && values[i] != Math.Floor(values[i]))
                    problems.Add("non-integer cell", $"{file}: {line} {rows[i].Line}, column '{name}': '{text[i]}' is not a whole number");
            }
            table = table.With(name, values);
            if (schema is { MayBeEmpty: false } && empty > 0) missing[name] = empty;
        }

        return (table, missing);
    }

    /// <summary>Counts per column come from <paramref name="missing"/>; the first few lines are named so the author can find them.</summary>
    private static void ReportMissing(Problems problems, ColumnTable table, SortedDictionary<string, int> missing, IReadOnlyList<RawRow> rows, string line,
        Func<string, int, bool> emptyByDesign)
    {
        foreach (var (col, n) in missing)
        {
            var lines = Enumerable.Range(0, rows.Count)
                .Where(i => (table.IsNumeric(col) ? double.IsNaN(table.Numeric(col)[i]) : table.Text(col)[i] is null) && !emptyByDesign(col, i))
                .Take(3).Select(i => rows[i].Line.ToString(CultureInfo.InvariantCulture));
            problems.Add("missing values", $"column '{col}': {n} missing value(s) (e.g. {line} {string.Join(", ", lines)})");
        }
    }

    /// <summary>treat and pilot are 0/1; the four treatment columns encode one thing, so they must agree (otherwise some estimator would silently use the wrong one).</summary>
    private static void CheckTreatmentCoding(string file, ColumnTable table, IReadOnlyList<RawRow> rows, Problems problems, string line)
    {
        var years = table.Numeric(PanelSchema.Year);
        var treat = table.Numeric(PanelSchema.Treat);
        var pilot = table.Numeric(PanelSchema.Pilot);
        var policyYear = table.Numeric(PanelSchema.PolicyYear);
        var relYear = table.Numeric(PanelSchema.RelYear);
        for (int i = 0; i < rows.Count; i++)
        {
            foreach (var (col, v) in new[] { (PanelSchema.Treat, treat[i]), (PanelSchema.Pilot, pilot[i]) })
                if (!double.IsNaN(v) && v is not (0 or 1))
                    problems.Add("not 0/1", $"{file}: {line} {rows[i].Line}, column '{col}': {v.ToString(CultureInfo.InvariantCulture)} (expected 0 or 1)");
        }

        for (int i = 0; i < rows.Count; i++)
        {
            if (new[] { pilot[i], policyYear[i], treat[i], years[i] }.Any(double.IsNaN)) continue;
            string? conflict = pilot[i] == 0
                ? policyYear[i] != 0 ? "policy_year must be 0 for a city outside the pilot zones (pilot = 0)"
                : treat[i] != 0 ? "treat must be 0 for a city outside the pilot zones (pilot = 0)"
                : !double.IsNaN(relYear[i]) ? "rel_year must be empty for a city outside the pilot zones (pilot = 0)" : null
                : policyYear[i] <= 0 ? "policy_year must be the first treated year for a pilot city (pilot = 1)"
                : treat[i] != (years[i] >= policyYear[i] ? 1 : 0) ? $"treat must be 1 exactly from policy_year {policyYear[i].ToString(CultureInfo.InvariantCulture)} on"
                : relYear[i] != years[i] - policyYear[i] ? "rel_year must equal year − policy_year" : null;
            if (conflict is not null)
                problems.Add("inconsistent treatment coding", $"{file}: {line} {rows[i].Line}: {conflict}");
        }

    }

    /// <summary>A city-year may appear once.</summary>
    private static void CheckDuplicateCityYears(double[] codes, double[] years, IReadOnlyList<RawRow> rows, Problems problems, string line)
    {
        var seen = new Dictionary<(double, double), int>();
        for (int i = 0; i < rows.Count; i++)
        {
            if (double.IsNaN(codes[i]) || double.IsNaN(years[i])) continue;
            if (seen.TryGetValue((codes[i], years[i]), out var first))
                problems.Add("duplicate city-year", $"city_code {codes[i].ToString(CultureInfo.InvariantCulture)}, year {years[i].ToString(CultureInfo.InvariantCulture)} on {line}s {rows[first].Line} and {rows[i].Line}");
            else seen[(codes[i], years[i])] = i;
        }
    }

    /// <summary>Every city has every year of the panel's span; returns the span and the number of cities.</summary>
    private static (int FirstYear, int LastYear, int Cities) CheckBalance(double[] codes, double[] years, IReadOnlyList<RawRow> rows, Problems problems)
    {
        var validYears = years.Where(double.IsFinite).ToArray();
        int y0 = validYears.Length > 0 ? (int)validYears.Min() : 0, y1 = validYears.Length > 0 ? (int)validYears.Max() : 0;
        var cityYears = Enumerable.Range(0, rows.Count).Where(i => !double.IsNaN(codes[i]) && !double.IsNaN(years[i]))
            .GroupBy(i => codes[i]).ToDictionary(g => g.Key, g => g.Select(i => years[i]).Distinct().Count());
        int span = y1 - y0 + 1;
        var short_ = cityYears.Where(kv => kv.Value < span).OrderBy(kv => kv.Key).ToList();
        if (short_.Count > 0)
            problems.Add("unbalanced panel", $"{short_.Count} of {cityYears.Count} cities lack some of the {span} years {y0}–{y1}");
        foreach (var kv in short_)
            problems.Add("unbalanced city", $"city_code {kv.Key.ToString(CultureInfo.InvariantCulture)} has {kv.Value} of {span} years");
        return (y0, y1, cityYears.Count);
    }

    /// <summary>
    /// Largest absolute difference allowed between an index column in the file (<c>resilience</c> and its
    /// sub-indices, all in [0, 1]) and the same index recomputed from the file's 14 indicators by the
    /// study's method (<see cref="Index.EntropyIndex"/>, pooled weights, shift 10⁻⁴): 10⁻³. It admits rounding to a few
    /// digits and small changes of the shift (shift 0 moves the synthetic panel's index by 1.3·10⁻⁴); it
    /// rejects an index built otherwise (per-year weights move it by up to 0.13) or not from these indicators.
    /// </summary>
    public const double IndexTolerance = 1e-3;

    /// <summary>An index column that disagrees with its own indicators by more than <see cref="IndexTolerance"/> is a problem.</summary>
    private static void CheckIndex(ColumnTable table, ImmutableArray<string> derived, Problems problems, IReadOnlyList<RawRow> rows, string line)
    {
        var columns = new[] { Index.ResilienceIndicators.IndexColumn }
            .Concat(Enum.GetValues<Index.Dimension>().Select(Index.ResilienceIndicators.SubIndexColumn))
            .Where(c => table.HasColumn(c) && table.IsNumeric(c) && !derived.Contains(c)).ToList();
        if (columns.Count == 0) return;
        Index.EntropyResult fitted;
        try { fitted = Index.EntropyIndex.Fit(table); }
        catch (InputException e)
        {
            problems.Add("index not checked", $"the index columns ({string.Join(", ", columns)}) cannot be recomputed from the indicators: {e.Message}");
            return;
        }
        var recomputed = fitted.AddTo(ColumnTable.Empty(table.RowCount, table.Source));
        foreach (var col in columns)
        {
            var stored = table.Numeric(col);
            var mine = recomputed.Numeric(col);
            int worst = -1;
            double max = 0;
            for (int i = 0; i < stored.Length; i++)
            {
                double d = Math.Abs(stored[i] - mine[i]);
                if (double.IsNaN(d) || d > max) { max = double.IsNaN(d) ? double.PositiveInfinity : d; worst = i; }
                if (double.IsNaN(d)) break;
            }
            if (max > IndexTolerance)
                problems.Add("index disagrees with its indicators", string.Create(CultureInfo.InvariantCulture,
                    $"column '{col}' differs from the entropy index recomputed from the 14 indicators (pooled weights, shift 0.0001) by up to {max:G3} ({line} {rows[worst].Line}: {stored[worst]:G6} in the file, {mine[worst]:G6} recomputed); the tolerance is {IndexTolerance:G}. Fix the column, or delete the index columns so the loader computes them."));
        }
    }

    private static void AddUnknownCodes(Problems problems, double[] codes, IReadOnlySet<int> known, IReadOnlyList<RawRow> rows, string line)
    {
        foreach (var g in Enumerable.Range(0, rows.Count).Where(i => !double.IsNaN(codes[i]) && !known.Contains((int)codes[i])).GroupBy(i => codes[i]))
            problems.Add("unknown city code", $"city_code {g.Key.ToString(CultureInfo.InvariantCulture)} ({line} {rows[g.First()].Line}, {g.Count()} row(s)) is not in the city list");
    }

    private static string? Clean(string? s)
    {
        if (s is null) return null;
        s = s.Trim();
        return s.Length == 0 || s is "NA" or "." or "NaN" ? null : s;
    }

    private static bool TryNumber(string s, out double v) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    /// <summary>CSV through the project's strict reader (<see cref="Csv"/>); rows keep their line numbers.</summary>
    internal static (List<string> Header, List<RawRow> Rows) ReadCsv(string path)
    {
        var t = Csv.Read(path);
        var header = t.Header.Select(h => h.Trim()).ToList();
        return (header, t.Rows.Select(r => new RawRow(r.Line, Enumerable.Range(0, header.Count).Select(c => (string?)r[c]).ToArray())).ToList());
    }

    internal static (List<string> Header, List<RawRow> Rows) ReadXlsx(string path)
    {
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{path}: cannot read the spreadsheet ({e.Message}).", e);
        }
        var keys = MiniExcel.GetColumns(path, useHeaderRow: true)?.ToList() ?? [];
        var header = keys.Select(c => c.Trim()).ToList();
        if (header.Count == 0) throw new InputException($"{path}: the first sheet has no header row.");
        var rows = new List<RawRow>(sheet.Count);
        for (int r = 0; r < sheet.Count; r++)
        {
            var cells = keys.Select(h => sheet[r].TryGetValue(h, out var v) ? Format(v) : null).ToArray();
            rows.Add(new RawRow(r + 2, cells)); // row 1 is the header
        }
        return (header, rows);

        static string? Format(object? v) => v switch
        {
            null => null,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        };
    }

    /// <summary>Problems collected during validation, grouped by kind, each kind capped at <see cref="MaxListed"/> listed items.</summary>
    private sealed class Problems
    {
        private readonly List<(string Kind, List<string> Items, int Count)> _kinds = [];

        public void Add(string kind, string item)
        {
            var k = _kinds.FindIndex(x => x.Kind == kind);
            if (k < 0) { _kinds.Add((kind, [], 0)); k = _kinds.Count - 1; }
            var (name, items, n) = _kinds[k];
            if (items.Count < MaxListed) items.Add(item);
            _kinds[k] = (name, items, n + 1);
        }

        public bool Any => _kinds.Count > 0;

        public void ThrowIfAny(string file)
        {
            if (_kinds.Count == 0) return;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{file}: the panel fails the schema check ({_kinds.Sum(k => k.Count)} problem(s)):");
            foreach (var (kind, items, n) in _kinds)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n  {kind} ({n}):");
                foreach (var it in items) sb.Append("\n    - ").Append(it);
                if (n > items.Count) sb.Append(CultureInfo.InvariantCulture, $"\n    - … and {n - items.Count} more");
            }
            throw new InputException(sb.ToString());
        }
    }
}
