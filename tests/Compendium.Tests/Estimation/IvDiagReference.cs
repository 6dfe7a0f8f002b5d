using System.Globalization;
using Xunit;
using Compendium.Econometrics.Data;

namespace Compendium.Tests.Estimation;

/// <summary>
/// Reads the committed reference files of tests/reference/{iv,logit,vif} (made by the R scripts
/// beside them) and the small CSV data sets they used, for the IV, logit and VIF tests.
/// </summary>
internal static class IvDiagReference
{
    public static string Root { get; } = Compendium.Data.RepoRoot.Find();


    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Split one CSV line (RFC 4180 quotes, no embedded newlines).</summary>
    public static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells.ToArray();
    }

    /// <summary>A CSV file as a table: columns whose every cell parses as a number (or NA/empty) are numeric, the rest text.</summary>
    public static ColumnTable ReadCsv(string relative)
    {
        var lines = File.ReadAllLines(PathOf(relative)).Where(l => l.Length > 0).ToArray();
        var header = SplitCsv(lines[0]);
        var cells = lines.Skip(1).Select(SplitCsv).ToArray();
        var t = ColumnTable.Empty(cells.Length, relative);
        for (int c = 0; c < header.Length; c++)
        {
            var raw = cells.Select(r => r[c]).ToArray();
            bool numeric = raw.All(v => v is "" or "NA" || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            t = numeric
                ? t.With(header[c], raw.Select(v => v is "" or "NA" ? double.NaN : double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
                : t.With(header[c], raw.Select(v => v is "" or "NA" ? null : v).ToArray());
        }
        return t;
    }

    /// <summary>Reference values in long format: every column but the last is a key, the last the value.</summary>
    public static Dictionary<string, double> ReadValues(string relative)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(PathOf(relative)).Skip(1).Where(l => l.Length > 0))
        {
            var cells = SplitCsv(line);
            d[string.Join("|", cells[..^1])] = double.Parse(cells[^1], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return d;
    }

    /// <summary>Assert |actual − expected| ≤ tol·max(|expected|, 1e-300)... relative, with an absolute floor for values near zero.</summary>
    public static void Close(double expected, double actual, double relTol = 1e-6, double absFloor = 1e-12, string what = "")
    {
        double dev = Math.Abs(actual - expected);
        Assert.True(dev <= relTol * Math.Abs(expected) || dev <= absFloor,
            $"{what}: expected {expected.ToString("R", CultureInfo.InvariantCulture)}, got {actual.ToString("R", CultureInfo.InvariantCulture)} (relative deviation {(dev / Math.Abs(expected)).ToString("E2", CultureInfo.InvariantCulture)})");
    }

    public static double RelDev(double expected, double actual) => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
}
