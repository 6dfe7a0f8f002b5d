using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compendium.Econometrics;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>
/// One number a paper section reports for the summary of the claims (notebook 14), typed: an
/// estimate with its interval (<see cref="RecordedEstimate"/>), a hypothesis test
/// (<see cref="RecordedTest"/>) or a plain value (<see cref="RecordedValue"/>). Written by
/// <see cref="Report.Record(string, string, RecordedResult)"/> into <c>output/results/SECTION.json</c>.
/// </summary>
/// <param name="Label">What the number is, in words (e.g. <c>Table 2, column (4)</c>).</param>
/// <param name="Table">The id of the saved table that shows it (for links), or null.</param>
public abstract record RecordedResult(string Label, string? Table)
{
    /// <summary>The JSON <c>kind</c>: <c>estimate</c>, <c>test</c> or <c>value</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The number and its uncertainty in one short line, invariant culture (e.g. <c>0.0192 [0.0101, 0.0283], p = 0.0001</c>).</summary>
    public abstract string Summary { get; }

    /// <summary>The JSON object of this result (keys sorted when written).</summary>
    internal JsonObject ToJson()
    {
        var o = new JsonObject { ["kind"] = Kind, ["label"] = Label, ["table"] = Table };
        WriteFields(o);
        return o;
    }

    /// <summary>Add the kind's own fields to <paramref name="o"/>.</summary>
    private protected abstract void WriteFields(JsonObject o);

