using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Numerics;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Sensitivity;

/// <summary>The restriction on post-treatment violations of parallel trends.</summary>
public enum HonestRestriction
{
    /// <summary>Δ^RM(M̄): each post-treatment change of the trend difference is at most M̄ times the largest pre-treatment change; conditional least-favourable hybrid confidence sets.</summary>
    RelativeMagnitudes,
    /// <summary>Δ^SD(M): the slope of the trend difference changes by at most M between consecutive periods; optimal fixed-length confidence intervals.</summary>
    Smoothness,
}

/// <summary>Choices of <see cref="HonestDid"/>; the defaults are HonestDiD's.</summary>
/// <param name="Restriction">Δ^RM or Δ^SD (default relative magnitudes).</param>
/// <param name="Grid">Values of M̄ (or M); default M̄ = 0.5, 1, 1.5, 2 (RM) or M = 10 points from 0 to the SE of the first pre-period coefficient (SD), as HonestDiD.</param>
/// <param name="LVec">Weights of the target θ = l′τ_post over the post-treatment effects; default the first post-period effect.</param>
/// <param name="Alpha">Level (default 0.05).</param>
/// <param name="GridPoints">Points of the θ grid of the relative-magnitude confidence sets (HonestDiD: 1,000 between ∓20 SE(θ̂)).</param>
/// <param name="Breakdown">Refine the breakdown value by bisection between grid values (6 steps) instead of reporting the largest grid value whose set excludes zero.</param>
public sealed record HonestDidOptions(HonestRestriction Restriction = HonestRestriction.RelativeMagnitudes, ImmutableArray<double> Grid = default,
    ImmutableArray<double> LVec = default, double Alpha = 0.05, int GridPoints = 1000, bool Breakdown = true)
{
    /// <summary>Relative magnitudes, HonestDiD's default grid, the first post-period effect.</summary>
    public static HonestDidOptions Default { get; } = new();
}

/// <summary>The robust confidence set at one value of M̄ (or M).</summary>
/// <param name="M">M̄ for relative magnitudes, M for smoothness.</param>
/// <param name="Lower">Lower end.</param>
/// <param name="Upper">Upper end.</param>
public sealed record HonestBound(double M, double Lower, double Upper)
{
    /// <summary>True when the set excludes zero (a significant effect of either sign).</summary>
    public bool ExcludesZero => Lower > 0 || Upper < 0;
}

/// <summary>
/// Rambachan &amp; Roth (2023, Review of Economic Studies 90(5)) sensitivity analysis of an event study,
/// as the HonestDiD R package computes it (README version of 2023): for a target θ = l′τ_post,
/// robust confidence sets that stay valid when the post-treatment violations of parallel trends δ_post are
/// restricted relative to the pre-treatment ones δ_pre (estimated by the pre-period coefficients).
/// <list type="bullet">
/// <item>Δ^RM(M̄) (relative magnitudes): |δ_{t+1} − δ_t| ≤ M̄ max_{s&lt;0} |δ_{s+1} − δ_s| for post periods t.
/// The set is the union over the location s and sign of the maximal pre-period change of the
/// conditional least-favourable hybrid sets of Andrews, Roth &amp; Pakes (2023) (κ = α/10, least-favourable
/// critical value from 1,000 normal draws, drawn as R's set.seed(0) + mvtnorm::rmvnorm with
/// <see cref="RCompatibleRandom"/>), evaluated on HonestDiD's grid of 1,000 θ values in ∓20 SE(θ̂);
/// the linear programs are solved by <see cref="Simplex"/>.</item>
/// <item>Δ^SD(M) (smoothness): |(δ_{t+1} − δ_t) − (δ_t − δ_{t−1})| ≤ M. The optimal fixed-length CI of
/// Armstrong &amp; Kolesár (2018): an affine estimator l_pre′β̂_pre + l′β̂_post ± cv_α(b/h)·h, with worst-case bias b
/// minimised for each standard deviation h (a convex program solved here by a log-barrier Newton method),
/// cv_α the 1 − α quantile of |N(b/h, 1)| (HonestDiD's 10⁶ draws after set.seed(0)), and h chosen by
/// HonestDiD's derivative bisection (with its fallback to a 100-point grid).</item>
/// </list>
/// The breakdown value is the largest M̄ (or M) whose set excludes zero. The published ehec numbers of the
/// HonestDiD README are reproduced to their printed digits (one digit of the M = 0 smoothness interval
/// depends on the accuracy of R's QP solver: see the tests).
/// </summary>
public static class HonestDid
{
    /// <summary>Sensitivity analysis of an event-time path (TWFE event study, Sun–Abraham, Callaway–Sant'Anna with a universal base period).</summary>
    public static HonestDidResult Fit(IEventTimePath path, HonestDidOptions? options = null)
    {
        var (beta, sigma, pre, post) = Extract(path);
        return Fit(beta, sigma, pre.Length, post.Length, options) with { PreEventTimes = [.. pre], PostEventTimes = [.. post] };
    }

