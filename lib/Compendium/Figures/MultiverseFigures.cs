using System.Globalization;
using Compendium.Econometrics.Multiverse;

namespace Compendium.Figures;

/// <summary>
/// Figures of a specification curve and of a design diagnosis, as plain Plotly JSON (<see cref="Figure"/>).
/// They consume the immutable results and never re-estimate.
/// </summary>
public static class MultiverseFigures
{
    private const string Blue = "rgb(31,119,180)", Red = "rgb(214,39,40)", Grey = "rgb(150,150,150)", Band = "rgba(31,119,180,0.18)";

    /// <summary>Height in pixels that fits the indicator panel of <paramref name="rows"/> rows under the curve.</summary>
    public static int CurveHeight(int rows) => 520 + 16 * rows;

    /// <summary>
    /// The standard specification-curve figure (Simonsohn, Simmons and Nelson 2020, Fig. 2): above, the
    /// estimates ranked from smallest to largest with their 95% intervals (coloured by sign and
    /// significance), a zero line, the median and, when known, the true effect; below, the indicator
    /// panel, one row per option (<paramref name="rows"/>) shaded where the specifications above make that choice.
    /// With more specifications than <paramref name="columns"/>, adjacent ranks are pooled into columns
    /// (the pixel resolution of the figure): a column's point is its median estimate, its band the envelope
    /// of its intervals, its colour the majority class, its indicator shading the share of its specifications
    /// making the choice. Every specification is in the tables and JSON; the figure stays small.
    /// </summary>
    /// <param name="curve">The curve.</param>
    /// <param name="rows">Indicator rows (default: one per option).</param>
    /// <param name="truth">A known true effect to draw (the simulator's), or null.</param>
    /// <param name="truthLabel">Legend text of the truth line.</param>
    /// <param name="columns">At most this many columns.</param>
    public static Figure SpecificationCurve(SpecificationCurveResult curve, IReadOnlyList<IndicatorRow>? rows = null, double? truth = null,
        string truthLabel = "True effect (simulator)", int columns = 200)
    {
        rows ??= curve.DefaultIndicatorRows();
        var ranked = curve.Ranked;
        int n = ranked.Length;
        if (n == 0) throw new ArgumentException("the curve has no estimated specification", nameof(curve));
        int b = Math.Min(n, columns);
        var x = new double[b]; var est = new double[b]; var lo = new double[b]; var hi = new double[b];
        var cls = new int[b]; // 1 positive & significant, 0 not significant, −1 negative & significant
        var z = rows.Select(_ => new double[b]).ToArray();
        for (int c = 0; c < b; c++)
        {
            int from = (int)((long)n * c / b), to = (int)((long)n * (c + 1) / b);
            var part = ranked.Skip(from).Take(to - from).ToArray();
            x[c] = (from + to + 1) / 2.0;
            var e = part.Select(o => o.Estimate!).ToArray();
            est[c] = SpecificationCurveResult.Quantile(e.Select(v => v.Estimate).ToArray(), 0.5);
            lo[c] = e.Min(v => v.CiLow); hi[c] = e.Max(v => v.CiHigh);
            int pos = e.Count(v => v.Significant && v.Estimate > 0), neg = e.Count(v => v.Significant && v.Estimate < 0);
            cls[c] = pos * 2 > e.Length ? 1 : neg * 2 > e.Length ? -1 : 0;
            for (int r = 0; r < rows.Count; r++) z[r][c] = Round((double)part.Count(o => rows[r].Marks(o.Specification)) / part.Length);
        }
        var fig = Figure.Empty
            .AddTrace(new { type = "scatter", mode = "lines", x, y = hi.Select(Round).ToArray(), line = new { width = 0, color = Band }, hoverinfo = "skip", showlegend = false, xaxis = "x", yaxis = "y" })
            .AddTrace(new { type = "scatter", mode = "lines", name = "95% intervals", x, y = lo.Select(Round).ToArray(), fill = "tonexty", fillcolor = Band, line = new { width = 0, color = Band }, xaxis = "x", yaxis = "y" });
        foreach (var (k, label, colour) in new[] { (1, "Positive, p < 0.05", Blue), (0, "Not significant", Grey), (-1, "Negative, p < 0.05", Red) })
        {
            var idx = Enumerable.Range(0, b).Where(c => cls[c] == k).ToArray();
            if (idx.Length == 0) continue;
            fig = fig.AddTrace(new { type = "scatter", mode = "markers", name = label, x = idx.Select(c => x[c]).ToArray(), y = idx.Select(c => Round(est[c])).ToArray(),
                marker = new { color = colour, size = 4 }, xaxis = "x", yaxis = "y" });
        }
        var s = curve.Summary;
        var lines = new List<object>
        {
            Hline(0, "rgb(80,80,80)", "solid"),
            Hline(s.Median, Blue, "dash"),
        };
        var annotations = new List<object>
        {
            new { xref = "paper", yref = "y", x = 1.0, y = s.Median, xanchor = "right", yanchor = "bottom", showarrow = false, text = $"median {Num(s.Median)}", font = new { size = 11, color = Blue } },
        };
        if (truth is { } t && double.IsFinite(t))
        {
            lines.Add(Hline(t, Red, "dot"));
            annotations.Add(new { xref = "paper", yref = "y", x = 0.0, y = t, xanchor = "left", yanchor = "bottom", showarrow = false, text = $"{truthLabel} {Num(t)}", font = new { size = 11, color = Red } });
        }
        var labels = rows.Select(r => $"{r.Group}: {r.Label}").ToArray();
        fig = fig.AddTrace(new
        {
            type = "heatmap", x, y = labels, z, zmin = 0, zmax = 1, showscale = false, xaxis = "x", yaxis = "y2", hoverinfo = "x+y+z",
            colorscale = new object[] { new object[] { 0, "rgb(255,255,255)" }, new object[] { 1, "rgb(40,40,40)" } }, xgap = 0, ygap = 1,
        });
        double split = Math.Min(0.6, 0.08 + 0.022 * rows.Count);
        return fig.WithLayout(new
        {
            xaxis = new { anchor = "y2", domain = new[] { 0.0, 1.0 }, range = new[] { 0.5, n + 0.5 }, title = new { text = $"Specifications ranked by estimate ({n:N0})".Replace(",", " ", StringComparison.Ordinal) }, zeroline = false },
            yaxis = new { domain = new[] { split + 0.04, 1.0 }, title = new { text = "Estimate and 95% interval" }, zeroline = false },
            yaxis2 = new { domain = new[] { 0.0, split }, autorange = "reversed", tickfont = new { size = 10 }, automargin = true },
            shapes = lines,
            annotations,
            legend = new { orientation = "h", x = 0, y = 1.06 },
            margin = new { l = 220 },
        });
    }

