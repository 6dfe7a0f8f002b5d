using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Multiverse;

/// <summary>What happened to one specification: an estimate, or why there is none.</summary>
/// <param name="Specification">The specification.</param>
/// <param name="Estimate">The estimate; null when skipped or failed.</param>
/// <param name="Skipped">Why the combination was not estimated (it is not defined, e.g. an estimator that cannot absorb the chosen fixed effects); null otherwise.</param>
/// <param name="Failed">The input error the estimator raised on this specification (e.g. the treatment absorbed by the fixed effects); null otherwise.</param>
public sealed record SpecificationOutcome(Specification Specification, EffectEstimate? Estimate, string? Skipped = null, string? Failed = null);

/// <summary>
/// One row of the indicator panel under a specification curve (the dashboard of choices): a label and
/// which specifications it marks. By default one row per option of every choice
/// (<see cref="SpecificationCurveResult.DefaultIndicatorRows"/>); a study may split an option into
/// several rows (e.g. one row per control variable instead of one per control set).
/// </summary>
/// <param name="Group">The choice the row belongs to (rows of a group are drawn together).</param>
/// <param name="Label">The row's label.</param>
/// <param name="Marks">True for the specifications the row marks.</param>
public sealed record IndicatorRow(string Group, string Label, Func<Specification, bool> Marks);

/// <summary>Options of <see cref="SpecificationCurve.Run"/>.</summary>
/// <param name="Threads">Specifications fitted at once (0: one per processor). The result does not depend on it.</param>
public sealed record SpecificationCurveOptions(int Threads = 0)
{
    /// <summary>One thread per processor.</summary>
    public static SpecificationCurveOptions Default { get; } = new();