    /// <summary>
    /// Sensitivity analysis of coefficients β̂ = (β̂_pre, β̂_post) with covariance Σ: the first
    /// <paramref name="numPre"/> are pre-treatment coefficients in time order (the period before treatment is
    /// the omitted reference), then <paramref name="numPost"/> post-treatment ones.
    /// </summary>
    public static HonestDidResult Fit(double[] betahat, double[,] sigma, int numPre, int numPost, HonestDidOptions? options = null)
    {
        options ??= HonestDidOptions.Default;
        Check(betahat, sigma, numPre, numPost);
        var l = options.LVec.IsDefaultOrEmpty ? Enumerable.Range(0, numPost).Select(i => i == 0 ? 1.0 : 0).ToArray() : [.. options.LVec];
        if (l.Length != numPost) throw new InputException($"the target weights l have {l.Length} entries but there are {numPost} post-treatment coefficients.");
        if (options.Restriction == HonestRestriction.RelativeMagnitudes && numPre < 1)
            throw new InputException("relative magnitudes need at least one pre-treatment coefficient.");
        if (options.Restriction == HonestRestriction.Smoothness && numPre < 2)
            throw new InputException("the smoothness restriction needs at least two pre-treatment coefficients.");
        var grid = options.Grid.IsDefaultOrEmpty
            ? options.Restriction == HonestRestriction.RelativeMagnitudes
                ? [0.5, 1, 1.5, 2]
                : RelativeMagnitudes.Seq(0, Math.Sqrt(sigma[0, 0]), 10)
            : options.Grid.ToArray();
        if (grid.Any(m => !(m >= 0))) throw new InputException("the values of M̄ / M must be non-negative.");
        double est = 0, var = 0;
        for (int a = 0; a < numPost; a++)
        {
            est += l[a] * betahat[numPre + a];
            for (int b = 0; b < numPost; b++) var += l[a] * sigma[numPre + a, numPre + b] * l[b];
        }
        double z = Distributions.TQuantile(1 - options.Alpha / 2, double.PositiveInfinity);
        var bounds = grid.Select(m => Interval(betahat, sigma, numPre, numPost, l, m, options)).ToImmutableArray();
        double? breakdown = null;
        var sig = bounds.Where(b => b.ExcludesZero).ToList();
        if (sig.Count > 0)
        {
            var last = bounds.OrderBy(b => b.M).TakeWhile(b => b.ExcludesZero).LastOrDefault();
            if (last is not null)
            {
                breakdown = last.M;
                var next = bounds.OrderBy(b => b.M).FirstOrDefault(b => b.M > last.M && !b.ExcludesZero);
                if (options.Breakdown && next is not null)
                {
                    double lo = last.M, hi = next.M;
                    for (int i = 0; i < 6; i++)
                    {
                        double mid = (lo + hi) / 2;
                        if (Interval(betahat, sigma, numPre, numPost, l, mid, options).ExcludesZero) lo = mid; else hi = mid;
                    }
                    breakdown = lo;
                }
            }
        }
        else breakdown = null;
        return new HonestDidResult(options.Restriction, options.Restriction == HonestRestriction.RelativeMagnitudes ? "C-LF" : "FLCI",
            [.. l], est, est - z * Math.Sqrt(var), est + z * Math.Sqrt(var), bounds, breakdown, numPre, numPost, options.Alpha, [], []);
    }

