using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Multiverse;

/// <summary>
/// What one estimator returned in one simulated world: an effect estimate (with its interval), or only a
/// test p-value (a pre-trend test, a permutation test), or a failure.
/// </summary>
/// <param name="Estimate">The effect estimate, or null for a pure test (or a failure).</param>
/// <param name="TestP">The p-value of the estimator's test when it is a test (NaN otherwise); for an effect estimate its <see cref="EffectEstimate.P"/> is used.</param>
/// <param name="Failure">The input error raised in this world, or null.</param>
public sealed record DiagnosisDraw(EffectEstimate? Estimate, double TestP = double.NaN, string? Failure = null)
{
    /// <summary>An effect estimate.</summary>
    public static DiagnosisDraw Of(EffectEstimate estimate) => new(estimate);
    /// <summary>A test's p-value only.</summary>
    public static DiagnosisDraw Test(double p) => new(null, p);

    /// <summary>The p-value that decides rejection: the estimate's (H0: effect = 0) or the test's.</summary>
    public double P => Estimate?.P ?? TestP;
}

/// <summary>
/// An estimator (or test) plugged into a design diagnosis: a function from a simulated world to a
/// <see cref="DiagnosisDraw"/>. The adapter is usually two lines: fit, then <see cref="EffectEstimate.From"/>.
/// </summary>
/// <typeparam name="TWorld">The simulated data set (whatever the estimators read).</typeparam>
/// <param name="Name">Machine name (JSON, tables).</param>
/// <param name="Label">Display name.</param>
/// <param name="Run">The estimator on one world. An <see cref="InputException"/> counts as a failure in that world.</param>
/// <param name="IsTest">True for a test with no effect estimate (only rejection rates are reported).</param>
public sealed record DiagnosisEstimator<TWorld>(string Name, string Label, Func<TWorld, DiagnosisDraw> Run, bool IsTest = false);

/// <summary>A scenario of the data-generating process, e.g. the calibrated effect or a zero effect.</summary>
/// <param name="Name">Machine name.</param>
/// <param name="Label">Display name.</param>
/// <param name="ZeroEffect">True when the true effect is zero in every world: rejection rates are then sizes, otherwise powers.</param>
public sealed record DiagnosisScenario(string Name, string Label, bool ZeroEffect);

/// <summary>One simulated world of one scenario and its true effect (the estimand the estimators are scored against).</summary>
/// <typeparam name="TWorld">The simulated data set.</typeparam>
/// <param name="World">The data.</param>
/// <param name="Truth">The true effect in this world (e.g. the ATT computed from the potential outcomes).</param>
public sealed record ScenarioWorld<TWorld>(TWorld World, double Truth);

