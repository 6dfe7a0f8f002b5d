using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Staggered;

/// <summary>Choices of <see cref="ImputationDid"/>.</summary>
/// <param name="PreTrendLeads">Number of leads (event times −1 … −K) in the pre-trend test on untreated observations (0: no test).</param>
/// <param name="Tolerance">Convergence tolerance of the two-way fixed-effects solves (largest change relative to the outcome's scale).</param>
public sealed record ImputationDidOptions(int PreTrendLeads = 3, double Tolerance = 1e-13)
{
    /// <summary>Three leads in the pre-trend test.</summary>
    public static ImputationDidOptions Default { get; } = new();
}

/// <summary>
/// Borusyak, Jaravel &amp; Spiess (2024, Review of Economic Studies 91(6)) imputation estimator. Step 1:
/// unit and period fixed effects fitted by OLS on the untreated observations Ω₀ only (never-treated units and
/// treated units before their first treated period): Y_it = α_i + λ_t + ε_it. Step 2: effects imputed on the
/// treated observations Ω₁, τ̂_it = Y_it − α̂_i − λ̂_t. Step 3: averages τ̂_w = Σ w_it τ̂_it, overall (w = 1/N₁)
/// and by event time h = t − E_i (w = 1/N_h). The estimator is linear in Y with weights v_it = w_it on Ω₁ and
/// v = −Z₀(Z₀′Z₀)⁻¹Z₁′w₁ on Ω₀ (Z the fixed-effect dummies); the conservative variance (BJS Theorem 3, as the
/// didimputation R package) is Σ_i (Σ_t v_it ε̃_it)², clustered by unit, with ε̃ the step-1 residual on Ω₀
/// and τ̂_it − τ̄_gt on Ω₁, τ̄_gt the v²-weighted mean of τ̂ within cohort × period cells. Both two-way
/// least-squares problems are solved by block Gauss–Seidel sweeps (alternating unit and period means) to
/// <see cref="ImputationDidOptions.Tolerance"/>. The pre-trend test (BJS Test 1) regresses Y on lead dummies
/// 1[h = −1] … 1[h = −K] with unit and period fixed effects on Ω₀ only (<see cref="Feols"/>, clustered by
/// unit, singletons kept as fixest does: units with one untreated observation are absorbed by their fixed effect) and tests the leads jointly (F on F(K, n − K_all), fixest's <c>wald()</c>). Units treated in the
/// first period have no untreated observation and are dropped.
/// </summary>
public static class ImputationDid
{
    /// <summary>Estimate from a long table: <paramref name="cohort"/> is each unit's first treated period (0 or missing: never treated).</summary>
    public static ImputationDidResult Fit(ColumnTable data, string outcome, string unit, string time, string cohort, ImputationDidOptions? options = null)
    {
        options ??= ImputationDidOptions.Default;
        var panel = StaggeredPanel.Build(data, unit, time, cohort);
        int T = panel.T;
        double first = panel.Periods[0];
        var units = Enumerable.Range(0, panel.N).Where(i => panel.Cohorts[i] == 0 || panel.Cohorts[i] > first).ToArray();
        int alwaysDropped = panel.N - units.Length, n = units.Length;
        var yAll = panel.Matrix(outcome);
        var y = new double[n * T];
        var g = new double[n];
        var treated = new bool[n * T];
        var h = new int[n * T];
        for (int a = 0; a < n; a++)
        {
            g[a] = panel.Cohorts[units[a]];
            for (int t = 0; t < T; t++)
            {
                y[a * T + t] = yAll[units[a] * T + t];
                treated[a * T + t] = g[a] != 0 && panel.Periods[t] >= g[a];
                h[a * T + t] = g[a] != 0 ? (int)(panel.Periods[t] - g[a]) : int.MinValue;
            }
        }
        if (!treated.Any(x => x)) throw new InputException($"{data.Source}: no treated observation (every '{cohort}' is 0, missing or after the last period).");
        var solver = new TwoWaySolver(n, T, treated, options.Tolerance);
        // step 1: fixed effects on untreated observations
        var (alpha, lambda) = solver.Fit(y);
        var adj = new double[n * T];
        for (int a = 0; a < n; a++) for (int t = 0; t < T; t++) adj[a * T + t] = y[a * T + t] - alpha[a] - lambda[t];

        // targets: overall and each event time h >= 0
        var targets = new List<(string Name, string Label, int H, double[] W)>();
        int n1 = treated.Count(x => x);
        targets.Add(("ATT", "overall", int.MinValue, treated.Select(x => x ? 1.0 / n1 : 0).ToArray()));
        foreach (var e in Enumerable.Range(0, n * T).Where(k => treated[k]).Select(k => h[k]).Distinct().Order())
        {
            int ne = Enumerable.Range(0, n * T).Count(k => treated[k] && h[k] == e);
            targets.Add(("event_time::" + e.ToString(CultureInfo.InvariantCulture), e.ToString(CultureInfo.InvariantCulture), e,
                Enumerable.Range(0, n * T).Select(k => treated[k] && h[k] == e ? 1.0 / ne : 0).ToArray()));
        }
        var est = new double[targets.Count];
        var scores = new double[targets.Count][];
        var counts = new int[targets.Count];
        for (int q = 0; q < targets.Count; q++)
        {
            var w = targets[q].W;
            double s = 0;
            for (int k = 0; k < w.Length; k++) if (treated[k]) s += w[k] * adj[k];
            est[q] = s;
            counts[q] = w.Count(x => x != 0);
            // v: w on treated; -(alpha_i + lambda_t) of the solve Z0'Z0 gamma = Z1'w1 on untreated
            var (ga, gl) = solver.SolveNormal(w);
            var v = new double[n * T];
            for (int a = 0; a < n; a++)
                for (int t = 0; t < T; t++)
                {
                    int k = a * T + t;
                    v[k] = treated[k] ? w[k] : -(ga[a] + gl[t]);
                }
            // tau_bar within cohort x period cells (v^2-weighted), e_tilde, unit scores
            var etil = (double[])adj.Clone();
            var cellNum = new Dictionary<(double, int), double>();
            var cellDen = new Dictionary<(double, int), double>();
            for (int a = 0; a < n; a++)
                for (int t = 0; t < T; t++)
                {
                    int k = a * T + t;
                    if (!treated[k]) continue;
                    var key = (g[a], t);
                    cellNum[key] = cellNum.GetValueOrDefault(key) + v[k] * v[k] * adj[k];
                    cellDen[key] = cellDen.GetValueOrDefault(key) + v[k] * v[k];
                }
            for (int a = 0; a < n; a++)
                for (int t = 0; t < T; t++)
                {
                    int k = a * T + t;
                    if (!treated[k]) continue;
                    var key = (g[a], t);
                    double den = cellDen[key];
                    etil[k] = adj[k] - (den > 0 ? cellNum[key] / den : 0);
                }
            var sc = new double[n];
            for (int a = 0; a < n; a++)
            {
                double s2 = 0;
                for (int t = 0; t < T; t++) s2 += v[a * T + t] * etil[a * T + t];
                sc[a] = s2;
            }
            scores[q] = sc;
        }
        int m = targets.Count;
        var vmat = new double[m * m];
        for (int a = 0; a < m; a++) for (int b = 0; b < m; b++) vmat[a * m + b] = Vectors.Dot(scores[a], scores[b]);
        var variance = new VcovEstimate([.. vmat], double.PositiveInfinity, m, 1, [(unit, n)],
            "Conservative variance of Borusyak, Jaravel & Spiess (2024, Theorem 3): Σ_i (Σ_t v_it ε̃_it)², clustered by unit, τ̄ by cohort × period; normal (z) intervals.");
        var coefs = Coefficient.FromEstimates([.. targets.Select(x => x.Name)], est, variance);

        // pre-trend test on untreated observations
        FeolsResult? pre = null;
        TestStatistic? preTest = null;
        var path = new List<EventTimeEstimate>();
        if (options.PreTrendLeads > 0)
        {
            var rows = new bool[data.RowCount];
            var ids = data.Text(unit);
            var tcol = data.Numeric(time);
            var unitPos = panel.Units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => x.i, StringComparer.Ordinal);
            var rel = new double[data.RowCount];
            for (int r = 0; r < data.RowCount; r++)
            {
                double gr = panel.Cohorts[unitPos[ids[r]!]];
                bool always = gr != 0 && gr <= first;
                rows[r] = !always && (gr == 0 || tcol[r] < gr);
                rel[r] = gr == 0 ? double.NaN : tcol[r] - gr;
            }
            var d0 = data.Where(rows);
            var rel0 = rel.Where((_, r) => rows[r]).ToArray();
            var leads = new List<string>();
            for (int k = 1; k <= options.PreTrendLeads; k++)
            {
                var col = rel0.Select(x => x == -k ? 1.0 : 0.0).ToArray();
                if (col.All(x => x == 0)) continue;
                string name = "lead::" + (-k).ToString(CultureInfo.InvariantCulture);
                d0 = d0.With(name, col);
                leads.Add(name);
            }
            if (leads.Count > 0)
            {
                string Q(string s) => "`" + s + "`";
                pre = Feols.Fit(d0, $"{Q(outcome)} ~ {string.Join(" + ", leads.Select(Q))} | {Q(unit)} + {Q(time)}", Vcov.Cluster(unit),
                    new FeolsOptions(DropSingletons: false));
                var keptLeads = leads.Where(l => pre.Coefficients.Any(c => c.Name == l)).ToArray();
                if (keptLeads.Length > 0)
                {
                    preTest = pre.Wald(keptLeads) with { Name = "Pre-trend test (BJS, untreated observations)", Null = "the leads are jointly zero on untreated observations" };
                    foreach (var l in keptLeads)
                    {
                        var c = pre[l];
                        int e = int.Parse(l["lead::".Length..], CultureInfo.InvariantCulture);
                        path.Add(new EventTimeEstimate(e, e.ToString(CultureInfo.InvariantCulture), c.Estimate, c.StdError, c.CiLow, c.CiHigh, false, false));
                    }
                }
            }
        }
        foreach (var c in coefs.Skip(1))
        {
            int e = int.Parse(c.Name["event_time::".Length..], CultureInfo.InvariantCulture);
            path.Add(new EventTimeEstimate(e, e.ToString(CultureInfo.InvariantCulture), c.Estimate, c.StdError, c.CiLow, c.CiHigh, false, false));
        }
        path.Sort((a, b) => a.EventTime.CompareTo(b.EventTime));
        var sample = new SampleInfo(n * T, 0, 0, [], [(unit, n), (time, T)]);
        return new ImputationDidResult($"Imputation (BJS) of {outcome}: unit {unit}, time {time}, cohort {cohort}", coefs, variance,
            "cluster:" + unit, sample, [.. counts], treated.Count(x => !x), n1, pre, preTest, [.. path], alwaysDropped, solver.Sweeps);
    }

    /// <summary>
    /// Two-way (unit + period) least squares restricted to the untreated cells of an N×T grid, by block
    /// Gauss–Seidel: α_i ← (b_i − Σ_{t∈Ω₀(i)} λ_t)/n_i, λ_t ← (c_t − Σ_{i∈Ω₀(t)} α_i)/n_t until the largest
    /// change is below tol × scale.
    /// </summary>
    internal sealed class TwoWaySolver(int n, int T, bool[] treated, double tol)
    {
        public int Sweeps { get; private set; }
        private readonly int[] _nu = Enumerable.Range(0, n).Select(a => Enumerable.Range(0, T).Count(t => !treated[a * T + t])).ToArray();
        private readonly int[] _nt = Enumerable.Range(0, T).Select(t => Enumerable.Range(0, n).Count(a => !treated[a * T + t])).ToArray();

        /// <summary>Fit y = α_i + λ_t on untreated cells.</summary>
        public (double[] Alpha, double[] Lambda) Fit(double[] y)
        {
            var b = new double[n];
            var c = new double[T];
            for (int a = 0; a < n; a++)
                for (int t = 0; t < T; t++)
                    if (!treated[a * T + t]) { b[a] += y[a * T + t]; c[t] += y[a * T + t]; }
            return Solve(b, c, y.Select(Math.Abs).Max());
        }

        /// <summary>Solve Z₀′Z₀ γ = Z₁′w₁ (unit and period sums of w over treated cells).</summary>
        public (double[] Alpha, double[] Lambda) SolveNormal(double[] w)
        {
            var b = new double[n];
            var c = new double[T];
            for (int a = 0; a < n; a++)
                for (int t = 0; t < T; t++)
                    if (treated[a * T + t]) { b[a] += w[a * T + t]; c[t] += w[a * T + t]; }
            return Solve(b, c, Math.Max(b.Max(Math.Abs), c.Max(Math.Abs)));
        }

        private (double[], double[]) Solve(double[] b, double[] c, double scale)
        {
            foreach (var (count, i) in _nu.Select((x, i) => (x, i)))
                if (count == 0 && b[i] != 0) throw new InputException("a unit has no untreated observation; its fixed effect cannot be imputed.");
            var alpha = new double[n];
            var lambda = new double[T];
            if (scale == 0) return (alpha, lambda);
            for (int sweep = 1; sweep <= 100_000; sweep++)
            {
                double change = 0;
                for (int a = 0; a < n; a++)
                {
                    if (_nu[a] == 0) continue;
                    double s = b[a];
                    for (int t = 0; t < T; t++) if (!treated[a * T + t]) s -= lambda[t];
                    double v = s / _nu[a];
                    change = Math.Max(change, Math.Abs(v - alpha[a]));
                    alpha[a] = v;
                }
                for (int t = 0; t < T; t++)
                {
                    if (_nt[t] == 0) continue;
                    double s = c[t];
                    for (int a = 0; a < n; a++) if (!treated[a * T + t]) s -= alpha[a];
                    double v = s / _nt[t];
                    change = Math.Max(change, Math.Abs(v - lambda[t]));
                    lambda[t] = v;
                }
                Sweeps = Math.Max(Sweeps, sweep);
                if (change <= tol * scale) return (alpha, lambda);
            }
            throw new InputException("the two-way fixed-effects solve on untreated observations did not converge in 100,000 sweeps (is the untreated sample connected?).");
        }
    }
}

