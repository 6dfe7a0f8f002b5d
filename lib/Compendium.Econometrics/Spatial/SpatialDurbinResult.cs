using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Spatial;

/// <summary>
/// The result of <see cref="SpatialDurbin"/>: coefficients β (regressors), θ (<c>W*x</c>), ρ (<c>rho</c>, or λ
/// <c>lambda</c> for the error model) and σ² (<c>sigma2</c>) with z inference from the expected information, the
/// log-likelihood, and the LeSage–Pace impacts. Immutable.
/// </summary>
/// <param name="Formula">The formula as given.</param>
/// <param name="Coefficients">β, θ, ρ (or λ), σ².</param>
/// <param name="Variance">Their variance (inverse expected information; at the bias-corrected estimate for the direct approach).</param>
/// <param name="Sample">nT observations, the fixed effects, regressors dropped as collinear.</param>
/// <param name="Model">Durbin, lag or error.</param>
/// <param name="Method">Lee–Yu transformation or direct approach with bias correction.</param>
/// <param name="WeightsDescription">What W is.</param>
/// <param name="Units">n.</param>
/// <param name="Periods">T.</param>
/// <param name="EffectiveNobs">N* of the likelihood ((n − 1)(T − 1) for Lee–Yu with two-way effects).</param>
/// <param name="LogLikelihood">ℓ at the maximum (for the direct approach: before the bias correction).</param>
/// <param name="Impacts">Direct, indirect and total effects of each regressor (empty for the error model).</param>
/// <param name="Uncorrected">Direct approach: θ̂ before the bias correction (β, θ, ρ, σ²); empty otherwise.</param>
/// <param name="RhoBounds">W's admissible interval of ρ.</param>
/// <param name="SimulationDraws">Draws behind the simulated impact SEs (0: none).</param>
/// <param name="Seed">Seed of those draws.</param>
/// <param name="UnitEffects">Unit fixed effects in the model.</param>
/// <param name="TimeEffects">Period fixed effects in the model.</param>
public sealed record SpatialDurbinResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, SampleInfo Sample,
    SpatialModelKind Model, SpatialFeMethod Method, string WeightsDescription, int Units, int Periods, double EffectiveNobs,
    double LogLikelihood, ImmutableArray<SpatialImpact> Impacts, ImmutableArray<double> Uncorrected, (double Lower, double Upper) RhoBounds,
    int SimulationDraws, ulong Seed, bool UnitEffects, bool TimeEffects)
    : EstimationResult(Formula, Coefficients, Variance, "mle", Sample)
{
    /// <summary><c>sdm</c>, <c>sar</c> or <c>sem</c>.</summary>
    public override string Estimator => Model switch { SpatialModelKind.Durbin => "sdm", SpatialModelKind.Lag => "sar", _ => "sem" };

    /// <summary>The spatial parameter: ρ of the lag/Durbin model, λ of the error model.</summary>
    public Coefficient Rho => this[Model == SpatialModelKind.Error ? "lambda" : "rho"];

    /// <summary>σ̂², the variance of ε.</summary>
    public double Sigma2 => this["sigma2"].Estimate;

    /// <summary>The impact of regressor <paramref name="name"/>; an input error listing the regressors otherwise.</summary>
    public SpatialImpact Impact(string name) => Impacts.FirstOrDefault(i => i.Name == name)
        ?? throw new InputException($"no impact for '{name}'" + (Model == SpatialModelKind.Error ? " (the error model has no spillovers through y)" : "") +
                                    $"; regressors: {string.Join(", ", Impacts.Select(i => i.Name))}");

    /// <summary>
    /// The model's mean response of y to changes of one regressor, with a delta-method standard error: for each
    /// scenario (a change Δx of <paramref name="regressor"/> over W's units, and the units whose response is
    /// averaged), Δy = (I − ρW)⁻¹(βΔx + θWΔx); the result is the mean of Δy over all (scenario, unit) pairs. For
    /// example, the spillover the estimates imply for untreated cities: Δx = the treatment vector of a year, units =
    /// the untreated cities of that year. <paramref name="w"/> must be the W of the fit (units in W's order).
    /// </summary>
    public (double Estimate, double StdError) MeanResponse(SpatialWeights w, string regressor,
        IReadOnlyList<(double[] Change, IReadOnlyList<int> Units)> scenarios)
    {
        if (Model == SpatialModelKind.Error) throw new InputException("the error model's response of y is βΔx: no spillover through y.");
        if (w.Count != Units || w.Description != WeightsDescription)
            throw new InputException($"MeanResponse needs the W of the fit ({WeightsDescription}, {Units} units); got {w.Description}, {w.Count} units.");
        int n = w.Count, bi = Coefficients.IndexOf(this[regressor]);
        int ti = Coefficients.Select(c => c.Name).ToList().IndexOf("W*" + regressor), ri = Coefficients.IndexOf(Rho);
        double b = Coefficients[bi].Estimate, th = ti >= 0 ? Coefficients[ti].Estimate : 0, rho = Rho.Estimate;
        var (si, _) = SpatialMl.Inverse(w, rho);
        double[] Mul(double[] m, double[] v) { var r = new double[n]; for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += m[i * n + j] * v[j]; r[i] = s; } return r; }
        double sumB = 0, sumT = 0, sumR = 0; int count = 0;
        foreach (var (dx, units) in scenarios)
        {
            if (dx.Length != n) throw new ArgumentException($"a change needs {n} values (one per unit of W)");
            var wdx = w.Lag(dx);
            var sdx = Mul(si, dx); var swdx = Mul(si, wdx);                    // S⁻¹Δx, S⁻¹WΔx
            var u = new double[n]; for (int i = 0; i < n; i++) u[i] = b * sdx[i] + th * swdx[i];
            var dr = Mul(si, w.Lag(u));                                         // dΔy/dρ = S⁻¹W S⁻¹(βΔx + θWΔx)
            foreach (var j in units) { sumB += sdx[j]; sumT += swdx[j]; sumR += dr[j]; count++; }
        }
        if (count == 0) throw new InputException("MeanResponse: no units to average over.");
        double gb = sumB / count, gt = sumT / count, gr = sumR / count;
        double est = b * gb + th * gt;
        int k = Coefficients.Length;
        (int Index, double Grad)[] g = ti >= 0 ? [(bi, gb), (ti, gt), (ri, gr)] : [(bi, gb), (ri, gr)];
        double v = 0;
        foreach (var (a, ga) in g) foreach (var (c, gc) in g) v += ga * Variance.Matrix[a * k + c] * gc;
        return (est, Math.Sqrt(v));
    }

    /// <summary>How the effects were handled, in words.</summary>
    public string MethodDescription => !UnitEffects && !TimeEffects ? "maximum likelihood (no fixed effects)"
        : Method == SpatialFeMethod.LeeYu ? "maximum likelihood, Lee–Yu (2010) transformation of the fixed effects"
        : "maximum likelihood, fixed effects estimated directly, Lee–Yu (2010) bias correction";

    /// <summary>Log-likelihood, σ̂² (also a coefficient, shown here with more digits), and the numbers of units and periods.</summary>
    public override IEnumerable<FitStatistic> FitStatistics() =>
        [new("loglik", "Log-likelihood", LogLikelihood, 2), new("sigma2", "σ²", Sigma2, 8), new("units", "Units", Units, 0), new("periods", "Periods", Periods, 0)];

    /// <summary>The method, W, the variance convention, the sample.</summary>
    public override ImmutableArray<string> Notes()
    {
        var notes = new List<string>
        {
            $"{ModelName}: {MethodDescription}; log|I − ρW| from the eigenvalues of W; {Inv($"{EffectiveNobs:0}")} effective observations.",
            $"W: {WeightsDescription}; admissible ρ in ({Inv($"{RhoBounds.Lower:0.###}")}, {Inv($"{RhoBounds.Upper:0.###}")}).",
            Variance.Description,
        };
        if (Uncorrected.Length > 0)
            notes.Add($"Bias correction θ¹ = θ̂ + Σ̂⁻¹(a/T + b/n) moved {(Model == SpatialModelKind.Error ? "λ" : "ρ")} from {Inv($"{Uncorrected[^2]:0.####}")} and σ² from {Inv($"{Uncorrected[^1]:0.######}")}.");
        notes.AddRange(Sample.Notes(null));
        return [.. notes];
    }

    private string ModelName => Model switch { SpatialModelKind.Durbin => "Spatial Durbin model", SpatialModelKind.Lag => "Spatial lag model", _ => "Spatial error model" };

    /// <summary>
    /// The impacts as a table: direct, indirect (spillover) and total effect of each regressor with delta-method
    /// standard errors in parentheses (and simulated ones in brackets when simulated).
    /// </summary>
    public Table ImpactsTable(string? id = null, string? title = null)
    {
        bool sim = SimulationDraws > 0;
        var rows = Impacts.Select(i => new TableRow(i.Name, Num(i.Direct), Se(i.DirectSe, i.DirectSimSe, sim), Num(i.Indirect), Se(i.IndirectSe, i.IndirectSimSe, sim),
            Num(i.Total), Se(i.TotalSe, i.TotalSimSe, sim)));
        var notes = new List<string>
        {
            "LeSage & Pace (2009): direct = mean of the diagonal of S⁻¹(βI + θW), total = mean row sum, indirect = total − direct, S = I − ρW.",
            "Standard errors by the delta method (analytical gradient in β, θ, ρ)" +
                (sim ? Inv($"; in brackets, the standard deviation over {SimulationDraws} draws from N(θ̂, V̂) (seed {Seed}).") : "."),
            $"{ModelName}, {MethodDescription}; W: {WeightsDescription}.",
        };
        return new Table(id ?? Estimator + "_impacts", title ?? $"Direct, indirect and total effects: {Formula}",
            ["", "Direct", "SE", "Indirect", "SE", "Total", "SE"], rows, notes);
    }

    private static string Se(double delta, double sim, bool withSim) =>
        "(" + Num(delta) + ")" + (withSim && !double.IsNaN(sim) ? " [" + Num(sim) + "]" : "");

    /// <summary>
    /// The JSON of every estimator (<see cref="EstimationResult.ToJson"/>) plus a top-level <c>impacts</c> array:
    /// {<c>name</c>, <c>direct</c>, <c>indirect</c>, <c>total</c>, <c>direct_se</c>, <c>indirect_se</c>, <c>total_se</c>}
    /// and, when simulated, <c>direct_se_sim</c>, <c>indirect_se_sim</c>, <c>total_se_sim</c>.
    /// </summary>
    public string ToJsonWithImpacts() => ResultJson.Object(w =>
    {
        ResultJson.Write(w, this);
        w.WriteStartArray("impacts");
        foreach (var i in Impacts)
        {
            w.WriteStartObject();
            w.WriteString("name", i.Name);
            ResultJson.Num(w, "direct", i.Direct); ResultJson.Num(w, "indirect", i.Indirect); ResultJson.Num(w, "total", i.Total);
            ResultJson.Num(w, "direct_se", i.DirectSe); ResultJson.Num(w, "indirect_se", i.IndirectSe); ResultJson.Num(w, "total_se", i.TotalSe);
            if (SimulationDraws > 0)
            {
                ResultJson.Num(w, "direct_se_sim", i.DirectSimSe); ResultJson.Num(w, "indirect_se_sim", i.IndirectSimSe); ResultJson.Num(w, "total_se_sim", i.TotalSimSe);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Model, method, W, dimensions, admissible interval and, for the direct approach, the uncorrected estimates.</summary>
    protected internal override void WriteJsonDiagnostics(Utf8JsonWriter w)
    {
        w.WriteString("model", Estimator);
        w.WriteString("method", !UnitEffects && !TimeEffects ? "ml" : Method == SpatialFeMethod.LeeYu ? "lee-yu" : "direct");
        w.WriteString("weights", WeightsDescription);
        w.WriteNumber("units", Units); w.WriteNumber("periods", Periods);
        ResultJson.Num(w, "effective_nobs", EffectiveNobs);
        ResultJson.Num(w, "rho_lower", RhoBounds.Lower); ResultJson.Num(w, "rho_upper", RhoBounds.Upper);
        if (Uncorrected.Length > 0)
        {
            w.WriteStartObject("uncorrected");
            for (int j = 0; j < Coefficients.Length; j++) ResultJson.Num(w, Coefficients[j].Name, Uncorrected[j]);
            w.WriteEndObject();
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
