using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Spatial;

/// <summary>The spatial model of <see cref="SpatialDurbin"/>.</summary>
public enum SpatialModelKind
{
    /// <summary>Spatial Durbin: y_t = ρWy_t + X_tβ + WX_tθ + effects + ε_t.</summary>
    Durbin,
    /// <summary>Spatial lag (SAR): the Durbin model with θ = 0.</summary>
    Lag,
    /// <summary>Spatial error (SEM): y_t = X_tβ + effects + u_t, u_t = λWu_t + ε_t.</summary>
    Error,
}

/// <summary>How the fixed effects enter the likelihood (Lee &amp; Yu 2010).</summary>
public enum SpatialFeMethod
{
    /// <summary>
    /// Transformation approach (default): the effects are removed by orthonormal transformations, leaving
    /// (n − 1)(T − 1) observations with two-way effects and the Jacobian (T − 1)[log|I − ρW| − log(1 − ρ)];
    /// consistent for every parameter with T fixed.
    /// </summary>
    LeeYu,
    /// <summary>
    /// Direct approach: the effects are estimated as parameters (nT observations, Jacobian T log|I − ρW|),
    /// then Lee &amp; Yu's analytical bias correction is applied.
    /// </summary>
    Direct,
}

/// <summary>Options of <see cref="SpatialDurbin"/>.</summary>
/// <param name="Model">Durbin (default), lag (SAR) or error (SEM).</param>
/// <param name="Method">Lee–Yu transformation (default) or the direct approach with bias correction.</param>
/// <param name="Unit">The unit column (default: the first fixed effect of the formula). Its values must be W's units.</param>
/// <param name="Time">The period column (default: the second fixed effect; none for a cross-section).</param>
/// <param name="SimulationDraws">Draws for simulated impact standard errors (0: delta method only).</param>
/// <param name="Seed">Seed of the simulation draws (<see cref="SplitMix64"/>).</param>
public sealed record SpatialDurbinOptions(SpatialModelKind Model = SpatialModelKind.Durbin, SpatialFeMethod Method = SpatialFeMethod.LeeYu,
    string? Unit = null, string? Time = null, int SimulationDraws = 0, ulong Seed = 20260112);

/// <summary>
/// The spatial Durbin model with unit and/or period fixed effects by maximum likelihood, and its special
/// cases SAR and SEM, on a balanced panel (or a cross-section):
/// y_t = ρWy_t + X_tβ + WX_tθ + μ + α_tι + ε_t, with every regressor also entered as its spatial lag W·x, so
/// that W·treat is the policy's spillover term; LeSage–Pace direct, indirect and total effects with delta-method
/// (and optionally simulated) standard errors.
/// </summary>
/// <remarks>
/// Formula: <c>y ~ d + x1 | unit + year</c>; the first fixed effect is the unit (its values must be W's units),
/// the second the period (override with <see cref="SpatialDurbinOptions.Unit"/>, <see cref="SpatialDurbinOptions.Time"/>).
/// Without fixed effects the model has an intercept (whose spatial lag is left out when W is row-standardised,
/// as spatialreg does). Period effects need a row-standardised W (Wι = ι). The log-determinant comes from
/// W's eigenvalues, computed once per weights object. Standard errors from the expected information matrix
/// (Lee &amp; Yu 2010; spatialreg's "asy" variance for <c>method = "eigen"</c>), z inference.
/// References: Lee, L.-f. and Yu, J. (2010), Estimation of spatial autoregressive panel data models with fixed
/// effects, J. Econometrics 154, 165–185; LeSage, J. and Pace, R. K. (2009), Introduction to Spatial
/// Econometrics, ch. 2.7; Elhorst, J. P. (2014), Spatial Econometrics, ch. 3.
/// </remarks>
public static class SpatialDurbin
{
    /// <summary>Fit the model (see the class remarks).</summary>
    public static SpatialDurbinResult Fit(ColumnTable data, string formula, SpatialWeights weights, SpatialDurbinOptions? options = null) =>
        Fit(data, Formula.Parse(formula), weights, options);

