using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Output;

/// <summary>
/// A side-by-side regression table in the style of fixest's <c>etable</c> / Stata's <c>esttab</c>:
/// one column per model, each coefficient as the estimate with significance stars and its standard
/// error in parentheses beneath, a "Yes/No" row per fixed effect, N, each model's fit statistics
/// (<see cref="EstimationResult.FitStatistics"/>: R² and within R² for least squares, the log-likelihood for
/// logit, …), and the variance conventions as notes (one per distinct convention). Any
/// <see cref="EstimationResult"/> can be a column: OLS, 2SLS, logit and event studies side by side.
/// </summary>
public static class RegressionTable
{
    /// <summary>Named options; the defaults suit the paper.</summary>
    /// <param name="Keep">Coefficients to show, in this order (null: all, first appearance order).</param>
    /// <param name="Labels">Display names for coefficients and fixed effects.</param>
    /// <param name="Digits">Decimals of estimates and SEs.</param>
    /// <param name="ColumnTitles">Titles of the model columns (default (1), (2), …).</param>
    public sealed record Options(ImmutableArray<string>? Keep = null, ImmutableDictionary<string, string>? Labels = null,
        int Digits = 4, ImmutableArray<string>? ColumnTitles = null)
    {
        /// <summary>All coefficients, no labels, 4 decimals, columns titled (1), (2), ….</summary>
        public static Options Default { get; } = new();
    }

    /// <summary>Stars: *** p &lt; 0.01, ** p &lt; 0.05, * p &lt; 0.1.</summary>
    public static string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";

    /// <summary>One column per model of <paramref name="models"/> (at least one), as described on the class.</summary>
    public static Table Build(string id, string title, IReadOnlyList<EstimationResult> models, Options? options = null)
    {
        options ??= Options.Default;
        if (models.Count == 0) throw new ArgumentException("at least one model");
        string Label(string n) => options.Labels is { } l && l.TryGetValue(n, out var s) ? s : n;
        string Num(double v) => v.ToString("F" + options.Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var names = options.Keep?.ToList() ?? models.SelectMany(m => m.Coefficients.Select(c => c.Name)).Distinct().ToList();
        var header = new List<string> { "" };
        header.AddRange(options.ColumnTitles is { } titles ? titles : models.Select((_, i) => $"({i + 1})"));
        if (header.Count != models.Count + 1) throw new ArgumentException("one column title per model");
        var rows = new List<TableRow>();
        var notComputable = new SortedDictionary<int, SortedSet<string>>();
        foreach (var name in names)
        {
            var est = new List<string> { Label(name) };
            var se = new List<string> { "" };
            for (int i = 0; i < models.Count; i++)
            {
                var m = models[i];
                var c = m.Coefficients.FirstOrDefault(c => c.Name == name);
                var why = c is null ? null : m.NotComputable(c);
                if (why is not null)
                {
                    if (!notComputable.TryGetValue(i + 1, out var reasons)) notComputable[i + 1] = reasons = new(StringComparer.Ordinal);
                    reasons.Add(why);
                }
                // No stars and no standard error where inference cannot be computed: a number there would be false.
                est.Add(c is null ? "" : why is null ? Num(c.Estimate) + Stars(c.P) : Num(c.Estimate));
                se.Add(c is null ? "" : why is null ? "(" + Num(c.StdError) + ")" : "(not computable)");
            }
            rows.Add(new TableRow(est.ToArray()));
            rows.Add(new TableRow(se.ToArray()));
        }
        var fes = models.SelectMany(m => m.FixedEffects.Select(f => f.Name)).Distinct().ToList();
        bool first = true;
        foreach (var fe in fes)
        {
            rows.Add(new TableRow([Label(fe) + " FE", .. models.Select(m => m.FixedEffects.Any(f => f.Name == fe) ? "Yes" : "No")], first));
            first = false;
        }
        rows.Add(new TableRow(["Observations", .. models.Select(m => m.Nobs.ToString(CultureInfo.InvariantCulture))], first));
        // Fit statistics by key, in first-appearance order; a model without one (or with NaN) shows an empty cell.
        var stats = models.SelectMany(m => m.FitStatistics()).Where(f => !double.IsNaN(f.Value)).GroupBy(f => f.Key).Select(g => g.First()).ToList();
        foreach (var stat in stats)
            rows.Add(new TableRow([stat.Label, .. models.Select(m => m.FitStatistics().FirstOrDefault(f => f.Key == stat.Key) is { } f && !double.IsNaN(f.Value)
                ? f.Value.ToString("F" + f.Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "")]));
        var notes = new List<string> { "Standard errors in parentheses; *** p < 0.01, ** p < 0.05, * p < 0.1." };
        notes.AddRange(models.Select((m, i) => (m.Variance.Description, i))
            .GroupBy(x => x.Description)
            .Select(g => (models.Count > 1 ? $"Columns {string.Join(", ", g.Select(x => x.i + 1))}: " : "") + g.Key));
        foreach (var (column, reasons) in notComputable)
            notes.Add((models.Count > 1 ? $"Column {column}: " : "") + $"standard errors, p-values and stars not computable: {string.Join("; ", reasons)}.");
        var dropped = models.SelectMany(m => m.CollinearDropped).Distinct().ToList();
        if (dropped.Count > 0) notes.Add("Dropped as collinear: " + string.Join(", ", dropped) + ".");
        return new Table(id, title, header, rows, notes);
    }
}
