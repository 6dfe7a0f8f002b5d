using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Index;

namespace Compendium.Simulation;

/// <summary>A mean effect over a set of city-years.</summary>
public sealed record EffectCell(string Label, double Effect, int CityYears);

/// <summary>
/// TWFE and IV diagnostics of the simulated panel (what the study's specifications would see), computed with
/// city and year fixed effects, no controls, by the engine itself (<see cref="Feols"/>; <see cref="Iv2sls"/> with
/// standard errors clustered by city), so every figure here is what a user of the panel gets from the library.
/// </summary>
/// <param name="TalentShareDid">TWFE DID of <c>talent_share</c> on <c>treat</c> in the simulated panel (target 0.011 plus sampling noise).</param>
/// <param name="NewFirmsDid">TWFE DID of <c>ln_new_firms</c> (target 0.204 plus noise).</param>
/// <param name="IndexDid">TWFE DID of <c>resilience</c>.</param>
/// <param name="IntensityTwfe">TWFE slope of the raw effect intensity on treat, used to scale it (1/this is the calibration factor).</param>
/// <param name="TelPilotCorrelation">Correlation of tel1984 and pilot across cities.</param>
/// <param name="FirstStageSlope">First stage: treat on iv_tel_internet, city and year FE.</param>
/// <param name="FirstStagePartialR2">Partial R² of the instrument.</param>
/// <param name="FirstStageCraggDonaldF">Cragg–Donald Wald F (iid; with one instrument the conventional first-stage F), with <see cref="Iv2sls"/>'s degrees of freedom (the city FE nested in the cluster counts 1).</param>
/// <param name="FirstStageKleibergenPaapF">Kleibergen–Paap rk Wald F, clustered by city (CR1): the weak-identification statistic.</param>
/// <param name="IvIndex">2SLS of resilience on treat with iv_tel_internet, city and year FE.</param>
/// <param name="IvIndexUntreated">The same 2SLS on the untreated potential index: near 0 when the instrument is excludable.</param>
/// <param name="TwfeEstimandIndex">What TWFE DID on the index estimates without noise: the TWFE slope of the true effect (index − index_y0, including spillovers) on treat. TWFE on the panel = this + TWFE on the untreated index.</param>
/// <param name="IvEstimandIndex">The same for 2SLS with iv_tel_internet: Σ z̃·effect / Σ z̃·treat̃. 2SLS on the panel = this + <paramref name="IvIndexUntreated"/>.</param>
/// <param name="IndexMean">Mean of the resilience index over all city-years.</param>
/// <param name="IndexSd">Its standard deviation (n − 1).</param>
/// <param name="IndexMin">Its minimum.</param>
/// <param name="IndexMax">Its maximum.</param>
public sealed record Calibration(double TalentShareDid, double NewFirmsDid, double IndexDid, double IntensityTwfe, double TelPilotCorrelation,
    double FirstStageSlope, double FirstStagePartialR2, double FirstStageCraggDonaldF, double FirstStageKleibergenPaapF, double IvIndex, double IvIndexUntreated, double TwfeEstimandIndex, double IvEstimandIndex,
    double IndexMean, double IndexSd, double IndexMin, double IndexMax);

