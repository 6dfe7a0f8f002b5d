using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Reproduction;

namespace Compendium.Tests.Estimation;

/// <summary>Reads tests/reference/fe/*_reference.csv (case,key,value) written by fe_reference.R, or any file of that form.</summary>
internal sealed class ReferenceValues
{
    private readonly Dictionary<(string, string), double> _values = new();

    public static string RepoRoot { get; } = Compendium.Data.RepoRoot.Find();


    public static string FePath(string file) => Path.Combine(RepoRoot, "tests", "reference", "fe", file);

    public static ReferenceValues Load(string dataset) => FromFile(FePath(dataset + "_reference.csv"));

    /// <summary>A case,key,value file anywhere under tests/reference (path relative to the repository root).</summary>
    public static ReferenceValues FromFile(string path)
    {
        var t = ColumnTableCsv.Read(Path.Combine(RepoRoot, path));
        var r = new ReferenceValues();
        var cases = t.Text("case"); var keys = t.Text("key"); var values = t.Text("value");
        for (int i = 0; i < t.RowCount; i++)
            r._values[(cases[i]!, keys[i]!)] = double.Parse(values[i]!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return r;
    }

    public double this[string @case, string key] =>
        _values.TryGetValue((@case, key), out var v) ? v : throw new KeyNotFoundException($"{@case}/{key} not in the reference file");

    public bool Has(string @case, string key) => _values.ContainsKey((@case, key));

    public IEnumerable<string> Keys(string @case) => _values.Keys.Where(k => k.Item1 == @case).Select(k => k.Item2);
}
