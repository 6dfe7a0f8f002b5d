using System.Collections.Immutable;
using System.Globalization;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;
using Compendium.Index;

namespace Compendium.Robustness;

/// <summary>One column of the robustness table: a sample, an outcome, a formula and a variance estimator.</summary>
/// <param name="Title">Column title.</param>
/// <param name="Description">What changes relative to the baseline (for the table notes).</param>
/// <param name="Data">The rows the column is estimated on.</param>
/// <param name="Formula">The model.</param>
/// <param name="Vcov">The variance estimator.</param>
/// <param name="TrueEffect">The simulator's true ATT for this column's outcome on its treated city-years (synthetic data), or null.</param>
public sealed record RobustnessCheck(string Title, string Description, ColumnTable Data, string Formula, Vcov Vcov, double? TrueEffect);

/// <summary>
/// The further checks a referee asks for, each a variation of the baseline DID
/// (resilience ~ treat + controls | city + year, clustered by city), built from the panel and the public facts:
/// the alternative timing coding; the sample without the four municipalities, or without provincial capitals and
/// sub-provincial cities; the index winsorised at 1%/99%, with equal weights, with per-year entropy weights, and from
/// the first principal component; without 2020–2022; with province-by-year fixed effects; clustered by province.
/// </summary>
/// <remarks>
/// With the simulator's untreated potential outcomes (synthetic data) each column also gets its true ATT: the mean,
/// over the column's rows that are actually treated (the panel's own coding), of outcome − outcome without the
/// policy, where the alternative outcomes are computed from the untreated indicators with the SAME bounds, weights
/// and cut-offs as the observed ones (so the difference is the policy's effect on that index). For the recoded timing
/// the truth is still the effect of the actual policy on the actually treated city-years. The truths are those of
/// the rows given to each column; a regression drops singletons (e.g. the municipalities under province-by-year
/// fixed effects), so its estimation sample can be slightly smaller.
/// </remarks>
public static class RobustnessChecks
{
    /// <summary>The checks in table order, the baseline first.</summary>
    /// <param name="panel">The study panel (schema of data/README.md), with the indicator columns.</param>
    /// <param name="facts">Cities and the pilot-zone calendar.</param>
    /// <param name="controls">The control variables (may be empty).</param>
    /// <param name="potentialOutcomes">The simulator's potential_outcomes.csv (untreated indicators, <c>*_y0</c>), or null for an author's data.</param>
    public static ImmutableArray<RobustnessCheck> Build(ColumnTable panel, StudyFacts facts, IReadOnlyList<string> controls, ColumnTable? potentialOutcomes = null)
    {
        var y0 = potentialOutcomes is null ? null : Align(panel, potentialOutcomes);
        var data = panel;
        // Outcome variants (and their untreated versions): winsorised, equal weights, per-year entropy, first PC.
        var index = panel.Numeric("resilience");
        double lo = Quantiles.Type7(index, 0.01), hi = Quantiles.Type7(index, 0.99);
        data = data.With("resilience_w", index.Select(v => Math.Clamp(v, lo, hi)).ToArray());
        var eq = LinearIndex.EqualWeights(panel);
        var pc = LinearIndex.FirstPrincipalComponent(panel);
        var byYear = EntropyIndex.Fit(panel, options: new EntropyOptions(YearColumn: PanelSchema.Year));
        data = data.With("resilience_eq", eq.Compute(panel)).With("resilience_pc1", pc.Compute(panel)).With("resilience_yr", [.. byYear.Index]);
        if (y0 is not null)
        {
            var r0 = y0.Numeric("resilience");
            data = data.With("resilience_y0", r0)
                .With("resilience_w_y0", r0.Select(v => Math.Clamp(v, lo, hi)).ToArray())
                .With("resilience_eq_y0", eq.Compute(y0)).With("resilience_pc1_y0", pc.Compute(y0))
                .With("resilience_yr_y0", [.. byYear.Compute(y0).Index]);
        }

        var cluster = Vcov.Cluster(PanelSchema.CityCode);
        string Model(string outcome, string fe = "city_code + year") => $"{outcome} ~ {string.Join(" + ", controls.Prepend(PanelSchema.Treat))} | {fe}";
        double? Truth(ColumnTable d, string outcome)
        {
            if (y0 is null) return null;
            var t = d.Numeric(PanelSchema.Treat); var y = d.Numeric(outcome); var u = d.Numeric(outcome + "_y0");
            double s = 0; int k = 0;
            for (int i = 0; i < d.RowCount; i++) if (t[i] == 1) { s += y[i] - u[i]; k++; }
            return k == 0 ? double.NaN : s / k;
        }
        var codes = data.Numeric(PanelSchema.CityCode);
        var years = data.Numeric(PanelSchema.Year);
        ColumnTable Where(Func<int, bool> keep, string what) =>
            data.Where(Enumerable.Range(0, data.RowCount).Select(keep).ToArray()).WithSource($"{panel.Source} ({what})");
        bool IsMunicipality(int i) => facts.City((int)codes[i]).Municipality;
        bool IsCapitalOrSub(int i) { var c = facts.City((int)codes[i]); return c.ProvincialCapital || c.SubProvincial; }
        var noMun = Where(i => !IsMunicipality(i), "without municipalities");
        var noCap = Where(i => !IsCapitalOrSub(i), "without provincial capitals and sub-provincial cities");
        var noCovid = Where(i => years[i] < 2020 || years[i] > 2022, "without 2020–2022");
        var alt = TreatmentTiming.Recode(data, facts, TimingCoding.Alternative);

        return
        [
            new("Baseline", $"city and year fixed effects, {(controls.Count == 0 ? "no controls" : string.Join(", ", controls))}, clustered by city", data, Model("resilience"), cluster, Truth(data, "resilience")),
            new("Timing 2016/2017", "treatment recoded with the alternative calendar (Guizhou 2016, second batch 2017)", alt, Model("resilience"), cluster, Truth(data, "resilience")),
            new("No municipalities", "Beijing, Tianjin, Shanghai and Chongqing dropped", noMun, Model("resilience"), cluster, Truth(noMun, "resilience")),
            new("No capitals", "provincial capitals and sub-provincial cities dropped", noCap, Model("resilience"), cluster, Truth(noCap, "resilience")),
            new("Winsorised", $"index winsorised at its 1% and 99% quantiles ({F(lo)}, {F(hi)})", data, Model("resilience_w"), cluster, Truth(data, "resilience_w")),
            new("Equal weights", "index with " + eq.Description, data, Model("resilience_eq"), cluster, Truth(data, "resilience_eq")),
            new("Yearly entropy", "index with entropy weights and normalisation bounds fitted separately for each year", data, Model("resilience_yr"), cluster, Truth(data, "resilience_yr")),
            new("First PC", "index = " + pc.Description, data, Model("resilience_pc1"), cluster, Truth(data, "resilience_pc1")),
            new("No 2020–2022", "the pandemic years dropped", noCovid, Model("resilience"), cluster, Truth(noCovid, "resilience")),
            new("Province × year FE", "province-by-year fixed effects instead of year fixed effects (municipalities, alone in their province, drop out as singletons)",
                data, Model("resilience", "city_code + province^year"), cluster, Truth(data, "resilience")),
            new("Cluster province", $"standard errors clustered by province ({data.Text("province").Distinct().Count()} clusters)", data, Model("resilience"), Vcov.Cluster("province"), Truth(data, "resilience")),
        ];
    }

