using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;

namespace Compendium.Simulation;

/// <summary>
/// The simulator's true effect of the policy on one outcome, city-year by city-year: observed minus the
/// untreated potential outcome of the same city-year (<c>potential_outcomes.csv</c> beside a synthetic
/// panel, column <c>OUTCOME_y0</c>). Averaged over treated city-years it is the ATT, by group the group
/// ATT that a subsample estimate targets, by event time the profile an event study targets.
/// </summary>
/// <param name="Outcome">The outcome (e.g. <c>resilience</c>, <c>talent_share</c>).</param>
/// <param name="Effect">Observed − untreated outcome, one value per panel row.</param>
/// <param name="Treated">Whether the row is a treated city-year (<c>treat</c> = 1).</param>
public sealed record TrueEffect(string Outcome, ImmutableArray<double> Effect, ImmutableArray<bool> Treated)
{
    /// <summary>
    /// The true effect on <paramref name="outcome"/> for the rows of <paramref name="panel"/>, read from the
    /// potential outcomes beside <paramref name="panelPath"/>; null when there are none (an author's data).
    /// The rows must be the same city-years in the same order (an <see cref="InputException"/> otherwise).
    /// </summary>
    public static TrueEffect? TryLoadBeside(string panelPath, ColumnTable panel, string outcome)
    {
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(panelPath))!, SimulatedPanel.PotentialOutcomesFile);
        if (!File.Exists(file)) return null;
        var po = ColumnTableCsv.Read(file);
        if (po.RowCount != panel.RowCount)
            throw new InputException($"{file}: {po.RowCount} rows, the panel has {panel.RowCount}; the potential outcomes belong to another panel.");
        var (pc, py, c, y) = (po.Numeric("city_code"), po.Numeric("year"), panel.Numeric("city_code"), panel.Numeric("year"));
        for (int i = 0; i < c.Length; i++)
            if (pc[i] != c[i] || py[i] != y[i])
                throw new InputException($"{file}: data row {i + 1} is city {pc[i].ToString(CultureInfo.InvariantCulture)}, year {py[i].ToString(CultureInfo.InvariantCulture)}; " +
                                         $"the panel's row {i + 1} is city {c[i].ToString(CultureInfo.InvariantCulture)}, year {y[i].ToString(CultureInfo.InvariantCulture)}.");
        var observed = panel.Numeric(outcome);
        var untreated = po.Numeric(outcome + "_y0");
        var treat = panel.Numeric("treat");
        return new TrueEffect(outcome, [.. observed.Select((v, i) => v - untreated[i])], [.. treat.Select(t => t == 1)]);
    }

    /// <summary>The ATT: mean effect over the treated city-years (of <paramref name="rows"/> when given).</summary>
    public double Att(IReadOnlyList<bool>? rows = null)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < Effect.Length; i++)
            if (Treated[i] && (rows is null || rows[i])) { sum += Effect[i]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Number of treated city-years (of <paramref name="rows"/> when given).</summary>
    public int TreatedCount(IReadOnlyList<bool>? rows = null) => Enumerable.Range(0, Effect.Length).Count(i => Treated[i] && (rows is null || rows[i]));

    /// <summary>The ATT of each group of a unit-level split (treated city-years of the group's cities), in level order.</summary>
    public ImmutableArray<(string Level, double Effect, int CityYears)> ByGroup(UnitGroups groups)
    {
        var rows = groups.Index.Broadcast(groups.Labels.Cast<string?>().ToArray());
        return [.. groups.Levels.Select(level =>
        {
            var inGroup = rows.Select(r => r == level).ToArray();
            return (level, Att(inGroup), TreatedCount(inGroup));
        })];
    }

    /// <summary>
    /// The OLS slope (with intercept) of the true effect on a row-level moderator over the treated city-years:
    /// how much the effect rises per unit of the moderator, the quantity a continuous interaction treat × moderator targets.
    /// </summary>
    public double Slope(IReadOnlyList<double> moderator)
    {
        var idx = Enumerable.Range(0, Effect.Length).Where(i => Treated[i]).ToArray();
        double mx = idx.Average(i => moderator[i]), my = idx.Average(i => Effect[i]);
        double sxy = idx.Sum(i => (moderator[i] - mx) * (Effect[i] - my)), sxx = idx.Sum(i => (moderator[i] - mx) * (moderator[i] - mx));
        return sxy / sxx;
    }

    /// <summary>The ATT at each event time k ≥ 0 (column <paramref name="relativeTime"/>) with its number of treated city-years, as <see cref="TruthFile.AttByEventTime"/> holds it for the index.</summary>
    public ImmutableArray<(int EventTime, double Effect, int CityYears)> ByEventTime(ColumnTable panel, string relativeTime)
    {
        var k = panel.Numeric(relativeTime);
        return [.. Enumerable.Range(0, Effect.Length).Where(i => Treated[i] && !double.IsNaN(k[i]) && k[i] >= 0)
            .GroupBy(i => (int)k[i]).OrderBy(g => g.Key).Select(g => (g.Key, g.Average(i => Effect[i]), g.Count()))];
    }
}