    /// <inheritdoc cref="Fit(ColumnTable, string, SpatialWeights, SpatialDurbinOptions?)"/>
    public static SpatialDurbinResult Fit(ColumnTable data, Formula formula, SpatialWeights weights, SpatialDurbinOptions? options = null)
    {
        var o = options ?? new SpatialDurbinOptions();
        if (o.SimulationDraws < 0) throw new InputException("spatial model: the number of simulation draws must be ≥ 0.");
        var prep = Prepare(data, formula, weights, o);
        var p = prep.Problem;
        var est = o.Model == SpatialModelKind.Error ? SpatialMl.FitError(p) : SpatialMl.FitLag(p);
        string par = o.Model == SpatialModelKind.Error ? "lambda" : "rho";
        var names = prep.Names.Append(par).Append("sigma2").ToImmutableArray();
        int q = names.Length;
        var vcov = new VcovEstimate([.. est.Vcov], double.PositiveInfinity, q, 1, [],
            "Standard errors from the expected information matrix (Lee & Yu 2010; spatialreg's asymptotic variance); z tests.");
        var coefs = Coefficient.FromEstimates(names, est.Theta, vcov);
        var impacts = ImmutableArray<SpatialImpact>.Empty;
        if (o.Model != SpatialModelKind.Error)
        {
            var xs = prep.Names.Where(nm => nm != "(Intercept)" && !nm.StartsWith("W*", StringComparison.Ordinal)).ToList();
            var bi = xs.Select(x => prep.Names.IndexOf(x)).ToArray();
            var ti = xs.Select(x => prep.Names.IndexOf("W*" + x)).ToArray();
            impacts = SpatialImpacts.Compute(xs, bi, ti, prep.Names.Length, est.Theta, est.Vcov, q, est.Si, est.G, p.W, o.SimulationDraws, o.Seed);
        }
        var sample = new SampleInfo(p.Spec.N * p.Spec.T, 0, 0, prep.Collinear, prep.FixedEffects);
        return new SpatialDurbinResult(formula.Text, coefs, vcov, sample, o.Model, o.Method, p.W.Description, p.Spec.N, p.Spec.T,
            p.Spec.EffN, est.LogLik, impacts, est.Uncorrected is null ? [] : [.. est.Uncorrected], p.W.RhoBounds,
            o.SimulationDraws, o.Seed, prep.UnitFe, prep.TimeFe);
    }

    /// <summary>
    /// The concentrated (profile) log-likelihood of the lag/Durbin model at each ρ of <paramref name="rhos"/> (β and σ² at
    /// their optimum given ρ), on the same scale as <see cref="SpatialDurbinResult.LogLikelihood"/>: to see how
    /// sharply the data identify ρ, or that they do not.
    /// </summary>
    public static ImmutableArray<(double Rho, double LogLikelihood)> Profile(ColumnTable data, string formula, SpatialWeights weights,
        IReadOnlyList<double> rhos, SpatialDurbinOptions? options = null)
    {
        var o = options ?? new SpatialDurbinOptions();
        if (o.Model == SpatialModelKind.Error) throw new InputException("the profile likelihood is available for the lag and Durbin models.");
        var (lo, hi) = weights.RhoBounds;
        foreach (var r in rhos)
            if (!(r > lo && r < hi)) throw new InputException(string.Create(CultureInfo.InvariantCulture, $"ρ = {r} is outside W's admissible interval ({lo:0.###}, {hi:0.###})."));
        var prep = Prepare(data, Formula.Parse(formula), weights, o);
        var ll = SpatialMl.ProfileLag(prep.Problem, rhos);
        return [.. rhos.Select((r, i) => (r, ll[i]))];
    }

    private sealed record Prepared(SpatialMl.Problem Problem, ImmutableArray<string> Names, ImmutableArray<string> Collinear,
        ImmutableArray<(string, int)> FixedEffects, bool UnitFe, bool TimeFe);