    /// <summary>
    /// The simulator's true ATT on the index over the treated rows among <paramref name="rows"/> (all rows when null):
    /// the mean of resilience − resilience without the policy, weighted by <paramref name="weights"/> when given
    /// (e.g. matching weights; rows with weight 0 are left out).
    /// </summary>
    public static double TrueAtt(ColumnTable panel, ColumnTable potentialOutcomes, IReadOnlyList<double>? weights = null)
    {
        var y0 = Align(panel, potentialOutcomes).Numeric(ResilienceIndicators.IndexColumn);
        var y = panel.Numeric(ResilienceIndicators.IndexColumn); var t = panel.Numeric(PanelSchema.Treat);
        double s = 0, w = 0;
        for (int i = 0; i < panel.RowCount; i++)
        {
            double wi = weights?[i] ?? 1;
            if (t[i] != 1 || !(wi > 0)) continue;
            s += wi * (y[i] - y0[i]); w += wi;
        }
        return w > 0 ? s / w : double.NaN;
    }

    /// <summary>The untreated indicator columns of <paramref name="po"/> (names without <c>_y0</c>), in the panel's row order (matched on city and year).</summary>
    private static ColumnTable Align(ColumnTable panel, ColumnTable po)
    {
        var key = new Dictionary<(double, double), int>();
        var pc = po.Numeric(PanelSchema.CityCode); var py = po.Numeric(PanelSchema.Year);
        for (int i = 0; i < po.RowCount; i++) key[(pc[i], py[i])] = i;
        var c = panel.Numeric(PanelSchema.CityCode); var y = panel.Numeric(PanelSchema.Year);
        var rows = new int[panel.RowCount];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = key.TryGetValue((c[i], y[i]), out var r) ? r
                : throw new InputException($"{po.Source}: no row for city {c[i].ToString(CultureInfo.InvariantCulture)}, year {y[i].ToString(CultureInfo.InvariantCulture)} of the panel.");
        var cols = po.ColumnNames.Where(n => n.EndsWith("_y0", StringComparison.Ordinal))
            .Select(n => KeyValuePair.Create(n[..^3], rows.Select(r => po.Numeric(n)[r]).ToArray()));
        return ColumnTable.FromColumns(cols.Append(KeyValuePair.Create(PanelSchema.Year, y.ToArray())), po.Source);
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