    /// <summary>The robust set at one M̄ / M.</summary>
    public static HonestBound Interval(double[] betahat, double[,] sigma, int numPre, int numPost, double[] l, double m, HonestDidOptions options)
    {
        if (options.Restriction == HonestRestriction.RelativeMagnitudes)
        {
            var r = RelativeMagnitudes.ConditionalLfHybrid(betahat, sigma, numPre, numPost, l, m, options.Alpha, options.GridPoints);
            return new HonestBound(m, r.Lower, r.Upper);
        }
        var f = SmoothnessFlci.Optimal(betahat, sigma, numPre, numPost, l, m, options.Alpha);
        return new HonestBound(m, f.Lower, f.Upper);
    }

    /// <summary>β̂, Σ and the pre/post event times of a path; the reference period must be −1 and the event times consecutive.</summary>
    public static (double[] Beta, double[,] Sigma, int[] Pre, int[] Post) Extract(IEventTimePath path)
    {
        var pts = path.Path;
        var reference = pts.Where(p => p.IsReference).ToList();
        if (reference.Count != 1 || reference[0].EventTime != -1)
            throw new InputException("HonestDiD needs an event-time path normalised to 0 at event time −1 (a TWFE or Sun–Abraham event study, or Callaway & Sant'Anna with the universal base period).");
        if (pts.Any(p => p.IsBin))
            throw new InputException("HonestDiD needs one coefficient per event time; refit the event study without end bins.");
        var est = pts.Where(p => !p.IsReference).ToList();
        var times = pts.Select(p => p.EventTime).ToList();
        for (int i = 1; i < times.Count; i++)
            if (times[i] != times[i - 1] + 1)
                throw new InputException($"HonestDiD needs consecutive event times; the path jumps from {times[i - 1]} to {times[i]}.");
        var cov = path.PathCovariance();
        var beta = est.Select(p => p.Estimate).ToArray();
        return (beta, cov, [.. est.Where(p => p.EventTime < 0).Select(p => p.EventTime)], [.. est.Where(p => p.EventTime >= 0).Select(p => p.EventTime)]);
    }

    private static void Check(double[] betahat, double[,] sigma, int numPre, int numPost)
    {
        int k = betahat.Length;
        if (sigma.GetLength(0) != k || sigma.GetLength(1) != k)
            throw new InputException($"betahat has {k} coefficients but sigma is {sigma.GetLength(0)}×{sigma.GetLength(1)}.");
        if (numPre + numPost != k) throw new InputException($"{numPre} pre + {numPost} post periods ≠ {k} coefficients.");
        if (numPost < 1) throw new InputException("at least one post-treatment coefficient is needed.");
        if (betahat.Any(b => !double.IsFinite(b))) throw new InputException("betahat has a missing or infinite value.");
    }
}

