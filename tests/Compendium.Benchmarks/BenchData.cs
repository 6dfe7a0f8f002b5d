using Compendium.Data;
using Compendium.Econometrics.Data;

namespace Compendium.Benchmarks;

/// <summary>Seeded synthetic data for the benchmarks (the shapes the issue names).</summary>
public static class BenchData
{
    /// <summary>
    /// A 283-city × 12-year balanced panel like data/synthetic/panel.csv: staggered treatment in 2015/2016
    /// for about a fifth of the cities, five controls, city and year effects.
    /// </summary>
    public static ColumnTable Panel(int seed = 1)
    {
        var rng = new Random(seed);
        int cities = 283, years = 12, n = cities * years;
        var city = new double[n]; var year = new double[n]; var treat = new double[n]; var rel = new double[n]; var y = new double[n];
        var controls = Enumerable.Range(0, 5).Select(_ => new double[n]).ToArray();
        for (int c = 0; c < cities; c++)
        {
            double alpha = rng.NextDouble();
            int policy = rng.NextDouble() < 0.2 ? (rng.NextDouble() < 0.3 ? 2015 : 2016) : 0;
            for (int t = 0; t < years; t++)
            {
                int i = c * years + t, yr = 2012 + t;
                city[i] = 110000 + c * 100; year[i] = yr;
                treat[i] = policy > 0 && yr >= policy ? 1 : 0;
                rel[i] = policy > 0 ? yr - policy : double.NaN;
                double s = alpha + 0.01 * t + 0.02 * treat[i];
                for (int k = 0; k < 5; k++) { controls[k][i] = rng.NextDouble() + 0.1 * alpha; s += 0.01 * controls[k][i]; }
                y[i] = s + 0.05 * Normal(rng);
            }
        }
        var cols = new List<KeyValuePair<string, double[]>>
        {
            new("city_code", city), new("year", year), new("treat", treat), new("rel_year", rel), new("resilience", y),
        };
        string[] names = ["econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];
        for (int k = 0; k < 5; k++) cols.Add(new(names[k], controls[k]));
        return ColumnTable.FromColumns(cols, "benchmark panel");
    }

    /// <summary>
    /// <paramref name="n"/> rows; unit = row / 10 (N/10 units of 10 rows each), year drawn uniformly from
    /// 20 years (so the panel is unbalanced and the two factors are not orthogonal), five regressors
    /// correlated with the effects; with <paramref name="thirdFactor"/> a further factor of 1,000 random levels.
    /// </summary>
    public static ColumnTable Large(int n, bool thirdFactor, int seed = 2)
    {
        var rng = new Random(seed);
        var unit = new double[n]; var year = new double[n]; var f3 = new double[n]; var y = new double[n];
        var x = Enumerable.Range(0, 5).Select(_ => new double[n]).ToArray();
        var ua = new double[n / 10 + 1];
        for (int u = 0; u < ua.Length; u++) ua[u] = Normal(rng);
        var ya = Enumerable.Range(0, 20).Select(_ => Normal(rng)).ToArray();
        for (int i = 0; i < n; i++)
        {
            int u = i / 10, t = rng.Next(20), g = rng.Next(1000);
            unit[i] = u; year[i] = 2000 + t; f3[i] = g;
            double s = ua[u] + ya[t] + (thirdFactor ? 0.001 * g : 0);
            for (int k = 0; k < 5; k++) { x[k][i] = Normal(rng) + 0.5 * ua[u] + 0.1 * t; s += (k + 1) * 0.1 * x[k][i]; }
            y[i] = s + Normal(rng);
        }
        var cols = new List<KeyValuePair<string, double[]>> { new("unit", unit), new("year", year), new("y", y) };
        for (int k = 0; k < 5; k++) cols.Add(new($"x{k + 1}", x[k]));
        if (thirdFactor) cols.Add(new("g", f3));
        return ColumnTable.FromColumns(cols, $"benchmark {n} rows");
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
