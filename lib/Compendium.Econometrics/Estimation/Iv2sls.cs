using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Design;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Numerics;

namespace Compendium.Econometrics.Estimation;

/// <summary>Options of <see cref="Iv2sls"/> beyond the formula and the variance estimator.</summary>
/// <param name="DropSingletons">Drop singleton observations of the fixed effects iteratively (as <see cref="Feols"/> and ivreghdfe).</param>
public sealed record IvOptions(bool DropSingletons = true)
{
    /// <summary>Singletons dropped.</summary>
    public static IvOptions Default { get; } = new();
}

/// <summary>
/// Two-stage least squares with any number of absorbed fixed effects, with first-stage results and
/// weak-instrument diagnostics: the <c>y ~ x | fe1 + fe2 | d ~ z</c> model (Stata <c>ivreghdfe</c>,
/// fixest <c>feols</c> with an IV part, AER <c>ivreg</c> without fixed effects).
/// </summary>
/// <remarks>
/// <para><b>Estimator.</b> By Frisch–Waugh–Lovell the fixed effects are absorbed first: y, the exogenous
/// regressors X₁, the endogenous regressors D and the excluded instruments Z are within-transformed
/// through the same cached <see cref="DemeanedDesign"/> as <see cref="Feols"/>. On the
/// transformed data, with instruments Z_f = [X₁ Z] and regressors X = [X₁ D], the first stage is
/// D̂ = P_Z D, X̂ = [X₁ D̂], and β̂ = (X̂'X̂)⁻¹X̂'y (= (X'P_Z X)⁻¹X'P_Z y); both stages are QR solves.
/// Residuals are the structural ones, û = y − Xβ̂ (not y − X̂β̂).</para>
/// <para><b>Variance.</b> Any <see cref="Vcov"/> strategy, applied to the sandwich with bread (X̂'X̂)⁻¹ and
/// scores x̂_i û_i — for 2SLS this is the exact analogue of OLS, so iid, HC1 and one- or multiway
/// CR1 come out with <see cref="Feols"/>'s small-sample conventions (fixest's: iid σ̂² = û'û/(n − K);
/// HC1 × n/(n − K); CR1 × G/(G − 1)·(n − 1)/(n − K); K = k + K_fe, fixed effects nested in a cluster
/// counting 1). That equals Stata <c>ivreg2, small</c> (and ivreghdfe, whose partialled-out fixed
/// effects enter as <c>sdofminus</c>) except that reghdfe counts a nested fixed effect as 0 rather than 1.
/// Without <c>small</c> (its default), ivreg2 makes no finite-sample correction at all (σ̂² = û'û/N, HC0,
/// CR0; ivreghdfe passes the absorbed levels as <c>sdofminus</c>, which then only enters the F forms of the
/// diagnostics) and uses normal/χ² instead of t/F: multiply the variances here by (n − K)/n (iid, HC1),
/// resp. (G − 1)/G·(n − K)/(n − 1) (clustered), to get those. We keep <c>small</c>'s conventions, which
/// are the ones every other table of the compendium uses.</para>
/// <para><b>Diagnostics</b> (<see cref="IvDiagnostics"/>), following ivreg2 (Baum, Schaffer and Stillman
/// 2007, Stata Journal 7(4), 465–506) with N observations, L = number of instruments including the
/// exogenous regressors (and the constant when there are no fixed effects), L1 excluded instruments,
/// K1 endogenous regressors, sdofminus = K_fe (the fixed effects' degrees of freedom as counted by
/// the variance estimator), and G clusters:</para>
/// <list type="bullet">
/// <item>Cragg–Donald Wald F = [r²_min/(1 − r²_min)]·(N − L − K_fe)/L1 on (L1, N − L − K_fe) degrees of freedom,
/// r_min the smallest canonical correlation of D and Z after partialling out X₁ and the fixed effects (Cragg and
/// Donald 1993). It is an iid statistic, so K_fe counts every absorbed parameter (Σ levels − (Q − 1)) whatever
/// the variance estimator of the coefficients: ivreg2's value with the fixed effects entered as dummies (checked
/// against R in tests/reference/fe_conventions). fixest's <c>fitstat(, "cd")</c> scales by (N − K1 − L1 − 1)/L1 instead.
/// Compare with <see cref="StockYogo"/>.</item>
/// <item>Kleibergen–Paap rk Wald F (robust or clustered vcov): rk/(N − 1)·(N − L − sdofminus)·(G − 1)/G/L1
/// clustered, rk/N·(N − L − sdofminus)/L1 robust, rk the KP Wald statistic (<see cref="WeakIvRankTest"/>).
/// With one endogenous regressor it equals the first-stage Wald F of the excluded instruments under
/// the same vcov and small-sample factor (K = L + K_fe) — checked in the tests. fixest's own KP
/// statistic is not used (fixest issue 445).</item>
/// <item>Underidentification: Kleibergen–Paap rk LM ~ χ²(L1 − K1 + 1) (robust/clustered; no small-sample
/// factor), or Anderson's canonical-correlation LM = N·r²_min with an iid vcov.</item>
/// <item>Anderson–Rubin (1949) test of H0: β_D = 0, robust to weak instruments: regress y (minus D·0) on
/// X₁ and Z (and the fixed effects) and Wald-test the Z coefficients with the model's vcov; χ² form
/// unadjusted (CR0, HC0, σ̂² = RSS/N), F form = χ²·(small-sample factor with K = L + K_fe)/L1 on
/// F(L1, G − 1) clustered, F(L1, N − L − K_fe) otherwise (ivreg2's conventions).</item>
/// <item>Endogeneity: the regression (control-function) form of the Durbin–Wu–Hausman test — add the
/// first-stage residuals V̂ to the structural equation, estimated by OLS, and Wald-test them with the
/// model's vcov, F = W/K1 (Wooldridge 2010, §6.3.1); robust to heteroskedasticity and clustering,
/// unlike ivreg2's default Durbin–Wu–Hausman χ² under iid errors.</item>
/// </list>
/// <para>Collinear exogenous regressors are dropped and reported as in <see cref="Feols"/>; an instrument
/// or endogenous regressor collinear with the rest (or absorbed by the fixed effects), no instruments,
/// or fewer instruments than endogenous regressors are <see cref="InputException"/>s naming the variables.</para>
/// </remarks>
/// <example><code>
/// var r = Iv2sls.Fit(panel, "resilience ~ fdi | city_code + year | treat ~ iv_tel_internet", Vcov.Cluster("city_code"));
/// double kpF = r.Diagnostics.KleibergenPaapWaldF!.Statistic;
/// </code></example>
public static class Iv2sls
{
    /// <summary>Fit a formula with an IV part (see <see cref="Formula"/>); default variance: iid.</summary>
    public static IvResult Fit(ColumnTable data, string formula, Vcov? vcov = null, IvOptions? options = null) =>
        Fit(data, Formula.Parse(formula), vcov, options);

