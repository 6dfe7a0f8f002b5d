using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics;
using Compendium.Econometrics.Estimation;

namespace Compendium.Simulation;

/// <summary>
/// The parts of a simulator's <c>truth.json</c> that notebooks put beside estimates: the true ATT on
/// the index (overall, by event time, on the sub-indices) and the noise-free TWFE estimand.
/// </summary>
/// <param name="Path">The file read.</param>
/// <param name="AttIndex">Mean of index − untreated index over all treated city-years.</param>
/// <param name="TwfeEstimandIndex">What TWFE DID with city and year FE, no controls, estimates without noise
/// (the TWFE slope of the true effect on treat; differs from the ATT through spillovers onto controls and
/// TWFE's weighting of heterogeneous effects).</param>
/// <param name="AttByEventTime">True ATT at each event time k ≥ 0 with its number of treated city-years.</param>
/// <param name="AttSubIndices">True ATT on each sub-index column (e.g. <c>resilience_resistance</c>).</param>
/// <param name="IvEstimandIndex">What 2SLS with <c>iv_tel_internet</c> (city and year FE) estimates without noise:
/// Σ z̃·effect / Σ z̃·treat̃, a weighted average of the true effects with weights from the instrument's variation.</param>
/// <param name="IvIndexUntreated">The same 2SLS on the untreated index: near 0 when the instrument is excludable.</param>
public sealed record TruthFile(string Path, double AttIndex, double TwfeEstimandIndex,
    ImmutableArray<(int EventTime, double Effect, int CityYears)> AttByEventTime,
    ImmutableDictionary<string, double> AttSubIndices, double IvEstimandIndex = double.NaN, double IvIndexUntreated = double.NaN)
{
    /// <summary>
    /// The true spillover on the index (<c>spillover_index</c>): for each set of untreated city-years the
    /// simulator reports (e.g. never-treated cities within 300 km of a pilot city, years ≥ 2015), the mean
    /// effect of other cities' treatment on them, with the number of city-years. Empty when the file has none.
    /// </summary>
    public ImmutableArray<(string Set, double Effect, int CityYears)> Spillovers { get; init; } = [];

    /// <summary>
    /// The truth of the panel at <paramref name="panelPath"/>: read from the <c>truth.json</c> beside it,
    /// or null when there is none (an author's data: the truth is unknown). Same rule as
    /// <see cref="Reproduction.DataSource"/>.
    /// </summary>
    public static TruthFile? TryLoadBeside(string panelPath)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(panelPath))!, SimulatedPanel.TruthFile);
        return File.Exists(file) ? Load(file) : null;
    }

    /// <summary>Read <paramref name="path"/>; an <see cref="InputException"/> naming the missing or malformed field otherwise.</summary>
    public static TruthFile Load(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InputException($"{path}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            double Num(JsonElement parent, string name, string where) =>
                parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
                    : throw new InputException($"{path}: field '{where}{name}' is missing or not a number");
            JsonElement Obj(JsonElement parent, string name, JsonValueKind kind) =>
                parent.TryGetProperty(name, out var v) && v.ValueKind == kind ? v
                    : throw new InputException($"{path}: field '{name}' is missing or not an {(kind == JsonValueKind.Array ? "array" : "object")}");
            var byK = ImmutableArray.CreateBuilder<(int, double, int)>();
            foreach (var e in Obj(root, "att_index_by_event_time", JsonValueKind.Array).EnumerateArray())
            {
                var k = e.TryGetProperty("event_time", out var kv) ? kv.GetString() : null;
                if (!int.TryParse(k, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ki))
                    throw new InputException($"{path}: att_index_by_event_time has event_time '{k}', not a whole number");
                byK.Add((ki, Num(e, "effect", "att_index_by_event_time[]."), (int)Num(e, "city_years", "att_index_by_event_time[].")));
            }
            var subs = ImmutableDictionary.CreateBuilder<string, double>();
            foreach (var e in Obj(root, "att_sub_indices", JsonValueKind.Array).EnumerateArray())
                subs[e.GetProperty("variable").GetString()!] = Num(e, "effect", "att_sub_indices[].");
            var spill = ImmutableArray.CreateBuilder<(string, double, int)>();
            if (root.TryGetProperty("spillover_index", out var sp) && sp.ValueKind == JsonValueKind.Array)
                foreach (var e in sp.EnumerateArray())
                    spill.Add((e.TryGetProperty("set", out var sv) ? sv.GetString() ?? "" : "", Num(e, "effect", "spillover_index[]."), (int)Num(e, "city_years", "spillover_index[].")));
            var cal = Obj(root, "calibration", JsonValueKind.Object);
            return new TruthFile(path, Num(root, "att_index", ""), Num(cal, "twfe_estimand_resilience", "calibration."),
                byK.OrderBy(x => x.Item1).ToImmutableArray(), subs.ToImmutable(),
                Num(cal, "iv_estimand_resilience", "calibration."), Num(cal, "iv_2sls_resilience_y0", "calibration.")) { Spillovers = spill.ToImmutable() };
        }
    }

    /// <summary>
    /// The true effect of an event-time bin [<paramref name="low"/>, <paramref name="high"/>]: the
    /// city-year-weighted mean of the ATT at the event times inside it (what a binned event-study
    /// coefficient targets); 0 for leads (k &lt; 0: no effect before treatment in the simulator); NaN
    /// when no treated city-year falls in the bin.
    /// </summary>
    public double EventTimeEffect(int low, int high)
    {
        if (high < 0) return 0;
        var cells = AttByEventTime.Where(c => c.EventTime >= low && c.EventTime <= high).ToList();
        int n = cells.Sum(c => c.CityYears);
        return n == 0 ? double.NaN : cells.Sum(c => c.Effect * c.CityYears) / n;
    }

    /// <summary>
    /// The true effect at each point of an event-study path (a bin "≤ k" or "≥ k" gets the
    /// city-year-weighted mean of the event times it pools; the reference period and leads get 0).
    /// </summary>
    public ImmutableArray<(double EventTime, double Effect)> EventTimeProfile(IEnumerable<EventTimeEstimate> path) =>
        path.Select(p => ((double)p.EventTime, p.IsReference ? 0 : EventTimeEffect(
            p.IsBin && p.Label.StartsWith("<=", StringComparison.Ordinal) ? int.MinValue : p.EventTime,
            p.IsBin && p.Label.StartsWith(">=", StringComparison.Ordinal) ? int.MaxValue : p.EventTime))).ToImmutableArray();
}