/// <summary>The result of <see cref="ImputationDid"/>: coefficients <c>ATT</c> and <c>event_time::h</c> (h ≥ 0) with the conservative variance.</summary>
/// <param name="Formula">Description.</param>
/// <param name="Coefficients">ATT and the effect at each event time h ≥ 0.</param>
/// <param name="Variance">Conservative variance (cross-products of the unit scores Σ_t v_it ε̃_it).</param>
/// <param name="VcovName">cluster:UNIT.</param>
/// <param name="Sample">Observations (units × periods).</param>
/// <param name="TreatedCounts">Treated observations behind each coefficient.</param>
/// <param name="UntreatedObservations">Observations in Ω₀.</param>
/// <param name="TreatedObservations">Observations in Ω₁.</param>
/// <param name="PreTrendRegression">The lead regression on untreated observations (null without leads).</param>
/// <param name="PreTrend">Its joint test of the leads.</param>
/// <param name="Path">Leads (from the pre-trend regression) and imputed effects by event time, for plotting.</param>
/// <param name="AlwaysTreatedDropped">Units dropped because they are treated in the first period.</param>
/// <param name="Sweeps">Largest number of Gauss–Seidel sweeps used by a fixed-effects solve.</param>
public sealed record ImputationDidResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, string VcovName, SampleInfo Sample,
    ImmutableArray<int> TreatedCounts, int UntreatedObservations, int TreatedObservations, FeolsResult? PreTrendRegression, TestStatistic? PreTrend,
    ImmutableArray<EventTimeEstimate> Path, int AlwaysTreatedDropped, int Sweeps)
    : EstimationResult(Formula, Coefficients, Variance, VcovName, Sample)
{
    /// <inheritdoc/>
    public override string Estimator => "imputation";

    /// <summary>The overall ATT (average of the imputed effects over all treated observations).</summary>
    public Coefficient Att => this["ATT"];

    /// <inheritdoc/>
    public override IEnumerable<TestStatistic> Tests() => PreTrend is { } t ? [t] : [];

    /// <inheritdoc/>
    public override ImmutableArray<string> Notes()
    {
        var notes = new List<string>
        {
            $"Borusyak, Jaravel & Spiess (2024) imputation: unit and period fixed effects fitted on the {UntreatedObservations} untreated observations only, effects imputed on the {TreatedObservations} treated ones and averaged (overall, and by event time).",
            Variance.Description,
        };
        if (PreTrend is { } t)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Pre-trend test on untreated observations ({t.Df1} leads, clustered): F({t.Df1}, {t.Df2}) = {t.Statistic:F3}, p = {t.PValue:F4}."));
        if (AlwaysTreatedDropped > 0) notes.Add($"Dropped: {AlwaysTreatedDropped} unit(s) treated in the first period (no untreated observation).");
        return [.. notes];
    }

    /// <summary>Writes <c>dynamic</c>, <c>overall</c> and <c>pretest</c> at the top level of the JSON.</summary>
    protected internal override void WriteJsonMembers(Utf8JsonWriter w)
    {
        StaggeredJson.Dynamic(w, Path);
        StaggeredJson.Overall(w, Att.Estimate, Att.StdError, Att.CiLow, Att.CiHigh);
        StaggeredJson.PreTest(w, PreTrend);
    }
}
