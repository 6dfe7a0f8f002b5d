using System.Text;
using System.Text.Json;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// The machine form shared by every estimation command (<c>--json</c>), so that field names are the
/// same throughout: <c>coefficients</c> (name, estimate, std_error, t, p, ci_low, ci_high), <c>nobs</c>,
/// <c>vcov</c>, <c>diagnostics</c> (sample, variance convention, tests as {name, statistic, df1, df2, p, null}).
/// Numbers are written in the shortest round-trip form, invariantly; NaN and infinities become null.
/// </summary>
public static class ResultJson
{
    /// <summary>An indented JSON object whose members <paramref name="body"/> writes (UTF-8 text left readable: the output goes to a terminal or a file, never into HTML).</summary>
    public static string Object(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>
    /// The members every result writes: <c>formula</c>, <c>estimator</c>, <c>coefficients</c>, <c>nobs</c>,
    /// one member per fit statistic (<see cref="EstimationResult.FitStatistics"/>, by key), <c>vcov</c>, and
    /// <c>diagnostics</c>: the sample and variance fields (<see cref="SampleAndVariance"/>), <c>tests</c>
    /// (<see cref="EstimationResult.Tests"/>) and the estimator's own members; then the estimator's own
    /// top-level members (<see cref="EstimationResult.WriteJsonMembers"/>).
    /// </summary>
    public static void Write(Utf8JsonWriter w, EstimationResult r)
    {
        w.WriteString("formula", r.Formula);
        w.WriteString("estimator", r.Estimator);
        Coefficients(w, "coefficients", r.Coefficients, r.InferenceNotComputable);
        if (r.InferenceNotComputable is { } why) w.WriteString("not_computable", why);
        w.WriteNumber("nobs", r.Nobs);
        foreach (var f in r.FitStatistics()) Num(w, f.Key, f.Value);
        w.WriteString("vcov", r.VcovName);
        w.WriteStartObject("diagnostics");
        SampleAndVariance(w, r.Variance, r.Sample);
        w.WriteStartArray("tests");
        foreach (var t in r.Tests()) Test(w, t);
        w.WriteEndArray();
        r.WriteJsonDiagnostics(w);
        w.WriteEndObject();
        r.WriteJsonMembers(w);
    }

    /// <summary>An array of coefficients {name, estimate, std_error, t, p, ci_low, ci_high}, with <c>not_computable</c> (the reason) when their inference cannot be computed.</summary>
    public static void Coefficients(Utf8JsonWriter w, string name, IEnumerable<Coefficient> coefficients, string? modelNotComputable = null)
    {
        w.WriteStartArray(name);
        foreach (var c in coefficients)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            Num(w, "estimate", c.Estimate); Num(w, "std_error", c.StdError); Num(w, "t", c.T);
            Num(w, "p", c.P); Num(w, "ci_low", c.CiLow); Num(w, "ci_high", c.CiHigh);
            if ((modelNotComputable ?? c.NotComputable) is { } why) w.WriteString("not_computable", why);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The diagnostics every fixed-effects estimator reports: the variance convention, the sample
    /// (rows dropped for missing values and as singletons, collinear regressors dropped) and the
    /// absorbed fixed effects and clusters.
    /// </summary>
    public static void SampleAndVariance(Utf8JsonWriter w, VcovEstimate variance, SampleInfo sample)
    {
        Num(w, "t_df", variance.DegreesOfFreedom);
        w.WriteNumber("vcov_k", variance.ParameterCount);
        Num(w, "vcov_adjustment", variance.Adjustment);
        w.WriteString("vcov_note", variance.Description);
        w.WriteNumber("n_missing", sample.MissingDropped);
        w.WriteNumber("n_singletons", sample.SingletonsDropped);
        w.WriteStartArray("collinear_dropped");
        foreach (var d in sample.CollinearDropped) w.WriteStringValue(d);
        w.WriteEndArray();
        Levels(w, "fixed_effects", "levels", sample.FixedEffects);
        Levels(w, "clusters", "groups", variance.Clusters.Select(c => (c.Name, c.Groups)));
    }

    /// <summary>A test object {name, statistic, df1, df2, p, null}.</summary>
    public static void Test(Utf8JsonWriter w, TestStatistic t)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        Num(w, "statistic", t.Statistic); Num(w, "df1", t.Df1); Num(w, "df2", t.Df2); Num(w, "p", t.PValue);
        w.WriteString("null", t.Null);
        if (t.NotComputable is { } why) w.WriteString("not_computable", why);
        w.WriteEndObject();
    }

    /// <summary>A number in shortest round-trip form; NaN and infinities as null.</summary>
    public static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Levels(Utf8JsonWriter w, string array, string count, IEnumerable<(string Name, int Count)> items)
    {
        w.WriteStartArray(array);
        foreach (var (name, n) in items) { w.WriteStartObject(); w.WriteString("name", name); w.WriteNumber(count, n); w.WriteEndObject(); }
        w.WriteEndArray();
    }
}