    private static Prepared Prepare(ColumnTable data, Formula formula, SpatialWeights weights, SpatialDurbinOptions o)
    {
        if (formula.Iv is not null) throw new InputException("spatial model: the formula has an IV part; spatial models take 'y ~ x1 + x2 | unit + time'.");
        foreach (var fe in formula.FixedEffects)
            if (fe.Parts.Length > 1) throw new InputException($"spatial model: fixed effect '{fe.Name}' combines factors; spatial models take unit and/or period effects only ('| unit + time').");
        var feNames = formula.FixedEffects.Select(f => f.Name).ToList();
        if (feNames.Count > 2) throw new InputException($"spatial model: {feNames.Count} fixed effects given; at most two (unit and period).");
        string? unit = o.Unit ?? (feNames.Count >= 1 && feNames[0] != o.Time ? feNames[0] : null);
        string? time = o.Time ?? (feNames.Count == 2 ? feNames[1] : null);
        if (unit is null) throw new InputException("spatial model: name the unit column (the first fixed effect, or the unit option), whose values are W's units.");
        if (time is not null && time == unit) throw new InputException($"spatial model: '{unit}' cannot be both the unit and the period.");
        foreach (var f in feNames)
            if (f != unit && f != time)
                throw new InputException($"spatial model: fixed effect '{f}' is neither the unit ('{unit}') nor the period ('{time ?? "none"}').");
        bool unitFe = feNames.Contains(unit), timeFe = time is not null && feNames.Contains(time);
        if (timeFe && !weights.RowStandardised)
            throw new InputException($"spatial model: period fixed effects need a row-standardised W (Wι = ι); the weights are {weights.Description}.");

        var panel = SpatialPanel.Arrange(data, [], unit, time, weights);
        int n = panel.N, T = panel.T;
        if (unitFe && T < 2) throw new InputException("spatial model: unit fixed effects need at least two periods.");
        var frame = ModelFrame.Build(formula, data, [], null, dropSingletons: false);
        if (frame.MissingDropped > 0) throw MissingValue(data, formula, frame);
        var design = new DemeanedDesign(frame, new FeolsOptions(DropSingletons: false));
        var grid = panel.SourceRows;                       // grid position → data row (= sample row: nothing dropped)
        double[] ToGrid(double[] sampleOrder) { var r = new double[grid.Length]; for (int k = 0; k < r.Length; k++) r[k] = sampleOrder[grid[k]]; return r; }
        double[] Transform(double[] g)
        {
            var s = new double[g.Length];
            for (int k = 0; k < g.Length; k++) s[grid[k]] = g[k];
            return ToGrid(design.Transform(s));
        }

        var names = new List<string>(); var raw = new List<double[]>();
        for (int j = 0; j < frame.Names.Length; j++) { names.Add(frame.Names[j]); raw.Add(ToGrid(frame.X[j])); }
        if (o.Model == SpatialModelKind.Durbin)
            for (int j = 0; j < frame.Names.Length; j++)
            {
                if (frame.Names[j] == "(Intercept)" && weights.RowStandardised) continue;   // W·1 = 1
                names.Add("W*" + frame.Names[j]); raw.Add(panel.Weights.LagPanel(ToGrid(frame.X[j])));
            }
        if (names.Count == 0) throw new InputException($"spatial model '{formula.Text}': no regressors.");
        var xt = raw.Select(Transform).ToArray();
        var y = ToGrid(frame.Y);
        // collinear columns (e.g. W·x absorbed by the effects) are dropped as Feols drops them, and named
        var sol = OlsSolver.Solve(xt, Transform(y), raw.Select(c => Math.Sqrt(c.Sum(v => v * v))).ToArray());
        var kept = sol.Kept;
        var collinear = sol.Dropped.Select(j => names[j]).ToImmutableArray();
        var spec = new SpatialMl.Spec(n, T, unitFe, timeFe, o.Method);
        if (spec.EffN <= kept.Length + 2) throw new InputException($"spatial model '{formula.Text}': {spec.EffN} effective observations for {kept.Length + 2} parameters.");
        var problem = new SpatialMl.Problem(y, [.. kept.Select(j => xt[j])], panel.Weights, spec, Transform, $"spatial model '{formula.Text}'");
        var fes = ImmutableArray.CreateBuilder<(string, int)>();
        if (unitFe) fes.Add((unit, n));
        if (timeFe) fes.Add((time!, T));
        return new Prepared(problem, [.. kept.Select(j => names[j])], collinear, fes.ToImmutable(), unitFe, timeFe);
    }

    private static InputException MissingValue(ColumnTable data, Formula formula, ModelFrame frame)
    {
        var used = new HashSet<int>(frame.Rows);
        int row = Enumerable.Range(0, data.RowCount).First(r => !used.Contains(r));
        var variable = formula.Variables().FirstOrDefault(v => data.IsNumeric(v.Name) && double.IsNaN(data.Numeric(v.Name)[row]))?.Name ?? "a model variable";
        return new InputException($"{data.Source}, row {row + 1}: '{variable}' is missing ({frame.MissingDropped} rows with missing values in all); spatial models need every unit in every period, so fill the value or drop the unit from the panel and from W.");
    }
}
