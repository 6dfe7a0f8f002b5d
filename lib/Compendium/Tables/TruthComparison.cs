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
public sealed record TruthComparisonRow(string Label, double Estimate, double CiLow, double CiHigh, string TargetName, double Target)
{
    /// <summary>Estimate − truth.</summary>
    public double Bias => Estimate - Target;

    /// <summary>Bias as a share of the truth (NaN when the truth is 0).</summary>
    public double RelativeBias => Target == 0 ? double.NaN : Bias / Target;

    /// <summary>Whether the confidence interval contains the truth (bounds included).</summary>
    public bool Covers => CiLow <= Target && Target <= CiHigh;
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
        new(models.Select(m => Row(m.Label, m.Model[coefficient], targetName, target)).ToImmutableArray());

    /// <summary>A row from a coefficient (its estimate and confidence interval).</summary>
    public static TruthComparisonRow Row(string label, Coefficient c, string targetName, double target) =>
        new(label, c.Estimate, c.CiLow, c.CiHigh, targetName, target);

    /// <summary>Every estimated event time of an event study against the true effect at that event time (bins: see <see cref="Simulation.TruthFile.EventTimeProfile"/>).</summary>
    public static TruthComparison EventStudy(EventStudyResult result, Simulation.TruthFile truth)
    {
        var profile = truth.EventTimeProfile(result.Path);
        return new(result.Path.Select((p, i) => (p, t: profile[i].Effect)).Where(x => !x.p.IsReference)
            .Select(x => new TruthComparisonRow("k = " + x.p.Label, x.p.Estimate, x.p.CiLow, x.p.CiHigh, "true effect at k", x.t)).ToImmutableArray());
    }

    /// <summary>This comparison followed by <paramref name="other"/>'s rows.</summary>
    public TruthComparison Concat(TruthComparison other) => new(Rows.AddRange(other.Rows));

    /// <summary>Share of rows whose interval covers the truth.</summary>
    public double CoverageShare => Rows.Length == 0 ? double.NaN : Rows.Count(r => r.Covers) / (double)Rows.Length;

    /// <summary>One row per comparison: estimate, CI, truth, bias, relative bias, covered.</summary>
    public Table ToTable(string id, string title, int digits = 4)
    {
        string F(double v) => Format.Number(v, digits);
        var rows = Rows.Select(r => new TableRow(r.Label, F(r.Estimate), $"[{F(r.CiLow)}, {F(r.CiHigh)}]", r.TargetName, F(r.Target),
            F(r.Bias), double.IsNaN(r.RelativeBias) ? "" : Format.Number(100 * r.RelativeBias, 1) + "%", r.Covers ? "Yes" : "No"));
        return new Table(id, title, ["", "Estimate", "95% CI", "Truth", "True value", "Bias", "Bias (% of truth)", "CI covers truth"], rows,
            ["Bias = estimate − true value. The true values come from the simulator's potential outcomes (truth.json): "
             + "observed minus untreated outcome of the same city-year, averaged as the estimand requires."]);
    }
}
