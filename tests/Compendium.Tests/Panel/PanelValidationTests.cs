using Xunit;
using Compendium.Cli;
using Compendium.Data;
using Compendium.Econometrics.Tables;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Compendium.Tests.Panel;

/// <summary>Every bad-input case of the panel loader, through <c>compendium validate</c>.</summary>
public sealed class PanelValidationTests : IDisposable
{
    private static readonly Lazy<string[]> Lines = new(() =>
        File.ReadAllText(Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv")).TrimEnd('\n').Split('\n'));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "compendium-validate-" + Guid.NewGuid().ToString("N"));

    public PanelValidationTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    private static string[] Header => Lines.Value[0].Split(',');
    private static int Col(string name) => Array.IndexOf(Header, name);

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>The panel with cell (line, column) replaced; line numbers are 1-based file lines (1 = header).</summary>
    private static IEnumerable<string> WithCell(IEnumerable<string> lines, int line, string column, string value) =>
        lines.Select((l, i) =>
        {
            if (i + 1 != line) return l;
            var f = l.Split(','); f[Col(column)] = value; return string.Join(",", f);
        });

    private static (int Code, string Out, string Err) Validate(string path)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(["validate", "--data", path], o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void CommittedPanelPassesWithSummary()
    {
        var (code, o, _) = Validate(Write("ok.csv", Lines.Value));
        Assert.Equal(0, code);
        Assert.Contains("rows: 3396", o);
        Assert.Contains("cities: 283", o);
        Assert.Contains("years: 2012–2023 (12)", o);
        Assert.Contains("treated cities: 57", o);
        Assert.Contains("missing values: none", o);
    }

    [Fact]
    public void MissingColumnIsNamedAndFoundColumnsListed()
    {
        int c = Col("fdi");
        var lines = Lines.Value.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != c)));
        var (code, _, err) = Validate(Write("nofdi.csv", lines));
        Assert.Equal(1, code);
        Assert.Contains("missing column(s) 'fdi'", err);
        Assert.Contains("Columns found: city_code, city, province", err);
    }

    [Fact]
    public void NonNumericCellNamesFileLineAndColumn()
    {
        var path = Write("text.csv", WithCell(Lines.Value, 10, "gdp_pc", "n/a-ish"));
        var (code, _, err) = Validate(path);
        Assert.Equal(1, code);
        Assert.Contains($"{path}: line 10, column 'gdp_pc': 'n/a-ish' is not a number", err);
    }

    [Fact]
    public void DuplicateCityYearsAreListed()
    {
        var (code, _, err) = Validate(Write("dup.csv", Lines.Value.Append(Lines.Value[1]).Append(Lines.Value[30])));
        Assert.Equal(1, code);
        Assert.Contains("duplicate city-year (2)", err);
        Assert.Contains("city_code 110000, year 2012 on lines 2 and 3398", err);
    }

    [Fact]
    public void UnknownCityCodesAreListed()
    {
        var lines = Lines.Value.Select((l, i) => i is >= 1 and <= 12 ? "999999" + l[l.IndexOf(',')..] : l);
        var (code, _, err) = Validate(Write("unknown.csv", lines));
        Assert.Equal(1, code);
        Assert.Contains("unknown city code (1)", err);
        Assert.Contains("city_code 999999 (line 2, 12 row(s)) is not in the city list", err);
    }

    [Fact]
    public void UnbalancedPanelIsReportedWithCounts()
    {
        var (code, _, err) = Validate(Write("unbalanced.csv", Lines.Value.Where((_, i) => i is not (5 or 40))));
        Assert.Equal(1, code);
        Assert.Contains("2 of 283 cities lack some of the 12 years 2012–2023", err);
        Assert.Contains("has 11 of 12 years", err);
    }

    [Fact]
    public void MissingValuesAreCountedPerColumn()
    {
        var lines = WithCell(WithCell(WithCell(Lines.Value, 3, "patents_per10k", ""), 7, "patents_per10k", "NA"), 9, "avg_wage", "");
        var (code, _, err) = Validate(Write("missing.csv", lines));
        Assert.Equal(1, code);
        Assert.Contains("column 'patents_per10k': 2 missing value(s) (e.g. line 3, 7)", err);
        Assert.Contains("column 'avg_wage': 1 missing value(s)", err);
    }