/// <summary>
/// The known truth of a simulated panel: ATT on the index (overall, by event time, by size class), on
/// the sub-indices and mechanisms, the spillover on untreated neighbours, and calibration figures.
/// Effects are differences between the observed and the untreated potential outcome of the same
/// city-year, with the index of both computed with the same weights and normalisation bounds.
/// </summary>
public sealed record SimulationTruth(SimulationSettings Settings, int Cities, int TreatedCities, int TreatedCityYears,
    double AttIndex, ImmutableArray<EffectCell> AttByEventTime, ImmutableArray<EffectCell> AttBySizeClass,
    ImmutableArray<EffectCell> AttSubIndices, ImmutableArray<EffectCell> AttMechanisms,
    EffectCell SpilloverNeighbours, EffectCell SpilloverAllUntreated, Calibration Calibration, ImmutableArray<EntropyWeight> Weights)
{
    internal static SimulationTruth Compute(SimulationSettings s, ColumnTable panel, ColumnTable po, EntropyResult index,
        double[] nearestPilotKm, int n, int T, double intensityTwfe)
    {
        int rows = panel.RowCount;
        var treat = panel.Numeric(PanelSchema.Treat);
        var pilot = panel.Numeric(PanelSchema.Pilot);
        var year = panel.Numeric(PanelSchema.Year);
        var rel = panel.Numeric(PanelSchema.RelYear);
        var res = panel.Numeric(ResilienceIndicators.IndexColumn);
        var res0 = po.Numeric(ResilienceIndicators.IndexColumn + "_y0");
        var size = panel.Text("size_class");
        var treated = Enumerable.Range(0, rows).Where(r => treat[r] == 1).ToArray();
        EffectCell Mean(string label, IEnumerable<int> set, double[] a, double[] b)
        {
            var l = set.ToArray();
            return new EffectCell(label, l.Length == 0 ? double.NaN : PanelSimulator.Round(l.Average(r => a[r] - b[r])), l.Length);
        }
        var byK = treated.GroupBy(r => (int)rel[r]).OrderBy(g => g.Key).Select(g => Mean(g.Key.ToString(CultureInfo.InvariantCulture), g, res, res0)).ToImmutableArray();
        string[] sizeOrder = ["megacity", "super_large", "large_1", "large_2", "medium", "small"];
        var bySize = sizeOrder.Select(c => Mean(c, treated.Where(r => size[r] == c), res, res0)).Where(e => e.CityYears > 0).ToImmutableArray();
        var subs = Enum.GetValues<Dimension>().Select(d => ResilienceIndicators.SubIndexColumn(d))
            .Select(c => Mean(c, treated, panel.Numeric(c), po.Numeric(c + "_y0"))).ToImmutableArray();
        var mechs = new[] { "talent_share", "ln_new_firms" }.Select(c => Mean(c, treated, panel.Numeric(c), po.Numeric(c + "_y0"))).ToImmutableArray();
        int firstPolicy = (int)panel.Numeric(PanelSchema.PolicyYear).Where(p => p > 0).Min();
        var untreatedPost = Enumerable.Range(0, rows).Where(r => pilot[r] == 0 && year[r] >= firstPolicy).ToArray();
        var neigh = Mean($"never-treated cities within {s.SpilloverRangeKm.ToString(CultureInfo.InvariantCulture)} km of a pilot city, years ≥ {firstPolicy}",
            untreatedPost.Where(r => nearestPilotKm[r] <= s.SpilloverRangeKm), res, res0);
        var allUntreated = Mean($"all never-treated cities, years ≥ {firstPolicy}", untreatedPost, res, res0);

        var tel = panel.Numeric("tel1984");
        var telCity = Enumerable.Range(0, n).Select(i => tel[i * T]).ToArray();
        var pilotCity = Enumerable.Range(0, n).Select(i => pilot[i * T]).ToArray();
        // The reported regressions run on the panel as written, plus the untreated index and the true effect.
        var effect = Enumerable.Range(0, rows).Select(r => res[r] - res0[r]).ToArray();
        var data = panel.With("resilience_y0", res0).With("true_effect", effect);
        const string fe = $"{PanelSchema.CityCode} + {PanelSchema.Year}";
        double Twfe(string y) => Feols.Fit(data, $"{y} ~ {PanelSchema.Treat} | {fe}")[PanelSchema.Treat].Estimate;
        IvResult Iv(string y) => Iv2sls.Fit(data, $"{y} ~ 1 | {fe} | {PanelSchema.Treat} ~ iv_tel_internet", Vcov.Cluster(PanelSchema.CityCode));
        var ivIndex = Iv(ResilienceIndicators.IndexColumn);
        var fs = ivIndex.FirstStage(PanelSchema.Treat);
        double mean = res.Average();
        var cal = new Calibration(
            Twfe("talent_share"), Twfe("ln_new_firms"), Twfe(ResilienceIndicators.IndexColumn), intensityTwfe, Correlation(telCity, pilotCity),
            fs.Instruments.Single().Estimate, fs.PartialR2, ivIndex.Diagnostics.CraggDonaldF.Statistic, ivIndex.Diagnostics.KleibergenPaapWaldF!.Statistic,
            ivIndex[PanelSchema.Treat].Estimate, Iv("resilience_y0")[PanelSchema.Treat].Estimate, Twfe("true_effect"), Iv("true_effect")[PanelSchema.Treat].Estimate,
            mean, Math.Sqrt(res.Sum(v => (v - mean) * (v - mean)) / (rows - 1)), res.Min(), res.Max());
        cal = RoundAll(cal);
        int treatedCities = Enumerable.Range(0, n).Count(i => Enumerable.Range(0, T).Any(t => treat[i * T + t] == 1));
        return new SimulationTruth(s, n, treatedCities, treated.Length,
            Mean("all treated city-years", treated, res, res0).Effect, byK, bySize, subs, mechs, neigh, allUntreated, cal, index.Pooled.Weights);
    }

    private static Calibration RoundAll(Calibration c) => new(
        R(c.TalentShareDid), R(c.NewFirmsDid), R(c.IndexDid), R(c.IntensityTwfe), R(c.TelPilotCorrelation), R(c.FirstStageSlope),
        R(c.FirstStagePartialR2), R(c.FirstStageCraggDonaldF), R(c.FirstStageKleibergenPaapF), R(c.IvIndex), R(c.IvIndexUntreated), R(c.TwfeEstimandIndex), R(c.IvEstimandIndex), R(c.IndexMean), R(c.IndexSd), R(c.IndexMin), R(c.IndexMax));

    private static double R(double x) => PanelSimulator.Round(x);

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>The truth as indented JSON (stable key order, invariant numbers, LF line ends).</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("note", "Synthetic data made by the compendium's simulator (Compendium.Simulation.PanelSimulator); not the study's data. Effects are observed minus untreated potential outcome of the same city-year; the untreated index uses the same entropy weights and normalisation bounds.");
            w.WriteStartObject("settings");
            w.WriteNumber("seed", Settings.Seed);
            w.WriteString("timing", Settings.Timing.ToString().ToLowerInvariant());
            w.WriteNumber("talent_share_did_target", Settings.TalentShareDid);
            w.WriteNumber("new_firms_did_target", Settings.NewFirmsDid);
            w.WriteNumber("effect_scale", Settings.EffectScale);
            w.WriteNumber("build_up_years", Settings.BuildUpYears);
            w.WriteNumber("spillover_share", Settings.SpilloverShare);
            w.WriteNumber("spillover_range_km", Settings.SpilloverRangeKm);
            w.WriteNumber("shock_cushion", Settings.ShockCushion);
            // Written only when set, so files made before the setting existed keep their bytes.
            if (Settings.CohortHeterogeneity != 0) w.WriteNumber("cohort_heterogeneity", Settings.CohortHeterogeneity);
            w.WriteEndObject();
            w.WriteNumber("cities", Cities);
            w.WriteNumber("treated_cities", TreatedCities);
            w.WriteNumber("treated_city_years", TreatedCityYears);
            w.WriteNumber("att_index", AttIndex);
            Cells(w, "att_index_by_event_time", AttByEventTime, "event_time");
            Cells(w, "att_index_by_size_class", AttBySizeClass, "size_class");
            Cells(w, "att_sub_indices", AttSubIndices, "variable");
            Cells(w, "att_mechanisms", AttMechanisms, "variable");
            Cells(w, "spillover_index", [SpilloverNeighbours, SpilloverAllUntreated], "set");
            w.WriteStartObject("calibration");
            var c = Calibration;
            w.WriteNumber("twfe_did_talent_share", c.TalentShareDid);
            w.WriteNumber("twfe_did_ln_new_firms", c.NewFirmsDid);
            w.WriteNumber("twfe_did_resilience", c.IndexDid);
            w.WriteNumber("twfe_estimand_resilience", c.TwfeEstimandIndex);
            w.WriteNumber("intensity_twfe_slope", c.IntensityTwfe);
            w.WriteNumber("corr_tel1984_pilot", c.TelPilotCorrelation);
            w.WriteNumber("first_stage_slope", c.FirstStageSlope);
            w.WriteNumber("first_stage_partial_r2", c.FirstStagePartialR2);
            w.WriteNumber("first_stage_cragg_donald_f", c.FirstStageCraggDonaldF);
            w.WriteNumber("first_stage_kleibergen_paap_f", c.FirstStageKleibergenPaapF);
            w.WriteNumber("iv_2sls_resilience", c.IvIndex);
            w.WriteNumber("iv_2sls_resilience_y0", c.IvIndexUntreated);
            w.WriteNumber("iv_estimand_resilience", c.IvEstimandIndex);
            w.WriteNumber("resilience_mean", c.IndexMean);
            w.WriteNumber("resilience_sd", c.IndexSd);
            w.WriteNumber("resilience_min", c.IndexMin);
            w.WriteNumber("resilience_max", c.IndexMax);
            w.WriteEndObject();
            w.WriteStartArray("entropy_weights");
            foreach (var e in Weights)
            {
                w.WriteStartObject();
                w.WriteString("indicator", e.Indicator.Name);
                w.WriteString("dimension", e.Indicator.Dimension.ToString().ToLowerInvariant());
                w.WriteString("direction", e.Indicator.Direction == Direction.Positive ? "+" : "-");
                w.WriteNumber("min", e.Min);
                w.WriteNumber("max", e.Max);
                w.WriteNumber("entropy", R(e.Entropy));
                w.WriteNumber("weight", R(e.Weight));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void Cells(Utf8JsonWriter w, string name, IEnumerable<EffectCell> cells, string key)
    {
        w.WriteStartArray(name);
        foreach (var c in cells)
        {
            w.WriteStartObject();
            w.WriteString(key, c.Label);
            if (double.IsFinite(c.Effect)) w.WriteNumber("effect", c.Effect); else w.WriteNull("effect");
            w.WriteNumber("city_years", c.CityYears);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A short human-readable summary (what <c>compendium simulate</c> prints).</summary>
    public string Summary()
    {
        static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        var c = Calibration;
        sb.Append(CultureInfo.InvariantCulture, $"synthetic panel: seed {Settings.Seed}, timing {Settings.Timing.ToString().ToLowerInvariant()}, {Cities} cities, {TreatedCities} treated, {TreatedCityYears} treated city-years\n");
        sb.Append(CultureInfo.InvariantCulture, $"resilience index: mean {F(c.IndexMean)}, sd {F(c.IndexSd)}, range [{F(c.IndexMin)}, {F(c.IndexMax)}]\n");
        sb.Append(CultureInfo.InvariantCulture, $"true ATT on the index: {F(AttIndex)}\n");
        sb.Append("  by event time: ").Append(string.Join(", ", AttByEventTime.Select(e => $"{e.Label}: {F(e.Effect)}"))).Append('\n');
        sb.Append("  by size class: ").Append(string.Join(", ", AttBySizeClass.Select(e => $"{e.Label}: {F(e.Effect)} ({e.CityYears})"))).Append('\n');
        sb.Append("  sub-indices: ").Append(string.Join(", ", AttSubIndices.Select(e => $"{e.Label}: {F(e.Effect)}"))).Append('\n');
        sb.Append("  mechanisms: ").Append(string.Join(", ", AttMechanisms.Select(e => $"{e.Label}: {F(e.Effect)}"))).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"true spillover on the index: {F(SpilloverNeighbours.Effect)} ({SpilloverNeighbours.Label}, {SpilloverNeighbours.CityYears} city-years); {F(SpilloverAllUntreated.Effect)} ({SpilloverAllUntreated.Label})\n");
        sb.Append(CultureInfo.InvariantCulture, $"TWFE DID (city + year FE, no controls): talent_share {F(c.TalentShareDid)} (target {F(Settings.TalentShareDid)}), ln_new_firms {F(c.NewFirmsDid)} (target {F(Settings.NewFirmsDid)}), resilience {F(c.IndexDid)} (its noise-free estimand {F(c.TwfeEstimandIndex)})\n");
        sb.Append(CultureInfo.InvariantCulture, $"IV first stage (treat on iv_tel_internet, city + year FE): slope {F(c.FirstStageSlope)}, partial R² {F(c.FirstStagePartialR2)}, Cragg–Donald F {F(c.FirstStageCraggDonaldF)}, Kleibergen–Paap F (clustered by city) {F(c.FirstStageKleibergenPaapF)}; corr(tel1984, pilot) {F(c.TelPilotCorrelation)}; 2SLS on resilience {F(c.IvIndex)} (its noise-free estimand {F(c.IvEstimandIndex)}; on the untreated index {F(c.IvIndexUntreated)})\n");
        return sb.ToString();
    }
}
