using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Spatial;
using Compendium.Tests.Estimation;
using Xunit;

namespace Compendium.Tests.Spatial;

/// <summary>tests/reference/spatial/spatial_reference.csv (case, key, value) and the data the cases use.</summary>
internal static class SpatialReference
{
    public const double Tol = 1e-6;
    public const string Formula = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
    public static readonly string[] Regressors = ["treat", "econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];

    public static string RefPath(string file) => System.IO.Path.Combine(ReferenceValues.RepoRoot, "tests", "reference", "spatial", file);

    private static readonly Lazy<Dictionary<(string, string), double>> Values = new(() =>
    {
        var t = Csv.Read(RefPath("spatial_reference.csv"));
        return t.Rows.ToDictionary(r => (r.Text("case"), r.Text("key")), r => double.Parse(r.Text("value"), NumberStyles.Float, CultureInfo.InvariantCulture));
    });

    public static double Get(string @case, string key) =>
        Values.Value.TryGetValue((@case, key), out var v) ? v : throw new KeyNotFoundException($"{@case}/{key} not in spatial_reference.csv");

    public static bool Has(string @case, string key) => Values.Value.ContainsKey((@case, key));

    public static IEnumerable<string> Keys(string @case) => Values.Value.Keys.Where(k => k.Item1 == @case).Select(k => k.Item2);

    public static readonly Lazy<ColumnTable> PanelData = new(() => ColumnTableCsv.Read(System.IO.Path.Combine(ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv")));
    public static readonly Lazy<ColumnTable> ColumbusData = new(() => ColumnTableCsv.Read(RefPath("columbus.csv")));

    public static WeightsSpec Spec(string name) => name switch
    {
        "idw500" => WeightsSpec.Parse("inverse-distance:1,cutoff=500"),
        "knn5" => WeightsSpec.Parse("knn:5"),
        "idw" => WeightsSpec.Parse("inverse-distance"),
        _ => throw new ArgumentException(name),
    };

    private static readonly Dictionary<string, SpatialWeights> Cache = new();
    public static SpatialWeights Weights(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var w))
                Cache[name] = w = name == "columbus"
                    ? SpatialWeights.FromData(ColumbusData.Value, "unit", null, null, WeightsSpec.File(RefPath("columbus_weights.csv")))
                    : SpatialWeights.FromData(PanelData.Value, "city_code", "latitude", "longitude", Spec(name));
            return w;
        }
    }

    /// <summary>Assert |actual − expected| ≤ tol · max(|expected|, 1e-8); returns the relative deviation.</summary>
    public static double Close(string @case, string key, double actual, double tol = Tol)
    {
        double expected = Get(@case, key);
        double dev = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-8);
        Assert.True(dev <= tol, $"{@case} {key}: {actual:R} vs R {expected:R} (relative deviation {dev:g3})");
        return dev;
    }
}
