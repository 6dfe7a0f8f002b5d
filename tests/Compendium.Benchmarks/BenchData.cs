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

    /// <summary>
    /// The worker × firm chain of tests/reference/fe_conventions/hardfe_data.R (same design, C# random numbers):
    /// firms in <paramref name="regions"/> regions on a line, workers moving freely within their region (each
    /// period: stay with probability 0.8, else a random firm of the region) and, between adjacent regions, only
    /// 5–500 movers (first half of the periods in region r, second half in r + 1).
    /// </summary>
    public static ColumnTable HardChain(int workersPerRegion = 2000, int regions = 50, int firmsPerRegion = 100, int periods = 10, int seed = 9)
    {
        var rng = new Random(seed);
        int nw = workersPerRegion * regions, n = nw * periods, nf = regions * firmsPerRegion;
        var movers = Enumerable.Range(0, regions).Select(_ => Math.Min(workersPerRegion, 5 + rng.Next(496))).ToArray();
        var a = Enumerable.Range(0, nw).Select(w => Normal(rng) + 0.1 * (w / workersPerRegion + 1)).ToArray();
        var psi = Enumerable.Range(0, nf).Select(f => 0.05 * (f / firmsPerRegion + 1) + 0.3 * Normal(rng)).ToArray();
        var worker = new double[n]; var firm = new double[n]; var y = new double[n]; var x1 = new double[n]; var x2 = new double[n];
        for (int w = 0; w < nw; w++)
        {
            int region = w / workersPerRegion, pos = w % workersPerRegion;
            bool mover = region < regions - 1 && pos < movers[region];
            int f = region * firmsPerRegion + rng.Next(firmsPerRegion);
            for (int t = 0; t < periods; t++)
            {
                int reg = mover && t >= periods / 2 ? region + 1 : region;
                bool move = mover && t == periods / 2;
                if (t > 0 && (move || rng.NextDouble() >= 0.8)) f = reg * firmsPerRegion + rng.Next(firmsPerRegion);
                int i = w * periods + t;
                worker[i] = w; firm[i] = f;
                x1[i] = 0.5 * psi[f] + 0.3 * a[w] + Normal(rng);
                x2[i] = Normal(rng) + 0.2 * (t + 1);
                y[i] = 0.4 * x1[i] - 0.25 * x2[i] + a[w] + psi[f] + Normal(rng);
            }
        }
        return ColumnTable.FromColumns([new("worker", worker), new("firm", firm), new("y", y), new("x1", x1), new("x2", x2)], "hard worker × firm chain");
    }

    /// <summary>Write a numeric table as CSV (round-trip numbers, invariant culture).</summary>
    public static void WriteCsv(ColumnTable t, string path)
    {
        using var w = new StreamWriter(path);
        w.Write(string.Join(",", t.ColumnNames) + "\n");
        var cols = t.ColumnNames.Select(t.Numeric).ToArray();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < t.RowCount; i++)
        {
            sb.Clear();
            for (int c = 0; c < cols.Length; c++) { if (c > 0) sb.Append(','); sb.Append(cols[c][i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)); }
            sb.Append('\n');
            w.Write(sb);
        }
    }

    /// <summary>Write a numeric table as Parquet (double columns, row groups of 250,000 rows).</summary>
    public static void WriteParquet(ColumnTable t, string path)
    {
        var fields = t.ColumnNames.Select(c => (Parquet.Schema.DataField)new Parquet.Schema.DataField<double>(c)).ToArray();
        using var fs = File.Create(path);
        var writer = Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), fs).GetAwaiter().GetResult();
        try
        {
            for (int at = 0; at < t.RowCount; at += 250_000)
            {
                int m = Math.Min(250_000, t.RowCount - at);
                using var rg = writer.CreateRowGroup();
                foreach (var f in fields) rg.WriteAsync<double>(f, t.Numeric(f.Name).AsMemory(at, m)).GetAwaiter().GetResult();
            }
        }
        finally { writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
