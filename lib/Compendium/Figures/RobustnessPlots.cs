using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Matching;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Randomization;

namespace Compendium.Figures;

/// <summary>
/// Figures of the robustness section: the placebo distribution (kernel densities of the placebo estimates
/// and t statistics with the actual values marked), propensity-score densities before and after matching,
/// the Love plot of standardised differences, and the Anderson–Rubin p-value curve. Plain Plotly JSON
/// (<see cref="Figure"/>); they consume result records and never estimate.
/// </summary>
public static class RobustnessPlots
{
    private const string Blue = "rgb(31,119,180)", Red = "rgb(214,39,40)", Grey = "rgb(150,150,150)", Orange = "rgb(255,127,14)", Green = "rgb(44,160,44)";

    /// <summary>
    /// Two panels: the Gaussian kernel density (<see cref="KernelDensity"/>, Silverman bandwidth) of the placebo
    /// estimates (left) and of their t statistics (right), each with the actual value as a red dashed line and
    /// the randomisation p-value in the panel title; optionally the true effect as a green dotted line (left).
    /// </summary>
    /// <param name="result">The placebo result.</param>
    /// <param name="truth">The true effect (synthetic data), or null.</param>
    public static Figure PlaceboDensity(PlaceboResult result, double? truth = null)
    {
        var est = result.Estimates.Where(double.IsFinite).ToArray();
        var tv = result.TValues.Where(double.IsFinite).ToArray();
        var (xe, fe) = KernelDensity.Estimate(est);
        var (xt, ft) = KernelDensity.Estimate(tv);
        // Extend each axis to show the actual value, which usually lies far in the tail.
        var fig = Figure.Empty
            .AddTrace(new { type = "scatter", mode = "lines", name = "Placebo estimates", x = xe, y = fe, xaxis = "x", yaxis = "y", line = new { color = Blue }, fill = "tozeroy", fillcolor = "rgba(31,119,180,0.15)" })
            .AddTrace(new { type = "scatter", mode = "lines", name = "Placebo t statistics", x = xt, y = ft, xaxis = "x2", yaxis = "y2", line = new { color = Orange }, fill = "tozeroy", fillcolor = "rgba(255,127,14,0.15)" });
        var shapes = new List<object>
        {
            VLine("x", "y domain", result.ActualEstimate, Red, "dash"),
            VLine("x2", "y2 domain", result.ActualT, Red, "dash"),
        };
        if (truth is double t) shapes.Add(VLine("x", "y domain", t, Green, "dot"));
        // Labels on the inner side of the lines (the actual values sit in the right tail).
        var annotations = new List<object>
        {
            Label("x", result.ActualEstimate, $"actual {N(result.ActualEstimate, 4)}", Red, 0.95),
            Label("x2", result.ActualT, $"actual t = {N(result.ActualT, 2)}", Red, 0.95),
        };
        if (truth is double tt) annotations.Add(Label("x", tt, $"true ATT {N(tt, 4)}", Green, 0.85));
        return fig.WithLayout(new
        {
            xaxis = new { domain = new[] { 0.0, 0.46 }, title = new { text = $"Placebo estimate of {result.Coefficient} (randomisation p = {N(result.PValueEstimate, 3)})" }, range = Range(est, result.ActualEstimate, truth) },
            yaxis = new { title = new { text = "Density" }, rangemode = "tozero" },
            xaxis2 = new { domain = new[] { 0.54, 1.0 }, anchor = "y2", title = new { text = $"Placebo t statistic (randomisation p = {N(result.PValue, 3)})" }, range = Range(tv, result.ActualT, null) },
            yaxis2 = new { anchor = "x2", rangemode = "tozero" },
            shapes, annotations,
            showlegend = false,
        });
    }