/// <summary>Options of <see cref="DesignDiagnosis.Run"/>.</summary>
/// <param name="Worlds">Number of simulated worlds R.</param>
/// <param name="FirstSeed">World w (1 … R) is simulated with seed FirstSeed + w − 1.</param>
/// <param name="Threads">Worlds simulated at once (0: one per processor). The result does not depend on it.</param>
public sealed record DesignDiagnosisOptions(int Worlds = 200, int FirstSeed = 1, int Threads = 0)
{
    internal int DegreeOfParallelism => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>One estimator in one world of one scenario.</summary>
/// <param name="Seed">The world's seed.</param>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Estimator">Estimator name.</param>
/// <param name="Truth">The world's true effect.</param>
/// <param name="Draw">What the estimator returned.</param>
public sealed record WorldDraw(int Seed, string Scenario, string Estimator, double Truth, DiagnosisDraw Draw);

/// <summary>
/// The operating characteristics of one estimator in one scenario over R worlds (Monte Carlo; Morris,
/// White and Crowther 2019, "Using simulation studies to evaluate statistical methods", Statistics in
/// Medicine 38, 2074–2102): with errors e_r = β̂_r − θ_r against each world's truth θ_r,
/// bias = mean e_r, RMSE = √(mean e_r²), SD = standard deviation of β̂_r (n − 1), coverage = share of 95%
/// intervals containing θ_r, rejection rate = share with p &lt; 0.05 (power when the effect is non-zero,
/// size when it is zero). Monte Carlo SE of the bias = SD(e)/√R; of a proportion p̂, √(p̂(1 − p̂)/R).
/// </summary>
/// <param name="Estimator">Estimator name.</param>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Worlds">Worlds with a result (failures excluded).</param>
/// <param name="Failures">Worlds where the estimator raised an input error.</param>
/// <param name="MeanEstimate">Mean β̂ (NaN for a test).</param>
/// <param name="MeanTruth">Mean θ.</param>
/// <param name="Bias">Mean β̂ − θ.</param>
/// <param name="BiasMcse">Monte Carlo SE of the bias.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="SdEstimate">Standard deviation of β̂ over worlds.</param>
/// <param name="MeanStdError">Mean reported SE (compare with SD: are the SEs right?).</param>
/// <param name="Coverage">Share of 95% intervals containing θ.</param>
/// <param name="RejectionRate">Share with p &lt; 0.05.</param>
public sealed record EstimatorDiagnosis(string Estimator, string Scenario, int Worlds, int Failures, double MeanEstimate, double MeanTruth,
    double Bias, double BiasMcse, double Rmse, double SdEstimate, double MeanStdError, double Coverage, double RejectionRate)
{
    /// <summary>
    /// Standard deviation of the errors β̂ − θ over worlds (= <see cref="BiasMcse"/> × √R). Smaller than
    /// <see cref="SdEstimate"/> when each world's true effect moves with its estimate (a sample ATT).
    /// </summary>
    public double SdError => BiasMcse * Math.Sqrt(Worlds);

    /// <summary>Monte Carlo SE of a share over <see cref="Worlds"/> worlds.</summary>
    public double ProportionMcse(double share) => Math.Sqrt(share * (1 - share) / Worlds);
}

/// <summary>
/// Design diagnosis by simulation (in the spirit of DeclareDesign; Blair, Cooper, Coppock and Humphreys
/// 2019, APSR 113(3), 838–859): simulate R worlds from a data-generating process whose truth is known,
/// run every estimator in every world, and score them (<see cref="EstimatorDiagnosis"/>). Worlds are
/// independent and seeded by their index, so they run in parallel and the result is the same on any
/// number of threads: world w's data come from seed FirstSeed + w − 1 only, the estimators run in order
/// inside a world, and results are stored by index and aggregated in index order.
/// </summary>
public static class DesignDiagnosis
{
    /// <summary>Simulate and score.</summary>
    /// <typeparam name="TWorld">The simulated data set.</typeparam>
    /// <param name="scenarios">The scenarios, in the order <paramref name="makeWorlds"/> returns their worlds.</param>
    /// <param name="makeWorlds">seed → one world per scenario (a paired design may derive them from one simulation).</param>
    /// <param name="estimators">The estimators and tests.</param>
    /// <param name="options">R, the first seed, threads.</param>
    public static DesignDiagnosisResult Run<TWorld>(IReadOnlyList<DiagnosisScenario> scenarios, Func<int, IReadOnlyList<ScenarioWorld<TWorld>>> makeWorlds,
        IReadOnlyList<DiagnosisEstimator<TWorld>> estimators, DesignDiagnosisOptions? options = null)
    {
        options ??= new DesignDiagnosisOptions();
        if (options.Worlds < 1) throw new InputException($"a design diagnosis needs at least one world; got {options.Worlds}");
        if (scenarios.Count == 0 || estimators.Count == 0) throw new InputException("a design diagnosis needs at least one scenario and one estimator");
        var perWorld = new WorldDraw[options.Worlds][];
        Parallel.For(0, options.Worlds, new ParallelOptions { MaxDegreeOfParallelism = options.DegreeOfParallelism }, w =>
        {
            int seed = options.FirstSeed + w;
            var worlds = makeWorlds(seed);
            if (worlds.Count != scenarios.Count)
                throw new InvalidOperationException($"the world generator returned {worlds.Count} worlds for seed {seed}; {scenarios.Count} scenarios were declared");
            var draws = new List<WorldDraw>(scenarios.Count * estimators.Count);
            for (int s = 0; s < scenarios.Count; s++)
                foreach (var e in estimators)
                {
                    DiagnosisDraw d;
                    try { d = e.Run(worlds[s].World); }
                    catch (InputException ex) { d = new DiagnosisDraw(null, double.NaN, ex.Message); }
                    draws.Add(new WorldDraw(seed, scenarios[s].Name, e.Name, worlds[s].Truth, d));
                }
            perWorld[w] = [.. draws];
        });
        return new DesignDiagnosisResult([.. scenarios], [.. estimators.Select(e => new DiagnosisEntry(e.Name, e.Label, e.IsTest))],
            [.. perWorld.SelectMany(d => d)], options);
    }
}

/// <summary>An estimator of a diagnosis, without its function: name, label, whether it is a test.</summary>
public sealed record DiagnosisEntry(string Name, string Label, bool IsTest);

/// <summary>
/// The outcome of <see cref="DesignDiagnosis.Run"/>: every draw (world × scenario × estimator) and the
/// scores computed from them. Immutable; the table and figures are built from it.
/// </summary>
/// <param name="Scenarios">The scenarios.</param>
/// <param name="Estimators">The estimators.</param>
/// <param name="Draws">Every draw, by world, then scenario, then estimator.</param>
/// <param name="Options">R, first seed, threads used.</param>
public sealed record DesignDiagnosisResult(ImmutableArray<DiagnosisScenario> Scenarios, ImmutableArray<DiagnosisEntry> Estimators,
    ImmutableArray<WorldDraw> Draws, DesignDiagnosisOptions Options)
{
    /// <summary>The scores of <paramref name="estimator"/> in <paramref name="scenario"/>.</summary>
    public EstimatorDiagnosis Diagnose(string estimator, string scenario)
    {
        var all = Draws.Where(d => d.Estimator == estimator && d.Scenario == scenario).ToList();
        if (all.Count == 0) throw new InputException($"no draws for estimator '{estimator}' in scenario '{scenario}'");
        var ok = all.Where(d => d.Draw.Failure is null).ToList();
        int r = ok.Count;
        var est = ok.Where(d => d.Draw.Estimate is not null).ToList();
        double Mean(IEnumerable<double> v) { var a = v.ToArray(); return a.Length == 0 ? double.NaN : a.Average(); }
        double Sd(IReadOnlyList<double> v)
        {
            if (v.Count < 2) return double.NaN;
            double m = v.Average();
            return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
        }
        var errors = est.Select(d => d.Draw.Estimate!.Estimate - d.Truth).ToList();
        var p = ok.Select(d => d.Draw.P).Where(x => !double.IsNaN(x)).ToList();
        return new EstimatorDiagnosis(estimator, scenario, r, all.Count - r,
            Mean(est.Select(d => d.Draw.Estimate!.Estimate)), Mean(ok.Select(d => d.Truth)),
            Mean(errors), errors.Count < 2 ? double.NaN : Sd(errors) / Math.Sqrt(errors.Count),
            errors.Count == 0 ? double.NaN : Math.Sqrt(errors.Average(e => e * e)),
            Sd(est.Select(d => d.Draw.Estimate!.Estimate).ToList()), Mean(est.Select(d => d.Draw.Estimate!.StdError)),
            est.Count == 0 ? double.NaN : (double)est.Count(d => d.Draw.Estimate!.Covers(d.Truth)) / est.Count,
            p.Count == 0 ? double.NaN : (double)p.Count(x => x < EffectEstimate.Alpha) / p.Count);
    }

    /// <summary>
    /// The diagnosis restricted to its first <paramref name="worlds"/> worlds: exactly what a run with that R
    /// and the same first seed gives, because every world depends on its seed only.
    /// </summary>
    public DesignDiagnosisResult FirstWorlds(int worlds)
    {
        if (worlds < 1 || worlds > Options.Worlds) throw new ArgumentOutOfRangeException(nameof(worlds), $"between 1 and {Options.Worlds}");
        return this with { Draws = [.. Draws.Where(d => d.Seed < Options.FirstSeed + worlds)], Options = Options with { Worlds = worlds } };
    }

    /// <summary>The diagnosis restricted to one scenario (its draws only).</summary>
    public DesignDiagnosisResult Only(string scenario) => this with
    {
        Scenarios = [.. Scenarios.Where(s => s.Name == scenario)],
        Draws = [.. Draws.Where(d => d.Scenario == scenario)],
    };

    /// <summary>The diagnosis restricted to the estimators named in <paramref name="names"/> (their draws only).</summary>
    public DesignDiagnosisResult OnlyEstimators(IEnumerable<string> names)
    {
        var keep = names.ToHashSet(StringComparer.Ordinal);
        return this with { Estimators = [.. Estimators.Where(e => keep.Contains(e.Name))], Draws = [.. Draws.Where(d => keep.Contains(d.Estimator))] };
    }

    /// <summary>The first scenario with a non-zero effect (bias, coverage, power), or null.</summary>
    public DiagnosisScenario? EffectScenario => Scenarios.FirstOrDefault(s => !s.ZeroEffect);
    /// <summary>The first scenario with a zero effect (size), or null.</summary>
    public DiagnosisScenario? NullScenario => Scenarios.FirstOrDefault(s => s.ZeroEffect);

    /// <summary>The effect estimates of <paramref name="estimator"/> in <paramref name="scenario"/>, with each world's truth, in seed order.</summary>
    public ImmutableArray<(int Seed, double Estimate, double Truth)> Estimates(string estimator, string scenario) =>
        Draws.Where(d => d.Estimator == estimator && d.Scenario == scenario && d.Draw.Estimate is not null)
            .Select(d => (d.Seed, d.Draw.Estimate!.Estimate, d.Truth)).ToImmutableArray();

    private static string N(double v, int d = 4) => Format.Number(v, d);
    private static string Pct(double v) => double.IsNaN(v) ? "" : Format.Number(100 * v, 1) + "%";

    /// <summary>
    /// One row per estimator: mean estimate, mean truth, bias (Monte Carlo SE), RMSE, SD, mean SE and 95%
    /// coverage in the effect scenario; rejection rates as power (effect scenario) and size (zero-effect scenario).
    /// Tests have rejection rates only.
    /// </summary>
    public Table ToTable(string id = "design_diagnosis", string title = "Design diagnosis by simulation")
    {
        var eff = EffectScenario; var nul = NullScenario;
        var rows = Estimators.Select(e =>
        {
            var a = eff is null ? null : Diagnose(e.Name, eff.Name);
            var z = nul is null ? null : Diagnose(e.Name, nul.Name);
            bool test = e.IsTest;
            int fails = (a?.Failures ?? 0) + (z?.Failures ?? 0);
            return new TableRow(e.Label,
                test || a is null ? "" : N(a.MeanEstimate), test || a is null ? "" : N(a.MeanTruth),
                test || a is null ? "" : $"{N(a.Bias)} ({N(a.BiasMcse)})", test || a is null ? "" : N(a.Rmse),
                test || a is null ? "" : N(a.SdEstimate), test || a is null ? "" : N(a.SdError), test || a is null ? "" : N(a.MeanStdError),
                test || a is null ? "" : Pct(a.Coverage), a is null ? "" : Pct(a.RejectionRate), z is null ? "" : Pct(z.RejectionRate),
                fails.ToString(CultureInfo.InvariantCulture));
        });
        var notes = new List<string>
        {
            $"{Options.Worlds} simulated worlds per scenario (seeds {Options.FirstSeed}–{Options.FirstSeed + Options.Worlds - 1})" +
            (eff is null ? "" : $"; bias, RMSE, SDs, SE and coverage in '{eff.Label}'") + (nul is null ? "" : $"; size in '{nul.Label}'") + ".",
            "Bias = mean(estimate − the world's true effect) with its Monte Carlo SE in parentheses; coverage = share of 95% intervals containing the world's true effect; " +
            "power and size = share rejecting H0: no effect at 5% (for a test: share rejecting its null).",
            $"Monte Carlo SE of a share p over R worlds: √(p(1 − p)/R), at most {N(0.5 / Math.Sqrt(Options.Worlds), 3)}.",
            "Are the SEs right? Compare the mean SE with the SD of the estimates over worlds (the sampling variability of the estimator). " +
            "Each world's true effect is that world's own average effect on its treated cities, which moves with the estimate, so the errors can vary less " +
            "than the estimates (SD of errors < SD of estimates): an SE that is right for the estimator is then conservative for the world's own effect, " +
            "and coverage can exceed 95% (sampling- versus design-based uncertainty; Abadie, Athey, Imbens and Wooldridge 2020, Econometrica 88(1), 265–296).",
        };
        return new Table(id, title, ["Estimator", "Mean estimate", "Mean truth", "Bias (MC SE)", "RMSE", "SD of estimates", "SD of errors", "Mean SE", "Coverage", "Power", "Size", "Failures"], rows, notes);
    }

    /// <summary>
    /// JSON: <c>worlds</c>, <c>first_seed</c>, <c>scenarios</c> [{name, label, zero_effect}], <c>estimators</c> [{name, label,
    /// is_test}], <c>diagnosis</c> [{estimator, scenario, worlds, failures, mean_estimate, mean_truth, bias, bias_mcse, rmse,
    /// sd_estimate, sd_error, mean_std_error, coverage, rejection_rate}] and, with <paramref name="draws"/>, <c>draws</c> [{seed, scenario,
    /// estimator, truth, estimate, std_error, ci_low, ci_high, p, failure}].
    /// </summary>
    public string ToJson(bool draws = false) => ResultJson.Object(w => WriteJsonMembers(w, draws));

    /// <summary>Write the members of <see cref="ToJson"/> into an open JSON object (to compose a larger document).</summary>
    public void WriteJsonMembers(System.Text.Json.Utf8JsonWriter w, bool draws)
    {
        w.WriteNumber("worlds", Options.Worlds);
        w.WriteNumber("first_seed", Options.FirstSeed);
        w.WriteStartArray("scenarios");
        foreach (var s in Scenarios) { w.WriteStartObject(); w.WriteString("name", s.Name); w.WriteString("label", s.Label); w.WriteBoolean("zero_effect", s.ZeroEffect); w.WriteEndObject(); }
        w.WriteEndArray();
        w.WriteStartArray("estimators");
        foreach (var e in Estimators) { w.WriteStartObject(); w.WriteString("name", e.Name); w.WriteString("label", e.Label); w.WriteBoolean("is_test", e.IsTest); w.WriteEndObject(); }
        w.WriteEndArray();
        w.WriteStartArray("diagnosis");
        foreach (var e in Estimators)
            foreach (var s in Scenarios)
            {
                var d = Diagnose(e.Name, s.Name);
                w.WriteStartObject();
                w.WriteString("estimator", d.Estimator); w.WriteString("scenario", d.Scenario);
                w.WriteNumber("worlds", d.Worlds); w.WriteNumber("failures", d.Failures);
                ResultJson.Num(w, "mean_estimate", d.MeanEstimate); ResultJson.Num(w, "mean_truth", d.MeanTruth);
                ResultJson.Num(w, "bias", d.Bias); ResultJson.Num(w, "bias_mcse", d.BiasMcse); ResultJson.Num(w, "rmse", d.Rmse);
                ResultJson.Num(w, "sd_estimate", d.SdEstimate); ResultJson.Num(w, "sd_error", d.SdError); ResultJson.Num(w, "mean_std_error", d.MeanStdError);
                ResultJson.Num(w, "coverage", d.Coverage); ResultJson.Num(w, "rejection_rate", d.RejectionRate);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        if (!draws) return;
        w.WriteStartArray("draws");
        foreach (var d in Draws)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", d.Seed); w.WriteString("scenario", d.Scenario); w.WriteString("estimator", d.Estimator);
            ResultJson.Num(w, "truth", d.Truth);
            if (d.Draw.Estimate is { } e)
            {
                ResultJson.Num(w, "estimate", e.Estimate); ResultJson.Num(w, "std_error", e.StdError);
                ResultJson.Num(w, "ci_low", e.CiLow); ResultJson.Num(w, "ci_high", e.CiHigh);
            }
            ResultJson.Num(w, "p", d.Draw.P);
            if (d.Draw.Failure is not null) w.WriteString("failure", d.Draw.Failure);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>
/// A design diagnosis repeated while one feature of the data-generating process (a "knob") takes
/// several values, e.g. how fast the effect builds up: where does each estimator's bias or coverage break?
/// </summary>
/// <param name="Runs">(knob, value label, diagnosis) in the order run.</param>
public sealed record DiagnosisSweep(ImmutableArray<(string Knob, string Value, DesignDiagnosisResult Result)> Runs)
{
    /// <summary>
    /// One row per knob value and estimator (tests skipped): mean truth, bias, RMSE, coverage and failures in the
    /// effect scenario; the size in the zero-effect scenario when the runs have one.
    /// </summary>
    public Table ToTable(string id = "design_diagnosis_knobs", string title = "Design diagnosis as the data-generating process changes")
    {
        bool sizes = Runs.Any(r => r.Result.NullScenario is not null);
        var rows = new List<TableRow>();
        foreach (var (knob, value, r) in Runs)
        {
            bool first = true;
            foreach (var e in r.Estimators.Where(e => !e.IsTest))
            {
                var a = r.EffectScenario is { } es ? r.Diagnose(e.Name, es.Name) : null;
                var z = r.NullScenario is { } ns ? r.Diagnose(e.Name, ns.Name) : null;
                var cells = new List<string>
                {
                    first ? knob : "", first ? value : "", e.Label,
                    a is null ? "" : Format.Number(a.MeanTruth, 4), a is null ? "" : $"{Format.Number(a.Bias, 4)} ({Format.Number(a.BiasMcse, 4)})",
                    a is null ? "" : Format.Number(a.Rmse, 4), a is null || double.IsNaN(a.Coverage) ? "" : Format.Number(100 * a.Coverage, 1) + "%",
                    a is null ? "" : a.Failures.ToString(CultureInfo.InvariantCulture),
                };
                if (sizes) cells.Add(z is null || double.IsNaN(z.RejectionRate) ? "" : Format.Number(100 * z.RejectionRate, 1) + "%");
                rows.Add(new TableRow([.. cells], first));
                first = false;
            }
        }
        int worlds = Runs.IsEmpty ? 0 : Runs[0].Result.Options.Worlds;
        var header = new List<string> { "Knob", "Value", "Estimator", "Mean truth", "Bias (MC SE)", "RMSE", "Coverage", "Failures" };
        if (sizes) header.Add("Size");
        return new Table(id, title, header, rows,
            [$"{worlds} worlds per value, the same seeds for every value (common random numbers), so differences between values are not sampling noise between seed sets.",
             "Bias against each world's true ATT; coverage of the 95% interval" + (sizes ? "; size = rejection rate of H0: no effect at 5% in the zero-effect worlds." : ".")]);
    }

    /// <summary>JSON: <c>runs</c> [{knob, value, diagnosis {the members of <see cref="DesignDiagnosisResult.ToJson"/> without draws}}].</summary>
    public string ToJson() => ResultJson.Object(WriteJsonMembers);

    /// <summary>Write the members of <see cref="ToJson"/> into an open JSON object (to compose a larger document).</summary>
    public void WriteJsonMembers(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartArray("runs");
        foreach (var (knob, value, r) in Runs)
        {
            w.WriteStartObject();
            w.WriteString("knob", knob);
            w.WriteString("value", value);
            w.WriteStartObject("diagnosis");
            r.WriteJsonMembers(w, false);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