    /// <inheritdoc cref="Fit(ColumnTable, string, Vcov?, IvOptions?)"/>
    public static IvResult Fit(ColumnTable data, Formula formula, Vcov? vcov = null, IvOptions? options = null)
    {
        vcov ??= Vcov.Iid;
        return Estimate(Prepare(data, formula, vcov, options ?? IvOptions.Default), vcov);
    }

    /// <summary>Evaluate and within-transform the model once (for <see cref="Estimate"/> and <see cref="AndersonRubin"/>).</summary>
    internal static IvDesign Prepare(ColumnTable data, Formula formula, Vcov vcov, IvOptions options)
    {
        var iv = formula.Iv ?? throw Formula.ErrorAt(formula.Text, 0, formula.Text.Length,
            "this formula has no IV part ('| d ~ z'); estimate it with Feols, or add the endogenous regressors and their instruments");
        CheckRoles(formula, iv);
        var stacked = formula.WithRegressors(formula.Regressors.Concat<ModelTerm>(iv.Endogenous).Concat(iv.Instruments)) with { Iv = null };
        var frame = ModelFrame.Build(stacked, data, vcov.Variables, null, options.DropSingletons);

        // One within transformation for y, X₁, D and Z: the same cached design Feols uses.
        var dd = new DemeanedDesign(frame, new FeolsOptions(DropSingletons: options.DropSingletons));
        var endogNames = iv.Endogenous.Select(v => v.Name).ToArray();
        var instNames = iv.Instruments.Select(v => v.Name).ToArray();
        var exogNames = frame.Names.Where(nm => !endogNames.Contains(nm) && !instNames.Contains(nm)).ToArray();
        double[][] Cols(IEnumerable<string> names) => names.Select(dd.Column).ToArray();
        double[] Norms(IEnumerable<string> names) => names.Select(dd.RawNorm).ToArray();

        return new IvDesign(
            formula.Text, dd.Outcome,
            exogNames, Cols(exogNames), Norms(exogNames),
            endogNames, Cols(endogNames), Norms(endogNames),
            instNames, Cols(instNames), Norms(instNames),
            frame.FixedEffects, dd.ClusterFactor, frame.MissingDropped, frame.SingletonsDropped, dd.DemeaningMethod);
    }

