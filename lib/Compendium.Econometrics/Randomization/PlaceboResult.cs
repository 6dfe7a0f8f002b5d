using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Randomization;

/// <summary>
/// The result of <see cref="Placebo.Fit"/>: the actual fit and the distribution of placebo estimates.
/// Immutable; <see cref="ToTable"/> and <see cref="ToJson"/> consume it.
/// </summary>
/// <param name="Actual">The model fitted with the observed treatment.</param>
/// <param name="Coefficient">The treatment regressor.</param>
/// <param name="Scheme">How placebo treatments were drawn.</param>
/// <param name="Years">Where placebo adoption times came from.</param>
/// <param name="Seed">The generator's seed.</param>
/// <param name="Estimates">Placebo estimates, one per draw (NaN if the placebo column was collinear).</param>
/// <param name="TValues">Their t statistics (same variance estimator as the actual fit).</param>
/// <param name="PValue">Randomisation p-value of |t|: (1 + #{|t_r| ≥ |t|}) / (1 + valid draws).</param>
/// <param name="PValueEstimate">The same for |estimate|.</param>
/// <param name="UnitIds">Units in the order of <paramref name="Assignments"/> (first appearance in the estimation sample).</param>
/// <param name="Assignments">Placebo adoption time of every unit in every draw (+∞: not treated).</param>
public sealed record PlaceboResult(FeolsResult Actual, string Coefficient, PlaceboScheme Scheme, PlaceboYears Years, ulong Seed,
    ImmutableArray<double> Estimates, ImmutableArray<double> TValues, double PValue, double PValueEstimate,
    ImmutableArray<string> UnitIds, ImmutableArray<ImmutableArray<double>> Assignments)
{
    /// <summary>The actual estimate of <see cref="Coefficient"/>.</summary>
    public double ActualEstimate => Actual[Coefficient].Estimate;
    /// <summary>Its t statistic.</summary>
    public double ActualT => Actual[Coefficient].T;
    /// <summary>Draws requested.</summary>
    public int Draws => Estimates.Length;
    /// <summary>Draws whose placebo column could be estimated.</summary>
    public int ValidDraws => Estimates.Count(double.IsFinite);
    /// <summary>Draws dropped because the placebo column was collinear.</summary>
    public int FailedDraws => Draws - ValidDraws;

    /// <summary>Quantile of the valid placebo estimates (R's type 7, linear interpolation).</summary>
    public double EstimateQuantile(double p) => Quantiles.Type7(Estimates, p);

    /// <summary>Quantile of the valid placebo t statistics (type 7).</summary>
    public double TQuantile(double p) => Quantiles.Type7(TValues, p);

    /// <summary>The scheme's name as on the command line: units, timing or both.</summary>
    public string SchemeName => Scheme.ToString().ToLowerInvariant();

    /// <summary>One row per quantity: actual estimate and t, placebo mean, SD and 2.5/97.5% quantiles, both p-values, draws.</summary>
    public Table ToTable(string id = "placebo", string? title = null)
    {
        var valid = Estimates.Where(double.IsFinite).ToArray();
        var validT = TValues.Where(double.IsFinite).ToArray();
        double mean = valid.Average(), sd = Math.Sqrt(valid.Sum(v => (v - mean) * (v - mean)) / (valid.Length - 1));
        double meanT = validT.Average(), sdT = Math.Sqrt(validT.Sum(v => (v - meanT) * (v - meanT)) / (validT.Length - 1));
        var rows = new List<TableRow>
        {
            new("Actual", F(ActualEstimate), F(ActualT, 3)),
            new("Placebo mean", F(mean), F(meanT, 3)),
            new("Placebo SD", F(sd), F(sdT, 3)),
            new("Placebo 2.5% quantile", F(EstimateQuantile(0.025)), F(TQuantile(0.025), 3)),
            new("Placebo 97.5% quantile", F(EstimateQuantile(0.975)), F(TQuantile(0.975), 3)),
            new(["Randomisation p-value", F(PValueEstimate, 4), F(PValue, 4)], true),
            new("Draws (valid)", I(ValidDraws), I(ValidDraws)),
        };
        return new Table(id, title ?? $"Placebo test: {Draws} random draws ({SchemeName})", ["", $"Estimate of {Coefficient}", "t"], rows, Notes());
    }

    /// <summary>Several placebo results side by side (e.g. the three schemes): one row each with draws, placebo mean, SD and 95% range, and both p-values.</summary>
    public static Table Comparison(string id, string title, IEnumerable<PlaceboResult> results)
    {
        var list = results.ToList();
        if (list.Count == 0) throw new ArgumentException("at least one placebo result", nameof(results));
        var rows = list.Select(r =>
        {
            var v = r.Estimates.Where(double.IsFinite).ToArray();
            double mean = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
            return new TableRow(r.SchemeName, I(r.ValidDraws), F(mean), F(sd), $"[{F(r.EstimateQuantile(0.025))}, {F(r.EstimateQuantile(0.975))}]",
                F(r.ActualEstimate), F(r.PValueEstimate, 4), F(r.ActualT, 3), F(r.PValue, 4));
        });
        return new Table(id, title, ["Scheme", "Draws", "Placebo mean", "Placebo SD", "Placebo 95% range", "Actual estimate", "p (|estimate|)", "Actual t", "p (|t|)"],
            rows, [.. list[0].Notes().Skip(1)]);
    }

    /// <summary>Notes: scheme, seed and generator, p-value convention, variance, failed draws.</summary>
    public ImmutableArray<string> Notes()
    {
        string how = Scheme switch
        {
            PlaceboScheme.Units => "the observed adoption years permuted across units (number of treated units and cohort sizes kept)",
            PlaceboScheme.Timing => $"treated units kept, adoption years drawn from {YearsText}",
            _ => $"as many units as are treated drawn at random, each with an adoption year drawn from {YearsText}",
        };
        var notes = new List<string>
        {
            $"Placebo treatments: {how}; {Draws} draws, seed {Seed.ToString(CultureInfo.InvariantCulture)} (SplitMix64, the same draws on any machine).",
            "p-values: share of draws at least as extreme as the actual value in absolute value, counting the actual assignment: (1 + #{|x_r| ≥ |x|})/(1 + draws), as ritest.",
            $"Model: {Actual.Formula}. " + Actual.Variance.Description,
        };
        if (FailedDraws > 0) notes.Add($"{FailedDraws} draws gave a placebo column collinear with the fixed effects and were left out.");
        return [.. notes];
    }

    private string YearsText => Years == PlaceboYears.SamplePeriods ? "the sample periods except the first" : "the observed adoption years";

    /// <summary>JSON: <c>draws</c>, <c>scheme</c>, <c>seed</c>, <c>actual</c> {<c>estimate</c>, <c>t</c>}, <c>p_value</c> (|t|), <c>p_value_estimate</c>, <c>estimates</c>, <c>t_values</c> (NaN draws as null).</summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        w.WriteNumber("draws", Draws);
        w.WriteString("scheme", SchemeName);
        w.WriteNumber("seed", Seed);
        w.WriteStartObject("actual");
        ResultJson.Num(w, "estimate", ActualEstimate);
        ResultJson.Num(w, "t", ActualT);
        w.WriteEndObject();
        ResultJson.Num(w, "p_value", PValue);
        ResultJson.Num(w, "p_value_estimate", PValueEstimate);
        w.WriteStartArray("estimates");
        foreach (var v in Estimates) if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
        w.WriteStartArray("t_values");
        foreach (var v in TValues) if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    });

    private static string F(double v, int d = 4) => double.IsNaN(v) ? "" : v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