    /// <summary>
    /// Two panels of propensity-score densities, treated vs controls: before matching (all usable rows) and after
    /// (matched rows, weighted by the matching weights), same bandwidth per group in both panels — common support at a glance.
    /// </summary>
    public static Figure ScoreDensities(MatchingResult m)
    {
        var s = m.Scores;
        var rows = Enumerable.Range(0, s.Length).Where(i => double.IsFinite(s[i])).ToArray();
        double[] Pick(IEnumerable<int> r) => r.Select(i => s[i]).ToArray();
        var t = rows.Where(i => m.IsTreated[i]).ToArray();
        var c = rows.Where(i => !m.IsTreated[i]).ToArray();
        var tm = t.Where(i => m.Weights[i] > 0).ToArray();
        var cm = c.Where(i => m.Weights[i] > 0).ToArray();
        // Each curve with its own rule-of-thumb bandwidth (the matched controls are fewer than all controls), on a common grid.
        double h0 = new[] { t, c, tm, cm }.Min(r => KernelDensity.SilvermanBandwidth(Pick(r)));
        double lo = Math.Max(0, rows.Min(i => s[i]) - 3 * h0), hi = Math.Min(1, rows.Max(i => s[i]) + 3 * h0);
        (double[], double[]) Kde(int[] r, bool weighted) =>
            KernelDensity.Estimate(Pick(r), weighted ? r.Select(i => m.Weights[i]).ToArray() : null, null, 256, lo, hi);
        var (x1, y1) = Kde(t, false); var (x2, y2) = Kde(c, false);
        var (x3, y3) = Kde(tm, true); var (x4, y4) = Kde(cm, true);
        return Figure.Empty
            .AddTrace(new { type = "scatter", mode = "lines", name = "Treated", legendgroup = "t", x = x1, y = y1, line = new { color = Red }, xaxis = "x", yaxis = "y" })
            .AddTrace(new { type = "scatter", mode = "lines", name = "Controls", legendgroup = "c", x = x2, y = y2, line = new { color = Blue, dash = "dash" }, xaxis = "x", yaxis = "y" })
            .AddTrace(new { type = "scatter", mode = "lines", name = "Treated", legendgroup = "t", showlegend = false, x = x3, y = y3, line = new { color = Red }, xaxis = "x2", yaxis = "y2" })
            .AddTrace(new { type = "scatter", mode = "lines", name = "Controls", legendgroup = "c", showlegend = false, x = x4, y = y4, line = new { color = Blue, dash = "dash" }, xaxis = "x2", yaxis = "y2" })
            .WithLayout(new
            {
                xaxis = new { domain = new[] { 0.0, 0.46 }, title = new { text = $"Score before matching ({t.Length} T, {c.Length} C)" } },
                yaxis = new { title = new { text = "Density" }, rangemode = "tozero" },
                xaxis2 = new { domain = new[] { 0.54, 1.0 }, anchor = "y2", title = new { text = $"Score after matching ({tm.Length} T, {cm.Length} C, weighted)" } },
                yaxis2 = new { anchor = "x2", rangemode = "tozero" },
                legend = new { x = 0.30, y = 0.98 },
            });
    }

    /// <summary>
    /// Love plot: the standardised mean difference of each covariate and of the score before (open circles) and after
    /// matching (filled), with reference lines at 0 and ±0.1 (a common balance threshold, Austin 2009).
    /// </summary>
    public static Figure LovePlot(MatchingResult m)
    {
        var names = m.Balance.Select(b => b.Variable == "score" ? "Propensity score" : b.Variable).ToArray();
        double max = m.Balance.Max(b => Math.Max(Math.Abs(b.SmdBefore), Math.Abs(b.SmdAfter)));
        return Figure.Empty
            .AddTrace(new { type = "scatter", mode = "markers", name = "Before matching", x = m.Balance.Select(b => b.SmdBefore).ToArray(), y = names, marker = new { symbol = "circle-open", size = 11, color = Grey, line = new { width = 2 } } })
            .AddTrace(new { type = "scatter", mode = "markers", name = "After matching", x = m.Balance.Select(b => b.SmdAfter).ToArray(), y = names, marker = new { symbol = "circle", size = 10, color = Blue } })
            .WithLayout(new
            {
                xaxis = new { title = new { text = "Standardised mean difference (treated SD)" }, zeroline = true, range = new[] { -1.1 * Math.Max(max, 0.15), 1.1 * Math.Max(max, 0.15) } },
                yaxis = new { autorange = "reversed", automargin = true },
                shapes = new[]
                {
                    VLine("x", "paper", -0.1, Grey, "dot"), VLine("x", "paper", 0.1, Grey, "dot"),
                },
                legend = new { x = 0.01, y = 0.01, yanchor = "bottom" },
            });
    }

