using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Staggered;

/// <summary>
/// The reference values of tests/reference/did (case, quantity, term, value), written by the R scripts
/// there, and the data sets copied beside them. Comparisons are at 1e-6 relative unless a test says otherwise.
/// </summary>
internal sealed class DidReference
{
    private readonly Dictionary<(string, string, string), double> _values = new();

    private static readonly Dictionary<string, DidReference> Cache = new(StringComparer.Ordinal);

    public static DidReference Load(string file)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var r)) return r;
            r = new DidReference();
            foreach (var line in File.ReadLines(Path.Combine(IvDiagReference.Root, "tests", "reference", "did", file)).Skip(1))
            {
                var c = IvDiagReference.SplitCsv(line);
                r._values[(c[0], c[1], c[2])] = double.Parse(c[3], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            return Cache[file] = r;
        }
    }

    public double this[string @case, string quantity, string term] =>
        _values.TryGetValue((@case, quantity, term), out var v) ? v : throw new KeyNotFoundException($"{@case}/{quantity}/{term} not in the reference file");

    public bool Has(string @case, string quantity, string term) => _values.ContainsKey((@case, quantity, term));

    public IEnumerable<(string Term, double Value)> All(string @case, string quantity) =>
        _values.Where(kv => kv.Key.Item1 == @case && kv.Key.Item2 == quantity).Select(kv => (kv.Key.Item3, kv.Value));

    /// <summary>A data set copied under tests/reference/did (or a repository-relative path).</summary>
    public static ColumnTable Data(string name) =>
        ColumnTableCsv.Read(name.Contains('/') ? Path.Combine(IvDiagReference.Root, name) : Path.Combine(IvDiagReference.Root, "tests", "reference", "did", name));

    /// <summary>|actual − expected| ≤ tol·max(|expected|, floor).</summary>
    public static void Close(double expected, double actual, double tol = 1e-6, double floor = 1e-8, string what = "")
    {
        double scale = Math.Max(Math.Abs(expected), floor);
        Assert.True(Math.Abs(actual - expected) <= tol * scale,
            $"{what}: expected {expected.ToString("R", CultureInfo.InvariantCulture)}, got {actual.ToString("R", CultureInfo.InvariantCulture)} (relative {Math.Abs(actual - expected) / scale:E2})");
    }

    /// <summary>The value rounded to <paramref name="decimals"/> decimals equals the printed number.</summary>
    public static void Printed(double printed, double actual, int decimals, string what = "")
    {
        double r = Math.Round(actual, decimals, MidpointRounding.AwayFromZero);
        Assert.True(Math.Abs(r - printed) < 1e-12,
            $"{what}: published {printed.ToString(CultureInfo.InvariantCulture)}, computed {actual.ToString("R", CultureInfo.InvariantCulture)} (rounds to {r.ToString(CultureInfo.InvariantCulture)})");
    }
}