    /// <summary>A number for JSON: NaN and infinities as null.</summary>
    private protected static JsonNode? N(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>A nullable number for JSON.</summary>
    private protected static JsonNode? N(double? v) => v is { } x ? N(x) : null;

    /// <summary>Fixed decimals, invariant culture; NaN as "NA".</summary>
    internal static string F(double v, int digits = 4) =>
        double.IsNaN(v) ? "NA" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A p-value: four decimals, or <c>p &lt; 0.0001</c>.</summary>
    internal static string PText(double p) => double.IsNaN(p) ? "p = NA" : p < 0.0001 ? "p < 0.0001" : "p = " + F(p);

    /// <summary>Read one result of <paramref name="file"/>; an <see cref="InputException"/> naming the file and key when it is malformed.</summary>
    internal static RecordedResult FromJson(JsonObject o, string file, string key)
    {
        string Where(string field) => $"{file}: result '{key}' field '{field}'";
        double Num(string f, bool required = true)
        {
            var n = o[f];
            if (n is null) return required ? throw new InputException($"{Where(f)} is missing") : double.NaN;
            return n is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new InputException($"{Where(f)} is not a number");
        }
        double? Opt(string f) => o[f] is null ? null : Num(f);
        string? Str(string f) => o[f] is null ? null : o[f] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InputException($"{Where(f)} is not a string");
        var label = Str("label") ?? key;
        var table = Str("table");
        return Str("kind") switch
        {
            "estimate" => new RecordedEstimate(label, Num("estimate"), Num("std_error", false), Num("ci_low"), Num("ci_high"), Num("p", false),
                Num("df", false), o["nobs"] is null ? null : (int)Num("nobs"), Str("estimator"), Str("specification"), Str("vcov"), Opt("truth"), table),
            "test" => new RecordedTest(label, Str("name") ?? "test", Num("statistic", false), Num("p"), Num("df1", false), Num("df2", false), Str("null") ?? "", table),
            "value" => new RecordedValue(label, Num("value"), table),
            var k => throw new InputException($"{Where("kind")} is '{k}'; expected estimate, test or value"),
        };
    }
}

/// <summary>An estimate with its 95% interval, as a section reports it.</summary>
/// <param name="Label">What it estimates, in words.</param>
/// <param name="Estimate">The point estimate.</param>
/// <param name="StdError">Its standard error (NaN when the method gives none).</param>
/// <param name="CiLow">Lower end of the 95% interval.</param>
/// <param name="CiHigh">Upper end of the 95% interval.</param>
/// <param name="P">Two-sided p-value of estimate = 0 (NaN when not available).</param>
/// <param name="Df">Degrees of freedom of the t distribution behind the interval (+∞: normal; NaN: other).</param>
/// <param name="Nobs">Observations used, when known.</param>
/// <param name="Estimator">The estimator's short name (<see cref="EstimationResult.Estimator"/>), when known.</param>
/// <param name="Specification">The model (formula or description), when known.</param>
/// <param name="Vcov">The variance estimator (<see cref="EstimationResult.VcovName"/>), when known.</param>
/// <param name="Truth">On synthetic data, the simulator's true value of what the estimate targets; null otherwise.</param>
/// <param name="Table">The saved table that shows it.</param>
public sealed record RecordedEstimate(string Label, double Estimate, double StdError, double CiLow, double CiHigh, double P,
    double Df, int? Nobs, string? Estimator, string? Specification, string? Vcov, double? Truth, string? Table)
    : RecordedResult(Label, Table)
{
    /// <summary>The coefficient <paramref name="coefficient"/> of <paramref name="result"/>, with the fit's sample, estimator, specification and variance.</summary>
    public static RecordedEstimate Of(EstimationResult result, string coefficient, string? label = null, double? truth = null, string? table = null)
    {
        var c = result[coefficient];
        return new RecordedEstimate(label ?? $"{coefficient} in {result.Formula}", c.Estimate, c.StdError, c.CiLow, c.CiHigh, c.P,
            result.Variance.DegreesOfFreedom, result.Nobs, result.Estimator, result.Formula, result.VcovName, truth, table);
    }

    /// <inheritdoc/>
    public override string Kind => "estimate";

    /// <summary><c>estimate [low, high], p = …</c>.</summary>
    public override string Summary => $"{F(Estimate)} [{F(CiLow)}, {F(CiHigh)}]" + (double.IsNaN(P) ? "" : ", " + PText(P));

    /// <summary>Whether the 95% interval covers <paramref name="value"/>.</summary>
    public bool Covers(double value) => CiLow <= value && value <= CiHigh;

    private protected override void WriteFields(JsonObject o)
    {
        o["estimate"] = N(Estimate); o["std_error"] = N(StdError); o["ci_low"] = N(CiLow); o["ci_high"] = N(CiHigh);
        o["p"] = N(P); o["df"] = N(Df); o["nobs"] = Nobs; o["estimator"] = Estimator; o["specification"] = Specification;
        o["vcov"] = Vcov; o["truth"] = N(Truth);
    }
}

/// <summary>A hypothesis test as a section reports it (the fields of <see cref="TestStatistic"/>).</summary>
/// <param name="Label">What it tests, in words.</param>
/// <param name="Name">The test, e.g. <c>Wald (F)</c>.</param>
/// <param name="Statistic">The test statistic.</param>
/// <param name="PValue">Its p-value.</param>
/// <param name="Df1">Numerator degrees of freedom (NaN when none).</param>
/// <param name="Df2">Denominator degrees of freedom (NaN when none).</param>
/// <param name="Null">The null hypothesis in words.</param>
/// <param name="Table">The saved table that shows it.</param>
public sealed record RecordedTest(string Label, string Name, double Statistic, double PValue, double Df1, double Df2, string Null, string? Table)
    : RecordedResult(Label, Table)
{
    /// <summary>From a <see cref="TestStatistic"/>.</summary>
    public static RecordedTest Of(TestStatistic test, string? label = null, string? table = null) =>
        new(label ?? test.Null, test.Name, test.Statistic, test.PValue, test.Df1, test.Df2, test.Null, table);

    /// <inheritdoc/>
    public override string Kind => "test";

    /// <summary><c>Name = statistic (df df1, df2), p = …</c>.</summary>
    public override string Summary
    {
        get
        {
            string D(double v) => v.ToString(CultureInfo.InvariantCulture);
            var df = double.IsNaN(Df1) ? "" : double.IsNaN(Df2) ? $" (df {D(Df1)})" : $" (df {D(Df1)}, {D(Df2)})";
            return $"{Name} = {F(Statistic, 3)}{df}, {PText(PValue)}";
        }
    }

    private protected override void WriteFields(JsonObject o)
    {
        o["name"] = Name; o["statistic"] = N(Statistic); o["p"] = N(PValue); o["df1"] = N(Df1); o["df2"] = N(Df2); o["null"] = Null;
    }
}

/// <summary>A plain number a section reports (a count, a year, a share).</summary>
/// <param name="Label">What it is, in words.</param>
/// <param name="Value">The number.</param>
/// <param name="Table">The saved table that shows it.</param>
public sealed record RecordedValue(string Label, double Value, string? Table) : RecordedResult(Label, Table)
{
    /// <inheritdoc/>
    public override string Kind => "value";

