using System.Collections.Immutable;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;
using Compendium.Simulation;

namespace Compendium.Tables;

/// <summary>One estimate set beside a known true value.</summary>
/// <param name="Label">Which estimate (e.g. a regression table's column title, or an event time).</param>
/// <param name="Estimate">The point estimate.</param>
/// <param name="CiLow">Lower bound of its 95% confidence interval.</param>
/// <param name="CiHigh">Upper bound of its 95% confidence interval.</param>
/// <param name="TargetName">What the true value is (e.g. "true ATT").</param>
/// <param name="Target">The true value.</param>
/// <param name="NotComputable">Why the interval cannot be computed (e.g. the outcome does not vary), or null.</param>
public sealed record TruthComparisonRow(string Label, double Estimate, double CiLow, double CiHigh, string TargetName, double Target, string? NotComputable = null)
{
    /// <summary>Estimate − truth.</summary>
    public double Bias => Estimate - Target;

    /// <summary>Bias as a share of the truth (NaN when the truth is 0).</summary>
    public double RelativeBias => Target == 0 ? double.NaN : Bias / Target;

    /// <summary>Whether the confidence interval contains the truth (bounds included); null when the interval cannot be computed.</summary>
    public bool? Covers => NotComputable is null && double.IsFinite(CiLow) && double.IsFinite(CiHigh) ? CiLow <= Target && Target <= CiHigh : null;
}

/// <summary>
/// Estimates beside the truth a simulator knows: estimate, 95% CI, true value, bias
/// (estimate − truth), relative bias and whether the interval covers the truth. On a simulated panel
/// this shows whether an estimator recovers the effect it is meant to; on an author's data the
/// truth is unknown and the table is not made.
/// </summary>
public sealed record TruthComparison(ImmutableArray<TruthComparisonRow> Rows)
{
    /// <summary>Coefficient <paramref name="coefficient"/> of every model against one target.</summary>
    /// <param name="models">(label, fitted model) pairs, e.g. the columns of a regression table.</param>
    /// <param name="coefficient">Name of the coefficient to compare (e.g. <c>treat</c>).</param>
    /// <param name="targetName">What the true value is (e.g. "true ATT").</param>
    /// <param name="target">The true value.</param>
    public static TruthComparison Of(IEnumerable<(string Label, FeolsResult Model)> models, string coefficient, string targetName, double target) =>
        new(models.Select(m => Row(m.Label, m.Model[coefficient], targetName, target, m.Model.NotComputable(m.Model[coefficient]))).ToImmutableArray());

    /// <summary>A row from a coefficient (its estimate and confidence interval).</summary>
    public static TruthComparisonRow Row(string label, Coefficient c, string targetName, double target, string? notComputable = null) =>
        new(label, c.Estimate, c.CiLow, c.CiHigh, targetName, target, notComputable ?? c.NotComputable);

    /// <summary>Every estimated event time of an event study against the true effect at that event time (bins: see <see cref="Simulation.TruthFile.EventTimeProfile"/>).</summary>
    public static TruthComparison EventStudy(EventStudyResult result, Simulation.TruthFile truth)
    {
        var profile = truth.EventTimeProfile(result.Path);
        return new(result.Path.Select((p, i) => (p, t: profile[i].Effect)).Where(x => !x.p.IsReference)
            .Select(x => new TruthComparisonRow("k = " + x.p.Label, x.p.Estimate, x.p.CiLow, x.p.CiHigh, "true effect at k", x.t, result.NotComputable(x.p))).ToImmutableArray());
    }

    /// <summary>This comparison followed by <paramref name="other"/>'s rows.</summary>
    public TruthComparison Concat(TruthComparison other) => new(Rows.AddRange(other.Rows));

    /// <summary>Rows whose interval can be computed.</summary>
    public int Computable => Rows.Count(r => r.Covers is not null);

    /// <summary>Rows whose interval covers the truth.</summary>
    public int Covering => Rows.Count(r => r.Covers == true);

    /// <summary>Share of the rows with a computable interval whose interval covers the truth (NaN when none can be computed).</summary>
    public double CoverageShare => Computable == 0 ? double.NaN : Covering / (double)Computable;

    /// <summary>
    /// The coverage in words, computed from the rows: how many intervals cover the truth, which do not,
    /// and which cannot be computed (those support no statement either way).
    /// </summary>
    public string CoverageSentence()
    {
        if (Rows.Length == 0) return "There are no estimates to compare with the truth.";
        var missed = Rows.Where(r => r.Covers == false).Select(r => r.Label).ToList();
        var unknown = Rows.Where(r => r.Covers is null).ToList();
        var s = Computable == 0
            ? "No 95% interval can be computed, so these data say nothing about coverage"
            : $"{Covering} of {Computable} computable 95% intervals cover the truth" + (missed.Count > 0 ? $" (not: {string.Join(", ", missed)})" : "");
        if (unknown.Count > 0)
            s += $"; not computable: {string.Join(", ", unknown.Select(r => r.Label))} ({string.Join("; ", unknown.Select(r => r.NotComputable).Distinct())})";
        return s + ".";
    }

    /// <summary>One row per comparison: estimate, CI, truth, bias, relative bias, covered.</summary>
    public Table ToTable(string id, string title, int digits = 4)
    {
        string F(double v) => Format.Number(v, digits);
        var rows = Rows.Select(r => new TableRow(r.Label, F(r.Estimate), r.Covers is null ? "not computable: " + (r.NotComputable ?? "no interval") : $"[{F(r.CiLow)}, {F(r.CiHigh)}]",
            r.TargetName, F(r.Target), F(r.Bias), double.IsNaN(r.RelativeBias) ? "" : Format.Number(100 * r.RelativeBias, 1) + "%",
            r.Covers switch { true => "Yes", false => "No", null => "not computable" }));
        return new Table(id, title, ["", "Estimate", "95% CI", "Truth", "True value", "Bias", "Bias (% of truth)", "CI covers truth"], rows,
            ["Bias = estimate − true value. The true values come from the simulator's potential outcomes (truth.json): "
             + "observed minus untreated outcome of the same city-year, averaged as the estimand requires."]);
    }
}