    internal int DegreeOfParallelism => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>
/// The specification curve (Simonsohn, Simmons and Nelson 2020, Nature Human Behaviour 4, 1208–1214):
/// the same effect estimated under every combination of defensible analytic choices. Any estimator
/// plugs in through two functions of a <see cref="Specification"/>: whether the combination is defined
/// (null, or the reason it is not) and the fit, returning an <see cref="EffectEstimate"/>. An
/// <see cref="InputException"/> from the fit is recorded as a failure of that specification; every
/// other exception propagates.
/// </summary>
public static class SpecificationCurve
{
    /// <summary>Fit every specification of <paramref name="choices"/> (in parallel; outcomes in enumeration order).</summary>
    /// <param name="choices">The choices to cross.</param>
    /// <param name="unavailable">Null when the specification can be estimated, else the reason it is skipped (counted by reason).</param>
    /// <param name="fit">The estimator adapter: the effect under one specification.</param>
    /// <param name="effect">What the estimate is, for titles (e.g. "DID coefficient on the resilience index").</param>
    /// <param name="options">Threads.</param>
    public static SpecificationCurveResult Run(ChoiceSet choices, Func<Specification, string?> unavailable, Func<Specification, EffectEstimate> fit,
        string effect, SpecificationCurveOptions? options = null)
    {
        options ??= SpecificationCurveOptions.Default;
        var specs = choices.Enumerate().ToArray();
        var outcomes = new SpecificationOutcome[specs.Length];
        Parallel.For(0, specs.Length, new ParallelOptions { MaxDegreeOfParallelism = options.DegreeOfParallelism }, i =>
        {
            var s = specs[i];
            if (unavailable(s) is { } reason) { outcomes[i] = new SpecificationOutcome(s, null, Skipped: reason); return; }
            try { outcomes[i] = new SpecificationOutcome(s, fit(s)); }
            catch (InputException e) { outcomes[i] = new SpecificationOutcome(s, null, Failed: e.Message); }
        });
        return new SpecificationCurveResult(choices, [.. outcomes], effect);
    }
}

/// <summary>The summary of a curve: how many specifications, how their estimates are distributed.</summary>
/// <param name="Specifications">Specifications in the multiverse.</param>
/// <param name="Estimated">Specifications with an estimate.</param>
/// <param name="Skipped">Combinations not defined, by reason (reason, count), most frequent first.</param>
/// <param name="Failed">Specifications whose fit raised an input error, by message.</param>
/// <param name="SharePositive">Share of estimates &gt; 0.</param>
/// <param name="SharePositiveSignificant">Share of estimates &gt; 0 with p &lt; 0.05.</param>
/// <param name="ShareNegativeSignificant">Share of estimates &lt; 0 with p &lt; 0.05.</param>
/// <param name="Median">Median estimate.</param>
/// <param name="Q25">First quartile (R's type 7: linear interpolation of order statistics).</param>
/// <param name="Q75">Third quartile.</param>
/// <param name="Min">Smallest estimate.</param>
/// <param name="Max">Largest estimate.</param>
public sealed record CurveSummary(int Specifications, int Estimated, ImmutableArray<(string Reason, int Count)> Skipped,
    ImmutableArray<(string Reason, int Count)> Failed, double SharePositive, double SharePositiveSignificant, double ShareNegativeSignificant,
    double Median, double Q25, double Q75, double Min, double Max)
{
    /// <summary>Specifications skipped, all reasons.</summary>
    public int SkippedCount => Skipped.Sum(s => s.Count);
    /// <summary>Specifications failed, all messages.</summary>
    public int FailedCount => Failed.Sum(s => s.Count);
}

/// <summary>The estimates under one option of a choice, the others varying over all their options.</summary>
/// <param name="Option">The option.</param>
/// <param name="Estimated">Specifications with this option that have an estimate.</param>
/// <param name="Median">Their median estimate.</param>
/// <param name="SharePositiveSignificant">Their share positive with p &lt; 0.05.</param>
public sealed record OptionSummary(string Option, int Estimated, double Median, double SharePositiveSignificant);

/// <summary>
/// How much one choice moves the estimate. <see cref="MeanAbsoluteShift"/> holds every other choice
/// fixed: over all pairs of specifications that differ in this choice only (both estimated), the mean of
/// |β̂_a − β̂_b|. <see cref="MedianRange"/> is the spread of the option medians (largest − smallest).
/// </summary>
/// <param name="Choice">The choice.</param>
/// <param name="Options">The estimates under each option.</param>
/// <param name="MeanAbsoluteShift">Mean |Δ estimate| over pairs differing only in this choice (NaN with one option).</param>
/// <param name="Pairs">Number of such pairs.</param>
/// <param name="MedianRange">Largest minus smallest option median.</param>
public sealed record ChoiceInfluence(string Choice, ImmutableArray<OptionSummary> Options, double MeanAbsoluteShift, long Pairs, double MedianRange);

/// <summary>
/// The outcome of <see cref="SpecificationCurve.Run"/>: every specification with its estimate (or why
/// none), the ranked curve, the summary, and the influence of each choice. Immutable; tables and JSON
/// are built from it, and figures consume it without re-estimating.
/// </summary>
public sealed class SpecificationCurveResult
{
    private readonly Lazy<CurveSummary> _summary;
    private readonly Lazy<ImmutableArray<ChoiceInfluence>> _influence;

    /// <summary>A curve from its outcomes (normally made by <see cref="SpecificationCurve.Run"/>).</summary>
    public SpecificationCurveResult(ChoiceSet choices, ImmutableArray<SpecificationOutcome> outcomes, string effect)
    {
        Choices = choices; Outcomes = outcomes; Effect = effect;
        Ranked = outcomes.Where(o => o.Estimate is not null).OrderBy(o => o.Estimate!.Estimate).ThenBy(o => o.Specification.Index).ToImmutableArray();
        _summary = new(ComputeSummary);
        _influence = new(() => Choices.Choices.Select(InfluenceOf).ToImmutableArray());
    }

    /// <summary>The multiverse.</summary>
    public ChoiceSet Choices { get; }
    /// <summary>One outcome per specification, in enumeration order.</summary>
    public ImmutableArray<SpecificationOutcome> Outcomes { get; }
    /// <summary>What is estimated (for titles).</summary>
    public string Effect { get; }

    /// <summary>The estimated specifications from the smallest to the largest estimate (ties in enumeration order): the curve.</summary>
    public ImmutableArray<SpecificationOutcome> Ranked { get; }