    /// <summary>
    /// The Anderson–Rubin p-value as a function of the hypothesised coefficient b0, with the 1 − level line: the
    /// confidence set is where the curve lies above it. The 2SLS estimate and its Wald interval are marked, and
    /// the true effect when known.
    /// </summary>
    public static Figure AndersonRubinCurve(AndersonRubinResult r, double? truth = null)
    {
        var c = r.Iv[r.Endogenous];
        var x = r.Grid.Select(g => g.B0).ToArray();
        var p = r.Grid.Select(g => r.Form == AndersonRubinForm.F ? g.PF : g.PChiSquared).ToArray();
        var shapes = new List<object>
        {
            new { type = "line", xref = "paper", yref = "y", x0 = 0, x1 = 1, y0 = 1 - r.Level, y1 = 1 - r.Level, line = new { color = Grey, dash = "dot", width = 1 } },
            VLine("x", "paper", c.Estimate, Red, "dash"),
            new { type = "rect", xref = "x", yref = "paper", x0 = c.CiLow, x1 = c.CiHigh, y0 = 0, y1 = 1, fillcolor = "rgba(214,39,40,0.08)", line = new { width = 0 } },
        };
        if (truth is double t) shapes.Add(VLine("x", "paper", t, Green, "dot"));
        var annotations = new List<object>
        {
            new { xref = "x", yref = "paper", x = c.Estimate, y = 1.02, text = $"2SLS {N(c.Estimate, 4)} (Wald 95% CI shaded)", showarrow = false, font = new { color = Red, size = 11 } },
        };
        if (truth is double tt) annotations.Add(new { xref = "x", yref = "paper", x = tt, y = 0.93, text = $"true ATT {N(tt, 4)}", showarrow = false, xanchor = "right", font = new { color = Green, size = 11 } });
        return Figure.Empty
            .AddTrace(new { type = "scatter", mode = "lines", name = "Anderson–Rubin p-value", x, y = p, line = new { color = Blue } })
            .WithLayout(new
            {
                xaxis = new { title = new { text = $"Hypothesised coefficient b0 of {r.Endogenous}; AR {N(r.Level * 100, 0)}% set: {r.SetText()}" } },
                yaxis = new { title = new { text = "p-value of H0: β = b0" }, range = new[] { 0.0, 1.02 } },
                shapes, annotations, showlegend = false,
            });
    }

    private static object VLine(string xref, string yref, double x, string color, string dash) =>
        new { type = "line", xref, yref, x0 = x, x1 = x, y0 = 0, y1 = 1, line = new { color, dash, width = 2 } };

    private static object Label(string xref, double x, string text, string color, double y) =>
        new { xref, yref = xref == "x" ? "y domain" : "y2 domain", x, y, text, showarrow = false, xanchor = "right", xshift = -4, font = new { color, size = 11 } };

    private static double[] Range(double[] values, double actual, double? truth)
    {
        double lo = Math.Min(values.Min(), actual), hi = Math.Max(values.Max(), actual);
        if (truth is double t) { lo = Math.Min(lo, t); hi = Math.Max(hi, t); }
        double pad = 0.08 * (hi - lo);
        return [lo - pad, hi + pad];
    }

    private static string N(double v, int d) => v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