    /// <summary>
    /// The sampling distribution of each effect estimator around the truth: one box per estimator and
    /// scenario of the errors β̂ − θ (estimate minus the world's true effect; the zero line is the truth),
    /// mean marked; tests are left out.
    /// </summary>
    public static Figure SamplingDistributions(DesignDiagnosisResult diagnosis)
    {
        var fig = Figure.Empty;
        string[] colours = [Blue, Grey, Red];
        int k = 0;
        foreach (var sc in diagnosis.Scenarios)
        {
            var xs = new List<string>(); var ys = new List<double>();
            foreach (var e in diagnosis.Estimators.Where(e => !e.IsTest))
                foreach (var (_, est, truth) in diagnosis.Estimates(e.Name, sc.Name)) { xs.Add(WrapLabel(e.Label)); ys.Add(Round(est - truth)); }
            fig = fig.AddTrace(new { type = "box", name = sc.Label, x = xs, y = ys, boxmean = true, boxpoints = "outliers", marker = new { color = colours[k++ % colours.Length], size = 3 } });
        }
        return fig.WithLayout(new
        {
            boxmode = "group",
            yaxis = new { title = new { text = "Estimate − true effect (0 = the truth)" }, zeroline = true, zerolinecolor = "rgb(80,80,80)", zerolinewidth = 1.5 },
            xaxis = new { title = new { text = $"Estimator ({diagnosis.Options.Worlds} simulated worlds per scenario)" }, tickangle = 0, automargin = true },
            legend = new { orientation = "h", x = 0, y = 1.08 },
            margin = new { b = 150 },
        });
    }