    /// <summary>The curve's summary (<see cref="CurveSummary"/>).</summary>
    public CurveSummary Summary => _summary.Value;

    private CurveSummary ComputeSummary()
    {
        var est = Ranked.Select(o => o.Estimate!).ToArray();
        var sorted = est.Select(e => e.Estimate).ToArray(); // already ascending
        int n = est.Length;
        double Share(Func<EffectEstimate, bool> f) => n == 0 ? double.NaN : (double)est.Count(f) / n;
        static ImmutableArray<(string, int)> Count(IEnumerable<string> reasons) =>
            reasons.GroupBy(r => r, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))
                .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToImmutableArray();
        return new CurveSummary(Outcomes.Length, n,
            Count(Outcomes.Where(o => o.Skipped is not null).Select(o => o.Skipped!)),
            Count(Outcomes.Where(o => o.Failed is not null).Select(o => o.Failed!)),
            Share(e => e.Estimate > 0), Share(e => e.Estimate > 0 && e.Significant), Share(e => e.Estimate < 0 && e.Significant),
            Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75),
            n == 0 ? double.NaN : sorted[0], n == 0 ? double.NaN : sorted[^1]);
    }

    /// <summary>One indicator row per option of every choice, in the order of <see cref="Choices"/>.</summary>
    public ImmutableArray<IndicatorRow> DefaultIndicatorRows() =>
        [.. Choices.Choices.SelectMany(c => c.Options.Select(o => new IndicatorRow(c.Name, o, s => s[c.Name] == o)))];

    /// <summary>The influence of every choice, in the order of <see cref="Choices"/>.</summary>
    public ImmutableArray<ChoiceInfluence> Influence() => _influence.Value;

    /// <summary>The choice with the largest <see cref="ChoiceInfluence.MeanAbsoluteShift"/> (null when no choice has two estimated options).</summary>
    public ChoiceInfluence? MostInfluential() => Influence().Where(c => !double.IsNaN(c.MeanAbsoluteShift))
        .OrderByDescending(c => c.MeanAbsoluteShift).FirstOrDefault();

    private ChoiceInfluence InfluenceOf(Choice choice)
    {
        var options = choice.Options.Select(opt =>
        {
            var e = Ranked.Where(o => o.Specification[choice.Name] == opt).Select(o => o.Estimate!).ToArray();
            return new OptionSummary(opt, e.Length, Quantile(e.Select(x => x.Estimate).ToArray(), 0.5),
                e.Length == 0 ? double.NaN : (double)e.Count(x => x.Estimate > 0 && x.Significant) / e.Length);
        }).ToImmutableArray();
        double sum = 0; long pairs = 0;
        foreach (var group in Ranked.GroupBy(o => o.Specification.KeyWithout(choice.Name), StringComparer.Ordinal))
        {
            var v = group.Select(o => o.Estimate!.Estimate).ToArray();
            for (int a = 0; a < v.Length; a++)
                for (int b = a + 1; b < v.Length; b++) { sum += Math.Abs(v[a] - v[b]); pairs++; }
        }
        var medians = options.Where(o => o.Estimated > 0).Select(o => o.Median).ToArray();
        return new ChoiceInfluence(choice.Name, options, pairs == 0 ? double.NaN : sum / pairs, pairs,
            medians.Length == 0 ? double.NaN : medians.Max() - medians.Min());
    }

    /// <summary>Quantile of ascending values, R's type 7: h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]); NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> ascending, double p)
    {
        if (ascending.Count == 0) return double.NaN;
        double h = (ascending.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 < ascending.Count ? ascending[lo] + (h - lo) * (ascending[lo + 1] - ascending[lo]) : ascending[lo];
    }

    private static string N(double v, int d = 4) => Format.Number(v, d);
    private static string Pct(double v) => double.IsNaN(v) ? "" : Format.Number(100 * v, 1) + "%";

    /// <summary>The summary as a table: counts, shares, median and quartiles, and the most influential choice.</summary>
    public Table ToTable(string id = "specification_curve", string? title = null)
    {
        var s = Summary;
        var top = MostInfluential();
        var rows = new List<TableRow>
        {
            new("Specifications in the multiverse", s.Specifications.ToString(CultureInfo.InvariantCulture)),
            new("Estimated", s.Estimated.ToString(CultureInfo.InvariantCulture)),
            new("Skipped (combination not defined)", s.SkippedCount.ToString(CultureInfo.InvariantCulture)),
            new("Failed (estimator input error)", s.FailedCount.ToString(CultureInfo.InvariantCulture)),
            new TableRow(["Share positive", Pct(s.SharePositive)], true),
            new("Share positive and significant (p < 0.05)", Pct(s.SharePositiveSignificant)),
            new("Share negative and significant (p < 0.05)", Pct(s.ShareNegativeSignificant)),
            new TableRow(["Median estimate", N(s.Median)], true),
            new("Interquartile range", $"[{N(s.Q25)}, {N(s.Q75)}]"),
            new("Range", $"[{N(s.Min)}, {N(s.Max)}]"),
            new TableRow(["Most influential choice", top is null ? "" : $"{top.Choice} (mean |Δ| {N(top.MeanAbsoluteShift)})"], true),
        };
        var notes = new List<string>
        {
            "Choices: " + string.Join("; ", Choices.Choices.Select(c => $"{c.Name} ({c.Options.Length})")) + ".",
            "Significance: p < 0.05, two-sided, with each specification's own standard errors; quartiles by R's type 7. " +
            "Most influential: the largest mean |Δ estimate| over pairs of specifications that differ in that choice only.",
        };
        notes.AddRange(s.Skipped.Select(r => $"Skipped {r.Count}: {r.Reason}"));
        notes.AddRange(s.Failed.Select(r => $"Failed {r.Count}: {r.Reason}"));
        return new Table(id, title ?? $"Specification curve: {Effect}", ["", "Value"], rows, notes);
    }

    /// <summary>One row per option of every choice: estimated specifications, median estimate, share positive and significant; one line per choice with its influence.</summary>
    public Table InfluenceTable(string id = "specification_curve_choices", string? title = null)
    {
        var rows = new List<TableRow>();
        foreach (var c in Influence())
        {
            rows.Add(new TableRow([c.Choice, "", "", "", N(c.MeanAbsoluteShift), N(c.MedianRange)], true));
            foreach (var o in c.Options)
                rows.Add(new TableRow("  " + o.Option, o.Estimated.ToString(CultureInfo.InvariantCulture), N(o.Median), Pct(o.SharePositiveSignificant), "", ""));
        }
        return new Table(id, title ?? $"Specification curve by choice: {Effect}",
            ["Choice / option", "Estimated", "Median", "Positive & significant", "Mean |Δ| (pairs)", "Range of medians"], rows,
            ["Mean |Δ|: over pairs of specifications that differ in this choice only (every other choice held fixed), the mean absolute difference of their estimates. " +
             "Range of medians: largest minus smallest median over the choice's options."]);
    }

    /// <summary>Every specification (enumeration order): its options, estimate, SE, interval, p and observations, or why it has none (for CSV).</summary>
    public Table SpecificationsTable(string id = "specification_curve_all", string? title = null)
    {
        var header = new List<string> { "#" };
        header.AddRange(Choices.Choices.Select(c => c.Name));
        header.AddRange(["Estimate", "Std. error", "95% CI low", "95% CI high", "p", "Obs.", "Rank", "Note"]);
        var rank = Ranked.Select((o, i) => (o.Specification.Index, i + 1)).ToDictionary(x => x.Index, x => x.Item2);
        var rows = Outcomes.Select(o =>
        {
            var cells = new List<string> { (o.Specification.Index + 1).ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(o.Specification.Values);
            if (o.Estimate is { } e)
                cells.AddRange([N(e.Estimate, 6), N(e.StdError, 6), N(e.CiLow, 6), N(e.CiHigh, 6), N(e.P), e.Nobs.ToString(CultureInfo.InvariantCulture),
                    rank[o.Specification.Index].ToString(CultureInfo.InvariantCulture), ""]);
            else cells.AddRange(["", "", "", "", "", "", "", o.Skipped is not null ? "skipped: " + o.Skipped : "failed: " + o.Failed]);
            return new TableRow(cells.ToArray());
        });
        return new Table(id, title ?? $"All specifications: {Effect}", header, rows);
    }

    /// <summary>
    /// JSON: <c>effect</c>, <c>choices</c> (name → options), <c>summary</c> (specifications, estimated, skipped, failed,
    /// skip_reasons [{reason, count}], fail_reasons, share_positive, share_positive_significant, share_negative_significant,
    /// median, q25, q75, min, max), <c>most_influential</c>, <c>influence</c> [{choice, mean_abs_shift, pairs, median_range,
    /// options [{option, estimated, median, share_positive_significant}]}] and <c>specifications</c> [{index, choices {name: option},
    /// estimate, std_error, ci_low, ci_high, p, nobs | skipped | failed}].
    /// </summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        var s = Summary;
        w.WriteString("effect", Effect);
        w.WriteStartObject("choices");
        foreach (var c in Choices.Choices)
        {
            w.WriteStartArray(c.Name);
            foreach (var o in c.Options) w.WriteStringValue(o);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartObject("summary");
        w.WriteNumber("specifications", s.Specifications);
        w.WriteNumber("estimated", s.Estimated);
        w.WriteNumber("skipped", s.SkippedCount);
        w.WriteNumber("failed", s.FailedCount);
        Reasons(w, "skip_reasons", s.Skipped);
        Reasons(w, "fail_reasons", s.Failed);
        ResultJson.Num(w, "share_positive", s.SharePositive);
        ResultJson.Num(w, "share_positive_significant", s.SharePositiveSignificant);
        ResultJson.Num(w, "share_negative_significant", s.ShareNegativeSignificant);
        ResultJson.Num(w, "median", s.Median);
        ResultJson.Num(w, "q25", s.Q25);
        ResultJson.Num(w, "q75", s.Q75);
        ResultJson.Num(w, "min", s.Min);
        ResultJson.Num(w, "max", s.Max);
        w.WriteEndObject();
        if (MostInfluential() is { } top) w.WriteString("most_influential", top.Choice); else w.WriteNull("most_influential");
        w.WriteStartArray("influence");
        foreach (var c in Influence())
        {
            w.WriteStartObject();
            w.WriteString("choice", c.Choice);
            ResultJson.Num(w, "mean_abs_shift", c.MeanAbsoluteShift);
            w.WriteNumber("pairs", c.Pairs);
            ResultJson.Num(w, "median_range", c.MedianRange);
            w.WriteStartArray("options");
            foreach (var o in c.Options)
            {
                w.WriteStartObject();
                w.WriteString("option", o.Option);
                w.WriteNumber("estimated", o.Estimated);
                ResultJson.Num(w, "median", o.Median);
                ResultJson.Num(w, "share_positive_significant", o.SharePositiveSignificant);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("specifications");
        foreach (var o in Outcomes)
        {
            w.WriteStartObject();
            w.WriteNumber("index", o.Specification.Index + 1);
            w.WriteStartObject("choices");
            for (int i = 0; i < o.Specification.Names.Length; i++) w.WriteString(o.Specification.Names[i], o.Specification.Values[i]);
            w.WriteEndObject();
            if (o.Estimate is { } e)
            {
                ResultJson.Num(w, "estimate", e.Estimate); ResultJson.Num(w, "std_error", e.StdError);
                ResultJson.Num(w, "ci_low", e.CiLow); ResultJson.Num(w, "ci_high", e.CiHigh); ResultJson.Num(w, "p", e.P);
                w.WriteNumber("nobs", e.Nobs);
            }
            else if (o.Skipped is not null) w.WriteString("skipped", o.Skipped);
            else w.WriteString("failed", o.Failed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void Reasons(Utf8JsonWriter w, string name, ImmutableArray<(string Reason, int Count)> reasons)
    {
        w.WriteStartArray(name);
        foreach (var (r, n) in reasons) { w.WriteStartObject(); w.WriteString("reason", r); w.WriteNumber("count", n); w.WriteEndObject(); }
        w.WriteEndArray();
    }
}