/// <summary>The result of <see cref="HonestDid"/>: the original interval, the robust sets over the grid, and the breakdown value.</summary>
/// <param name="Restriction">Δ^RM or Δ^SD.</param>
/// <param name="Method">C-LF (relative magnitudes) or FLCI (smoothness).</param>
/// <param name="LVec">Target weights over the post-treatment effects.</param>
/// <param name="Estimate">θ̂ = l′β̂_post.</param>
/// <param name="OriginalLower">Lower end of the usual interval θ̂ ∓ z SE(θ̂).</param>
/// <param name="OriginalUpper">Upper end of the usual interval.</param>
/// <param name="Bounds">The robust sets by M̄ / M.</param>
/// <param name="BreakdownValue">The largest M̄ / M whose set excludes zero (null: none does).</param>
/// <param name="NumPre">Pre-treatment coefficients used.</param>
/// <param name="NumPost">Post-treatment coefficients.</param>
/// <param name="Alpha">Level.</param>
/// <param name="PreEventTimes">Event times of the pre-treatment coefficients (empty when given as arrays).</param>
/// <param name="PostEventTimes">Event times of the post-treatment coefficients.</param>
public sealed record HonestDidResult(HonestRestriction Restriction, string Method, ImmutableArray<double> LVec, double Estimate,
    double OriginalLower, double OriginalUpper, ImmutableArray<HonestBound> Bounds, double? BreakdownValue, int NumPre, int NumPost, double Alpha,
    ImmutableArray<int> PreEventTimes, ImmutableArray<int> PostEventTimes)
{
    /// <summary>"M̄" or "M".</summary>
    public string MLabel => Restriction == HonestRestriction.RelativeMagnitudes ? "M̄" : "M";

    /// <summary>A description of θ.</summary>
    public string Target => LVec.Count(v => v != 0) == 1 && LVec.Contains(1)
        ? $"the effect in post-period {LVec.IndexOf(1) + 1}" + (PostEventTimes.Length > 0 ? $" (event time {PostEventTimes[LVec.IndexOf(1)]})" : "")
        : "l′τ_post with l = (" + string.Join(", ", LVec.Select(v => v.ToString("G4", CultureInfo.InvariantCulture))) + ")";

    /// <summary>Notes under the table.</summary>
    public ImmutableArray<string> Notes()
    {
        var n = new List<string>
        {
            Restriction == HonestRestriction.RelativeMagnitudes
                ? "Rambachan & Roth (2023), relative magnitudes Δ^RM(M̄): post-treatment changes in the trend difference at most M̄ × the largest pre-treatment change; conditional least-favourable hybrid sets (HonestDiD's C-LF) on a 1,000-point grid."
                : "Rambachan & Roth (2023), smoothness Δ^SD(M): the slope of the trend difference changes by at most M per period; optimal fixed-length confidence intervals (HonestDiD's FLCI).",
            string.Create(CultureInfo.InvariantCulture, $"Target: {Target}; {NumPre} pre- and {NumPost} post-treatment coefficients; {100 * (1 - Alpha):G3}% sets. Original interval [{OriginalLower:F4}, {OriginalUpper:F4}]."),
        };
        n.Add(BreakdownValue is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"Breakdown value: the effect stays significant up to {MLabel} = {b:G4}.")
            : $"Breakdown value: none — the robust set includes zero already at the smallest {MLabel} of the grid.");
        return [.. n];
    }

    /// <summary>The sensitivity table: one row per M̄ / M, the original interval first.</summary>
    public Table ToTable(string id = "honest_did", string? title = null)
    {
        var rows = new List<TableRow> { new("Original", "", F(OriginalLower), F(OriginalUpper), "") };
        rows.AddRange(Bounds.Select(b => new TableRow(Method, b.M.ToString("G4", CultureInfo.InvariantCulture), F(b.Lower), F(b.Upper), b.ExcludesZero ? "yes" : "no")));
        return new Table(id, title ?? $"Sensitivity to violations of parallel trends ({(Restriction == HonestRestriction.RelativeMagnitudes ? "relative magnitudes" : "smoothness")})",
            ["Method", MLabel, "Lower", "Upper", "Excludes 0"], rows, Notes());
    }

    /// <summary>JSON: restriction, method, l, estimate, original {lower, upper}, bounds [{m, lower, upper}], breakdown.</summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        w.WriteString("restriction", Restriction == HonestRestriction.RelativeMagnitudes ? "relative_magnitudes" : "smoothness");
        w.WriteString("method", Method);
        w.WriteStartArray("l");
        foreach (var v in LVec) w.WriteNumberValue(v);
        w.WriteEndArray();
        ResultJson.Num(w, "estimate", Estimate);
        w.WriteStartObject("original");
        ResultJson.Num(w, "lower", OriginalLower); ResultJson.Num(w, "upper", OriginalUpper);
        w.WriteEndObject();
        w.WriteStartArray("bounds");
        foreach (var b in Bounds)
        {
            w.WriteStartObject();
            ResultJson.Num(w, "m", b.M); ResultJson.Num(w, "lower", b.Lower); ResultJson.Num(w, "upper", b.Upper);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (BreakdownValue is { } bd) ResultJson.Num(w, "breakdown", bd); else w.WriteNull("breakdown");
        w.WriteNumber("num_pre", NumPre);
        w.WriteNumber("num_post", NumPost);
    });

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The table as Markdown.</summary>
    public override string ToString() => ToTable().ToMarkdown();
}