    [Fact]
    public void AllProblemsAreReportedTogetherAndCapped()
    {
        var lines = Lines.Value.Select((l, i) => i >= 1 && i <= 30 ? WithCell([l], 1, "fdi", "x" + i).Single() : l).Where((_, i) => i != 100);
        var (code, _, err) = Validate(Write("many.csv", lines));
        Assert.Equal(1, code);
        Assert.Contains("non-numeric cell (30)", err);
        Assert.Contains("… and 20 more", err);
        Assert.Contains("unbalanced panel", err);
    }

    [Fact]
    public void RelYearMayBeEmptyOnlyForNeverTreated()
    {
        // Line 2 is Beijing 2012 (treated from 2016): an empty rel_year there is a missing value.
        var (code, _, err) = Validate(Write("rel.csv", WithCell(Lines.Value, 2, "rel_year", "")));
        Assert.Equal(1, code);
        Assert.Contains("column 'rel_year': 1 missing value(s)", err);
    }

    [Fact]
    public void XlsxIsReadAndValidated()
    {
        var rows = Lines.Value.Skip(1).Take(5 * 12).Select(l => Header.Zip(l.Split(','), (h, v) =>
            KeyValuePair.Create(h, (object?)(double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : v == "" ? null : v)))
            // A subset's index is not the full panel's (min–max bounds differ), so the index columns are left out and derived.
            .Where(kv => !kv.Key.StartsWith("resilience", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value)).ToList();
        var path = Path.Combine(_dir, "panel.xlsx");
        MiniExcel.SaveAs(path, rows);
        var (code, o, err) = Validate(path);
        Assert.True(code == 0, err);
        Assert.Contains("rows: 60", o);
        Assert.Contains("cities: 5", o);
        var loaded = PanelLoader.Load(path);
        Assert.Equal(Lines.Value[1].Split(',')[Col("gdp_pc")], loaded.Table.Numeric("gdp_pc")[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(60, loaded.ToFrame().RowCount);

        rows[3]["gdp_pc"] = "lots";
        var bad = Path.Combine(_dir, "bad.xlsx");
        MiniExcel.SaveAs(bad, rows);
        var (code2, _, err2) = Validate(bad);
        Assert.Equal(1, code2);
        Assert.Contains($"{bad}: row 5, column 'gdp_pc': 'lots' is not a number", err2);
    }

    [Fact]
    public void UnsupportedOrAbsentFilesAndMissingOption()
    {
        Assert.Contains("unsupported file type '.txt'", Validate(Write("p.txt", Lines.Value)).Err);
        Assert.Contains("file not found", Validate(Path.Combine(_dir, "none.csv")).Err);
        Assert.Equal(2, Program.Run(["validate"], new StringWriter(), new StringWriter()));
    }
}

/// <summary>validate recomputes the index from the indicators and fails beyond <see cref="PanelLoader.IndexTolerance"/>.</summary>
public sealed class IndexCheckTests
{
    private static readonly string Panel = Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv");

    private static string WithIndexShift(double shift)
    {
        var lines = File.ReadAllLines(Panel);
        var header = lines[0].Split(',');
        int c = Array.IndexOf(header, "resilience");
        var f = lines[10].Split(',');
        f[c] = (double.Parse(f[c], System.Globalization.CultureInfo.InvariantCulture) + shift).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        lines[10] = string.Join(",", f);
        var path = Path.Combine(Directory.CreateTempSubdirectory("compendium-index-").FullName, "panel.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void AnIndexThatDisagreesWithItsIndicatorsFailsValidation()
    {
        var e = new StringWriter();
        Assert.Equal(1, Program.Run(["validate", "--data", WithIndexShift(0.45)], new StringWriter(), e));
        Assert.Contains("index disagrees with its indicators", e.ToString());
        Assert.Contains("column 'resilience' differs from the entropy index recomputed from the 14 indicators", e.ToString());
        Assert.Contains("line 11", e.ToString());
        Assert.Contains("the tolerance is 0.001", e.ToString());
    }

    [Fact]
    public void RoundingWithinTheToleranceIsAccepted()
    {
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(Program.Run(["validate", "--data", WithIndexShift(0.0004)], o, e) == 0, e.ToString());
    }
}