    private static void CheckRoles(Formula f, IvPart iv)
    {
        var exog = f.Regressors.SelectMany(t => t.Variables()).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in iv.Endogenous)
        {
            if (exog.Contains(e.Name))
                throw Formula.ErrorAt(f.Text, e.Position, e.Length, $"'{e.Name}' is listed both as an exogenous regressor and as endogenous; list it once, in the IV part");
            if (!seen.Add(e.Name)) throw Formula.ErrorAt(f.Text, e.Position, e.Length, $"endogenous regressor '{e.Name}' is listed twice");
        }
        foreach (var z in iv.Instruments)
        {
            if (exog.Contains(z.Name))
                throw Formula.ErrorAt(f.Text, z.Position, z.Length, $"'{z.Name}' is an exogenous regressor and cannot also be an excluded instrument (exogenous regressors instrument themselves)");
            if (iv.Endogenous.Any(e => e.Name == z.Name))
                throw Formula.ErrorAt(f.Text, z.Position, z.Length, $"'{z.Name}' cannot instrument itself: it is endogenous");
            if (!seen.Add(z.Name)) throw Formula.ErrorAt(f.Text, z.Position, z.Length, $"instrument '{z.Name}' is listed twice");
        }
        if (iv.Instruments.Length == 0)
            throw new InputException($"'{f.Text}': no excluded instruments for {string.Join(", ", iv.Endogenous.Select(e => e.Name))}.");
        if (iv.Instruments.Length < iv.Endogenous.Length)
            throw new InputException($"'{f.Text}' is under-identified: {iv.Endogenous.Length} endogenous regressors ({string.Join(", ", iv.Endogenous.Select(e => e.Name))}) " +
                $"but only {iv.Instruments.Length} excluded instrument{(iv.Instruments.Length == 1 ? "" : "s")} ({string.Join(", ", iv.Instruments.Select(z => z.Name))}); 2SLS needs at least one instrument per endogenous regressor.");
    }

    /// <summary>The model on within-transformed columns (fixed effects already absorbed).</summary>
    internal sealed record IvDesign(string Formula, double[] Y,
        string[] ExogNames, double[][] Exog, double[] ExogNorms,
        string[] EndogNames, double[][] Endog, double[] EndogNorms,
        string[] InstNames, double[][] Inst, double[] InstNorms,
        IReadOnlyList<Factor> FixedEffects, Func<string, Factor> ClusterFactor, int MissingDropped, int SingletonsDropped, string DemeaningMethod)
    {
        public int N => Y.Length;
    }

    internal static IvResult Estimate(IvDesign d, Vcov vcov)
    {
        int n = d.N, k1 = d.Endog.Length, l1 = d.Inst.Length;

        // Exogenous regressors collinear with each other or the fixed effects: drop and report, as Feols.
        var exogSol = OlsSolver.Solve(d.Exog, d.Y, d.ExogNorms);
        var x1 = exogSol.Kept.Select(j => d.Exog[j]).ToArray();
        var x1Names = exogSol.Kept.Select(j => d.ExogNames[j]).ToArray();
        var collinear = exogSol.Dropped.Select(j => d.ExogNames[j]).ToImmutableArray();
        double[] x1Norms = exogSol.Kept.Select(j => d.ExogNorms[j]).ToArray();

        // Instruments must add rank to X1 (and the fixed effects).
        var zf = x1.Concat(d.Inst).ToArray();
        var zfNorms = x1Norms.Concat(d.InstNorms).ToArray();
        CheckRank(d, x1, x1Norms, zf, zfNorms);

        // First stages.
        var first = new OlsSolution[k1];
        var dHat = new double[k1][];
        var vHat = new double[k1][];
        for (int j = 0; j < k1; j++)
        {
            first[j] = OlsSolver.Solve(zf, d.Endog[j], zfNorms);
            vHat[j] = first[j].Residuals;
            dHat[j] = d.Endog[j].Zip(vHat[j], (a, b) => a - b).ToArray();
        }

        // Second stage on X̂ = [X1 D̂]; structural residuals use D itself.
        var xHat = x1.Concat(dHat).ToArray();
        var second = OlsSolver.Solve(xHat, d.Y);
        if (second.Dropped.Length > 0)
            throw new InputException($"'{d.Formula}': the fitted values of {string.Join(", ", second.Dropped.Where(j => j >= x1.Length).Select(j => d.EndogNames[j - x1.Length]))} are collinear with the exogenous regressors; the model is not identified.");
        var x = x1.Concat(d.Endog).ToArray();
        var u = (double[])d.Y.Clone();
        for (int j = 0; j < x.Length; j++)
        {
            double b = second.Beta[j];
            var c = x[j];
            for (int i = 0; i < n; i++) u[i] -= b * c[i];
        }
        var ctx = new VcovContext(n, xHat, u, second.Bread, d.FixedEffects, d.ClusterFactor);
        ctx.EnsureResidualDegreesOfFreedom(d.Formula);
        var v = vcov.Compute(ctx);
        var names = x1Names.Concat(d.EndogNames).ToArray();
        var coefficients = Coefficient.FromEstimates(names, second.Beta, v);
        int kfe = v.ParameterCount - xHat.Length;
        int kfeIid = ctx.ParameterCount(SmallSampleConvention.Fixest, []) - xHat.Length;   // every absorbed parameter

        var firstStages = FirstStageSummaries(d, vcov, x1, x1Names, x1Norms, zf, first);
        var diagnostics = Diagnose(d, vcov, x1, x1Norms, zf, zfNorms, vHat, kfe, kfeIid);
        var sample = new SampleInfo(n, d.MissingDropped, d.SingletonsDropped, collinear,
            d.FixedEffects.Select(f => (f.Name, f.Levels)).ToImmutableArray());
        return new IvResult(d.Formula, coefficients, v, vcov.Name, sample,
            [.. d.EndogNames], [.. d.InstNames], firstStages, diagnostics, d.DemeaningMethod);
    }

    /// <summary>Instruments must add rank to X1 (and the fixed effects), and the endogenous regressors must not be collinear with X1: an <see cref="InputException"/> naming them otherwise.</summary>
    private static void CheckRank(IvDesign d, double[][] x1, double[] x1Norms, double[][] zf, double[] zfNorms)
    {
        var zCheck = OlsSolver.Solve(zf, d.Y, zfNorms);
        if (zCheck.Dropped.Length > 0)
        {
            var bad = zCheck.Dropped.Select(j => d.InstNames[j - x1.Length]).ToArray();
            throw new InputException($"'{d.Formula}': instrument{(bad.Length > 1 ? "s" : "")} {string.Join(", ", bad.Select(b => $"'{b}'"))} " +
                $"{(bad.Length > 1 ? "are" : "is")} collinear with the other instruments, the exogenous regressors{(d.FixedEffects.Count > 0 ? " or the fixed effects" : "")} (no variation of its own); drop {(bad.Length > 1 ? "them" : "it")}.");
        }
        var dCheck = OlsSolver.Solve(x1.Concat(d.Endog).ToArray(), d.Y, x1Norms.Concat(d.EndogNorms).ToArray());
        if (dCheck.Dropped.Length > 0)
        {
            var bad = dCheck.Dropped.Select(j => d.EndogNames[j - x1.Length]).ToArray();
            throw new InputException($"'{d.Formula}': endogenous regressor{(bad.Length > 1 ? "s" : "")} {string.Join(", ", bad.Select(b => $"'{b}'"))} collinear with the exogenous regressors{(d.FixedEffects.Count > 0 ? " or absorbed by the fixed effects" : "")}; nothing is left to instrument.");
        }
    }

    /// <summary>First-stage summaries: instrument coefficients, partial R², partial F under the model's vcov.</summary>
    private static ImmutableArray<IvFirstStage> FirstStageSummaries(IvDesign d, Vcov vcov, double[][] x1, string[] x1Names, double[] x1Norms, double[][] zf, OlsSolution[] first)
    {
        int n = d.N, k1 = d.Endog.Length, l1 = d.Inst.Length;
        var firstStages = ImmutableArray.CreateBuilder<IvFirstStage>(k1);
        for (int j = 0; j < k1; j++)
        {
            var fv = vcov.Compute(new VcovContext(n, zf, first[j].Residuals, first[j].Bread, d.FixedEffects, d.ClusterFactor));
            var fc = Coefficient.FromEstimates(x1Names.Concat(d.InstNames).ToArray(), first[j].Beta, fv);
            var wald = WaldOnBlock(first[j].Beta, fv, x1.Length, l1, $"coefficients of {string.Join(", ", d.InstNames)} are zero in the first stage of {d.EndogNames[j]}");
            double rssFull = Vectors.Dot(first[j].Residuals, first[j].Residuals);
            var restricted = x1.Length > 0 ? OlsSolver.Solve(x1, d.Endog[j], x1Norms).Residuals : d.Endog[j];
            double rssRestricted = Vectors.Dot(restricted, restricted);
            firstStages.Add(new IvFirstStage(d.EndogNames[j], fc.Skip(x1.Length).ToImmutableArray(), 1 - rssFull / rssRestricted,
                wald with { Name = $"First-stage F ({d.EndogNames[j]})" }));
        }
        return firstStages.MoveToImmutable();
    }

    private static IvDiagnostics Diagnose(IvDesign d, Vcov vcov, double[][] x1, double[] x1Norms,
        double[][] zf, double[] zfNorms, double[][] vHat, int kfe, int kfeIid)
    {
        int n = d.N, k1 = d.Endog.Length, l1 = d.Inst.Length;
        int l = x1.Length + l1;               // instruments incl. exogenous regressors (and the constant without FE)
        double dfCd = n - l - kfeIid;   // Cragg–Donald: iid, independent of the coefficients' vcov
        double dfKp = n - l - kfe;      // Kleibergen–Paap: the vcov's own count (fixed effects nested in a cluster count 1)
        string endogList = string.Join(", ", d.EndogNames);

        // Partial X1 out of D and Z (the fixed effects are already out).
        Matrix<double> Partial(double[][] cols) => Matrix<double>.Build.DenseOfColumnArrays(
            cols.Select(c => x1.Length > 0 ? OlsSolver.Solve(x1, c, x1Norms).Residuals : c));
        var dt = Partial(d.Endog);
        var zt = Partial(d.Inst);
        var canon = WeakIvRankTest.CanonicalCorrelations(dt, zt);
        double r2min = canon.Correlations2.Min();
        var cd = new TestStatistic("Cragg–Donald Wald F", r2min / (1 - r2min) * dfCd / l1, double.NaN, l1, dfCd,
            $"instruments are weak (compare with Stock–Yogo critical values)");

        bool iid = vcov.AssumesHomoskedasticity;
        var (underIdentification, kpF) = UnderIdentification(d, vcov, canon, dt, zt, vHat, r2min, dfKp);

        // Anderson–Rubin: reduced form of y on [X1 Z].
        var rf = OlsSolver.Solve(zf, d.Y, zfNorms);
        var rv = vcov.Compute(new VcovContext(n, zf, rf.Residuals, rf.Bread, d.FixedEffects, d.ClusterFactor));
        var arF = WaldOnBlock(rf.Beta, rv, x1.Length, l1, $"coefficients of {endogList} are zero (weak-instrument robust)") with { Name = "Anderson–Rubin Wald F" };
        // Undo the small-sample factor for the χ² form: iid carries it in σ̂² = RSS/(n − K), the sandwiches in Adjustment.
        double factor = iid ? (double)n / (n - rv.ParameterCount) : rv.Adjustment;
        double arChi2 = arF.Statistic * l1 * factor;
        var ar = new TestStatistic("Anderson–Rubin Wald χ²", arChi2, Distributions.UpperChiSquared(arChi2, l1), l1, double.NaN, arF.Null);

        var dwh = DurbinWuHausman(d, vcov, x1, vHat);
        return new IvDiagnostics(cd, kpF, underIdentification, arF, ar, dwh, StockYogo.For(k1, l1));
    }

    /// <summary>The under-identification test (Anderson LM under iid, Kleibergen–Paap rk LM otherwise) and, without iid, the Kleibergen–Paap rk Wald F.</summary>
    private static (TestStatistic UnderIdentification, TestStatistic? KpF) UnderIdentification(IvDesign d, Vcov vcov, WeakIvRankTest.Canonical canon,
        Matrix<double> dt, Matrix<double> zt, double[][] vHat, double r2min, double dfKp)
    {
        int n = d.N, k1 = d.Endog.Length, l1 = d.Inst.Length;
        string instList = string.Join(", ", d.InstNames);
        bool iid = vcov.AssumesHomoskedasticity;
        TestStatistic? kpF = null;
        TestStatistic underIdentification;
        double df = l1 - k1 + 1;
        if (iid)
        {
            double lm = n * r2min;
            underIdentification = new TestStatistic("Anderson canonical correlation LM", lm, Distributions.UpperChiSquared(lm, df), df, double.NaN,
                $"equation is underidentified (rank of the first-stage coefficients on {instList} < {k1})");
        }
        else
        {
            var (codes, groups) = ClusterCodes(d, vcov);
            // First-stage residuals are already orthogonal to X1 (they are the residuals on [X1 Z]): by FWL they equal D̃ − Z̃Π̂.
            var vMat = Matrix<double>.Build.DenseOfColumnArrays(vHat);
            double lm = WeakIvRankTest.RkStatistic(canon, Meat(dt, zt, codes), n);
            double wald = WeakIvRankTest.RkStatistic(canon, Meat(vMat, zt, codes), n);
            underIdentification = new TestStatistic("Kleibergen–Paap rk LM", lm, Distributions.UpperChiSquared(lm, df), df, double.NaN,
                $"equation is underidentified (rank of the first-stage coefficients on {instList} < {k1})");
            double f = groups > 0
                ? wald / (n - 1) * dfKp * (groups - 1) / groups / l1
                : wald / n * dfKp / l1;
            kpF = new TestStatistic("Kleibergen–Paap rk Wald F", f, double.NaN, l1, groups > 0 ? groups - 1 : dfKp,
                "instruments are weak (Stock–Yogo critical values apply with caution to non-iid errors)");
        }
        return (underIdentification, kpF);
    }

    /// <summary>Durbin–Wu–Hausman, control-function form: the first-stage residuals added to the structural equation; null when they are collinear.</summary>
    private static TestStatistic? DurbinWuHausman(IvDesign d, Vcov vcov, double[][] x1, double[][] vHat)
    {
        int n = d.N, k1 = d.Endog.Length;
        string endogList = string.Join(", ", d.EndogNames);
        var cf = OlsSolver.Solve(x1.Concat(d.Endog).Concat(vHat).ToArray(), d.Y);
        TestStatistic? dwh = null;
        if (cf.Dropped.Length == 0)
        {
            var cv = vcov.Compute(new VcovContext(n, x1.Concat(d.Endog).Concat(vHat).ToArray(), cf.Residuals, cf.Bread, d.FixedEffects, d.ClusterFactor));
            dwh = WaldOnBlock(cf.Beta, cv, x1.Length + k1, k1, $"{endogList} exogenous (first-stage residuals have zero coefficients)")
                with { Name = "Durbin–Wu–Hausman F (control function)" };
        }
        return dwh;
    }

    /// <summary>Σ_g s_g s_g' of the rank-test scores; multiway clusters by inclusion–exclusion (Cameron, Gelbach and Miller 2011), as the coefficient vcov.</summary>
    private static Matrix<double> Meat(Matrix<double> v, Matrix<double> z, IReadOnlyList<(int[] Codes, int Levels, int Sign)>? codes)
    {
        if (codes is null) return WeakIvRankTest.ScoreMeat(v, z, null, 0);
        Matrix<double>? m = null;
        foreach (var (c, levels, sign) in codes)
        {
            var part = WeakIvRankTest.ScoreMeat(v, z, c, levels) * sign;
            m = m is null ? part : m + part;
        }
        return m!;
    }

    private static (IReadOnlyList<(int[] Codes, int Levels, int Sign)>? Codes, int Groups) ClusterCodes(IvDesign d, Vcov vcov)
    {
        if (vcov.Variables.Length == 0) return (null, 0);
        var factors = vcov.Variables.Select(d.ClusterFactor).ToArray();
        var list = Factor.InclusionExclusion(factors).Select(t => (t.Factor.Codes, t.Factor.Levels, t.Sign)).ToList();
        return (list, factors.Min(f => f.Levels));
    }

    /// <summary>Wald F that the <paramref name="count"/> coefficients from <paramref name="start"/> are zero, on the variance's t degrees of freedom.</summary>
    private static TestStatistic WaldOnBlock(double[] beta, VcovEstimate v, int start, int count, string nullText)
    {
        var r = new double[count, beta.Length];
        for (int a = 0; a < count; a++) r[a, start + a] = 1;
        return WaldTest.F(beta, v.Matrix, r, null, v.DegreesOfFreedom, nullText);
    }
}
