using Compendium.Econometrics;
using Compendium.Econometrics.Data;

namespace Compendium.Data;

/// <summary>
/// Recode a panel's treatment columns (<c>policy_year</c>, <c>treat</c>, <c>rel_year</c>) under a
/// timing coding of the pilot-zone calendar, so an author can rerun an analysis with the
/// alternative first treated years (2016 / 2017) on the same panel.
/// </summary>
public static class TreatmentTiming
{
    /// <summary>
    /// The panel with policy_year = the city's first treated year under <paramref name="timing"/>
    /// (0 = never treated), treat = 1[year ≥ policy_year] for pilot cities, rel_year = year −
    /// policy_year (missing for never-treated cities). Pilot membership comes from
    /// <paramref name="facts"/>, not from the panel; a city code not in the facts is an <see cref="InputException"/>.
    /// </summary>
    public static ColumnTable Recode(ColumnTable panel, StudyFacts facts, TimingCoding timing)
    {
        var code = panel.Numeric(PanelSchema.CityCode);
        var year = panel.Numeric(PanelSchema.Year);
        int n = panel.RowCount;
        var policy = new double[n];
        var treat = new double[n];
        var rel = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(code[i]) || !double.IsFinite(year[i]))
                throw new InputException($"{panel.Source}: row {i + 1} has no {PanelSchema.CityCode} or {PanelSchema.Year}; treatment cannot be coded.");
            var p = facts.PolicyYear((int)code[i], timing);
            policy[i] = p ?? 0;
            treat[i] = p is { } py && year[i] >= py ? 1 : 0;
            rel[i] = p is { } q ? year[i] - q : double.NaN;
        }
        return panel.With(PanelSchema.PolicyYear, policy).With(PanelSchema.Treat, treat).With(PanelSchema.RelYear, rel);
    }
}