    /// <summary>A label wrapped at spaces into lines of at most 16 characters (a longer word stays whole), so that tick labels stay horizontal.</summary>
    private static string WrapLabel(string label)
    {
        var lines = new List<string>();
        foreach (var word in label.Split(' '))
            if (lines.Count > 0 && lines[^1].Length + 1 + word.Length <= 16) lines[^1] += " " + word;
            else lines.Add(word);
        return string.Join("<br>", lines);
    }

    /// <summary>
    /// Bias of each effect estimator as the knobs of a sweep change: one panel per knob, the knob's values
    /// on the horizontal axis, bias with ±1.96 Monte Carlo SE, one line per estimator (those
    /// <paramref name="include"/> accepts; default all but tests).
    /// </summary>
    public static Figure KnobBias(DiagnosisSweep sweep, Func<DiagnosisEntry, bool>? include = null)
    {
        var knobs = sweep.Runs.Select(r => r.Knob).Distinct().ToArray();
        var estimators = sweep.Runs.SelectMany(r => r.Result.Estimators.Where(e => !e.IsTest && (include?.Invoke(e) ?? true))).DistinctBy(e => e.Name).ToArray();
        string[] colours = [Blue, Red, "rgb(44,160,44)", "rgb(255,127,14)", "rgb(148,103,189)", "rgb(140,86,75)", "rgb(227,119,194)", Grey];
        var fig = Figure.Empty;
        double gap = 0.06, width = (1 - gap * (knobs.Length - 1)) / knobs.Length;
        var layout = new Dictionary<string, object>();
        for (int p = 0; p < knobs.Length; p++)
        {
            var runs = sweep.Runs.Where(r => r.Knob == knobs[p]).ToArray();
            string xa = p == 0 ? "x" : $"x{p + 1}", ya = p == 0 ? "y" : $"y{p + 1}";
            for (int e = 0; e < estimators.Length; e++)
            {
                var d = runs.Select(r => r.Result.EffectScenario is { } sc && r.Result.Estimators.Any(x => x.Name == estimators[e].Name)
                    ? r.Result.Diagnose(estimators[e].Name, sc.Name) : null).ToArray();
                fig = fig.AddTrace(new
                {
                    type = "scatter", mode = "lines+markers", name = estimators[e].Label, legendgroup = estimators[e].Name, showlegend = p == 0,
                    x = runs.Select(r => r.Value).ToArray(), y = d.Select(v => v is null ? (double?)null : Round(v.Bias)).ToArray(),
                    error_y = new { type = "data", array = d.Select(v => v is null ? 0 : Round(1.96 * v.BiasMcse)).ToArray(), thickness = 1, width = 3 },
                    marker = new { color = colours[e % colours.Length], size = 7 }, line = new { color = colours[e % colours.Length] },
                    xaxis = xa, yaxis = ya,
                });
            }
            double x0 = p * (width + gap);
            layout[p == 0 ? "xaxis" : $"xaxis{p + 1}"] = new { domain = new[] { x0, x0 + width }, anchor = ya, type = "category", title = new { text = knobs[p], font = new { size = 11 } } };
            // One bias scale for every panel (and so a zero line in each): the knobs' effects compare across panels.
            layout[p == 0 ? "yaxis" : $"yaxis{p + 1}"] = p == 0
                ? new { anchor = xa, zeroline = true, zerolinecolor = "rgb(80,80,80)", title = new { text = "Bias (estimate − true ATT)" } }
                : (object)new { anchor = xa, zeroline = true, zerolinecolor = "rgb(80,80,80)", matches = "y", showticklabels = false };
        }
        layout["legend"] = new { orientation = "h", x = 0, y = 1.14 };
        layout["margin"] = new { t = 90 };
        return fig.WithLayout(layout);
    }

    private static object Hline(double y, string colour, string dash) =>
        new { type = "line", xref = "paper", yref = "y", x0 = 0, x1 = 1, y0 = y, y1 = y, line = new { color = colour, width = 1, dash } };

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 6) : v;
    private static string Num(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
