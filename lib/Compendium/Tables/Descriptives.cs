using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;

namespace Compendium.Tables;

/// <summary>Summary statistics of one variable: the columns of a paper's "Table 1".</summary>
/// <param name="Name">Column name.</param>
/// <param name="Label">Display label.</param>
/// <param name="N">Number of non-missing values.</param>
/// <param name="Missing">Number of missing (NaN) values.</param>
/// <param name="Mean">Mean of the non-missing values (NaN if there are none).</param>
/// <param name="Sd">Sample standard deviation, √(Σ(x−x̄)²/(N−1)), as R's <c>sd()</c> and Stata's <c>summarize</c>.</param>
/// <param name="Min">Smallest non-missing value.</param>
/// <param name="Max">Largest non-missing value.</param>
public sealed record VariableSummary(string Name, string Label, int N, int Missing, double Mean, double Sd, double Min, double Max);

/// <summary>
/// Descriptive statistics (N, mean, SD, min, max) and Pearson correlations over the non-missing
/// values of each variable (pairwise-complete for correlations). Missing values are counted and
/// shown, never silently dropped.
/// </summary>
public sealed record Descriptives(ImmutableArray<VariableSummary> Variables)
{
    /// <summary>Summarise <paramref name="variables"/> (name → label) of <paramref name="data"/>, in the order given.</summary>
    public static Descriptives Of(ColumnTable data, IEnumerable<(string Name, string Label)> variables) =>
        new(variables.Select(v => Summarise(v.Name, v.Label, data.Numeric(v.Name))).ToImmutableArray());

    /// <summary>Summarise these columns, each labelled by its own name.</summary>
    public static Descriptives Of(ColumnTable data, params string[] names) => Of(data, names.Select(n => (n, n)));

    private static VariableSummary Summarise(string name, string label, double[] x)
    {
        int n = 0;
        double mean = 0, m2 = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in x)
        {
            if (double.IsNaN(v)) continue;
            n++;
            // Welford's update: one pass, no catastrophic cancellation for large-level variables like GDP per capita.
            double d = v - mean;
            mean += d / n;
            m2 += d * (v - mean);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return n == 0
            ? new(name, label, 0, x.Length, double.NaN, double.NaN, double.NaN, double.NaN)
            : new(name, label, n, x.Length - n, mean, n > 1 ? Math.Sqrt(m2 / (n - 1)) : double.NaN, min, max);
    }

    /// <summary>The table: one row per variable, numbers with <paramref name="digits"/> decimals.</summary>
    public Table ToTable(string id, string title, int digits = 3)
    {
        string F(double v) => Format.Number(v, digits);
        var rows = Variables.Select(v => new TableRow(v.Label, v.N.ToString(CultureInfo.InvariantCulture),
            F(v.Mean), F(v.Sd), F(v.Min), F(v.Max)));
        var notes = new List<string> { "SD is the sample standard deviation (N − 1 denominator)." };
        var missing = Variables.Where(v => v.Missing > 0).Select(v => $"{v.Name}: {v.Missing}").ToList();
        if (missing.Count > 0) notes.Add("Missing values excluded: " + string.Join(", ", missing) + ".");
        return new Table(id, title, ["Variable", "N", "Mean", "SD", "Min", "Max"], rows, notes);
    }

    /// <summary>
    /// Pearson correlation matrix, pairwise-complete: r = Σ(x−x̄)(y−ȳ)/√(Σ(x−x̄)²Σ(y−ȳ)²) over the
    /// rows where both are present (R: <c>cor(use = "pairwise.complete.obs")</c>). Lower triangle shown.
    /// </summary>
    public static Table Correlations(ColumnTable data, IReadOnlyList<(string Name, string Label)> variables, string id, string title, int digits = 3)
    {
        var cols = variables.Select(v => data.Numeric(v.Name)).ToArray();
        int k = cols.Length;
        var header = new[] { "" }.Concat(variables.Select((v, i) => $"({i + 1})"));
        var rows = new List<TableRow>();
        for (int i = 0; i < k; i++)
        {
            var cells = new string[k + 1];
            cells[0] = $"({i + 1}) {variables[i].Label}";
            for (int j = 0; j < k; j++)
                cells[j + 1] = j > i ? "" : j == i ? "1" : Format.Number(Pearson(cols[i], cols[j]), digits);
            rows.Add(new TableRow(cells));
        }
        return new Table(id, title, header, rows, ["Pearson correlations, pairwise-complete observations."]);
    }

    internal static double Pearson(double[] x, double[] y)
    {
        int n = 0;
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++)
            if (!double.IsNaN(x[i]) && !double.IsNaN(y[i])) { n++; mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
