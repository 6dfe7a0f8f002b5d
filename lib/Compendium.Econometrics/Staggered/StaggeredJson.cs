using System.Collections.Immutable;
using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

namespace Compendium.Econometrics.Staggered;

/// <summary>
/// The JSON members shared by the staggered-adoption estimators (<c>compendium did --json</c>):
/// <c>dynamic</c> [{event_time, estimate, std_error, ci_low, ci_high}], <c>overall</c> {estimate,
/// std_error, ci_low, ci_high} and <c>pretest</c> {name, statistic, df1, df2, p}.
/// </summary>
public static class StaggeredJson
{
    /// <summary>The event-time path (a reference period has estimate 0 and null standard error); band_low/band_high when a uniform band exists.</summary>
    public static void Dynamic(Utf8JsonWriter w, ImmutableArray<EventTimeEstimate> path, Aggregation? bands = null)
    {
        w.WriteStartArray("dynamic");
        foreach (var p in path)
        {
            w.WriteStartObject();
            w.WriteNumber("event_time", p.EventTime);
            ResultJson.Num(w, "estimate", p.Estimate); ResultJson.Num(w, "std_error", p.StdError);
            ResultJson.Num(w, "ci_low", p.CiLow); ResultJson.Num(w, "ci_high", p.CiHigh);
            if (bands is not null && bands.Effects.FirstOrDefault(e => e.Key == p.EventTime) is { } b)
            {
                ResultJson.Num(w, "band_low", b.BandLow); ResultJson.Num(w, "band_high", b.BandHigh);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The overall average effect.</summary>
    public static void Overall(Utf8JsonWriter w, double estimate, double stdError, double ciLow, double ciHigh)
    {
        w.WriteStartObject("overall");
        ResultJson.Num(w, "estimate", estimate); ResultJson.Num(w, "std_error", stdError);
        ResultJson.Num(w, "ci_low", ciLow); ResultJson.Num(w, "ci_high", ciHigh);
        w.WriteEndObject();
    }

    /// <summary>The pre-test of parallel trends (null when there is none).</summary>
    public static void PreTest(Utf8JsonWriter w, TestStatistic? t)
    {
        if (t is null) { w.WriteNull("pretest"); return; }
        w.WriteStartObject("pretest");
        w.WriteString("name", t.Name);
        ResultJson.Num(w, "statistic", t.Statistic); ResultJson.Num(w, "df1", t.Df1); ResultJson.Num(w, "df2", t.Df2);
        ResultJson.Num(w, "p", t.PValue);
        w.WriteString("null", t.Null);
        w.WriteEndObject();
    }
}