    /// <summary>The value, as an integer when it is one.</summary>
    public override string Summary => Value == Math.Round(Value) && Math.Abs(Value) < 1e15
        ? Value.ToString("0", CultureInfo.InvariantCulture) : F(Value);

    private protected override void WriteFields(JsonObject o) => o["value"] = N(Value);
}

/// <summary>
/// The results one paper section recorded (<c>output/results/SECTION.json</c>): which data they were
/// computed on and each result by key. The file is deterministic: keys sorted, numbers in shortest
/// round-trip form, invariant culture, no timestamps.
/// </summary>
/// <param name="Section">The section's name (e.g. <c>baseline</c>).</param>
/// <param name="Data">The panel the section analysed (kind, path, SHA-256).</param>
/// <param name="Results">Results by key.</param>
public sealed record SectionResults(string Section, DataSource Data, ImmutableSortedDictionary<string, RecordedResult> Results)
{
    /// <summary>Version of the file layout, written as <c>format</c>.</summary>
    public const int Format = 1;

    /// <summary>The file of <paramref name="section"/> under <paramref name="outputRoot"/>: <c>results/SECTION.json</c>.</summary>
    public static string PathOf(string outputRoot, string section) => System.IO.Path.Combine(outputRoot, "results", section + ".json");

    /// <summary>The file's text: canonical JSON (sorted keys, two-space indent, LF, final newline).</summary>
    public string ToJson()
    {
        var results = new JsonObject();
        foreach (var (k, r) in Results) results[k] = r.ToJson();
        var root = new JsonObject
        {
            ["format"] = Format,
            ["section"] = Section,
            ["data"] = new JsonObject { ["kind"] = Data.Kind.ToString().ToLowerInvariant(), ["path"] = Data.DisplayPath, ["sha256"] = Data.Sha256 },
            ["results"] = results,
        };
        return FigureExport.Canonical(root.ToJsonString());
    }

    /// <summary>Read <paramref name="path"/>; an <see cref="InputException"/> naming the file and field when it is malformed.</summary>
    public static SectionResults Read(string path, string shownAs)
    {
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InputException($"{shownAs}: not a JSON object"); }
        catch (JsonException e) { throw new InputException($"{shownAs}: not valid JSON ({e.Message})"); }
        string Str(JsonNode? n, string field) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InputException($"{shownAs}: field '{field}' is missing or not a string");
        var format = root["format"] is JsonValue fv && fv.TryGetValue<int>(out var f) ? f : 0;
        if (format != Format) throw new InputException($"{shownAs}: results format {format}, this library reads format {Format}; rerun the section");
        var section = Str(root["section"], "section");
        var d = root["data"] as JsonObject ?? throw new InputException($"{shownAs}: field 'data' is missing");
        var data = new DataSource(Str(d["kind"], "data.kind") == "synthetic" ? DataKind.Synthetic : DataKind.Author, Str(d["path"], "data.path"), Str(d["sha256"], "data.sha256"));
        var results = ImmutableSortedDictionary.CreateBuilder<string, RecordedResult>(StringComparer.Ordinal);
        foreach (var (k, v) in root["results"] as JsonObject ?? throw new InputException($"{shownAs}: field 'results' is missing"))
            results[k] = RecordedResult.FromJson(v as JsonObject ?? throw new InputException($"{shownAs}: result '{k}' is not an object"), shownAs, k);
        return new SectionResults(section, data, results.ToImmutable());
    }

    /// <summary>Section names and result keys: lower-case letters, digits and <c>_</c>, starting with a letter (they become file names and JSON keys).</summary>
    public static void CheckName(string what, string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            throw new InputException($"{what} '{name}' must be lower-case letters, digits and '_', starting with a letter");
    }
}
