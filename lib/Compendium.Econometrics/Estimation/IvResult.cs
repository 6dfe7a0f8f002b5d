using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;

namespace Compendium.Econometrics.Estimation;

/// <summary>The first stage of one endogenous regressor: D_j on the excluded instruments, the exogenous regressors and the fixed effects.</summary>
/// <param name="Endogenous">The endogenous regressor.</param>
/// <param name="Instruments">Coefficients of the excluded instruments (inference with the model's vcov).</param>
/// <param name="PartialR2">Shea-free partial R²: 1 − RSS(D_j on Z, X₁, FE)/RSS(D_j on X₁, FE).</param>
/// <param name="PartialF">Wald F that the instrument coefficients are zero, with the model's vcov and small-sample factor (K = L + K_fe); F(L1, G − 1) clustered.</param>
public sealed record IvFirstStage(string Endogenous, ImmutableArray<Coefficient> Instruments, double PartialR2, TestStatistic PartialF);

/// <summary>
/// Identification, weak-instrument and endogeneity statistics of an IV fit (definitions and small-sample
/// conventions in <see cref="Iv2sls"/>). Weak-instrument F statistics carry NaN p-values: they are read
/// against <see cref="StockYogo"/> critical values, not a tabulated distribution.
/// </summary>
/// <param name="CraggDonaldF">Cragg–Donald Wald F (iid-based).</param>
/// <param name="KleibergenPaapWaldF">Kleibergen–Paap rk Wald F; null with an iid vcov (then the Cragg–Donald F is the weak-identification statistic).</param>
/// <param name="UnderIdentification">Kleibergen–Paap rk LM (robust/clustered) or Anderson canonical-correlation LM (iid), χ²(L1 − K1 + 1).</param>
/// <param name="AndersonRubinF">Anderson–Rubin Wald F of H0: all endogenous coefficients are zero.</param>
/// <param name="AndersonRubinChi2">Its χ²(L1) form without small-sample factor.</param>
/// <param name="Endogeneity">Durbin–Wu–Hausman F (control-function form); null if it cannot be computed.</param>
/// <param name="StockYogo">Critical values for (K1, L1), or null outside the table (K1 &gt; 2 or L1 &gt; 30).</param>
public sealed record IvDiagnostics(TestStatistic CraggDonaldF, TestStatistic? KleibergenPaapWaldF, TestStatistic UnderIdentification,
    TestStatistic AndersonRubinF, TestStatistic AndersonRubinChi2, TestStatistic? Endogeneity, StockYogoCriticalValues? StockYogo)
{
    /// <summary>The statistic to compare with Stock–Yogo: KP rk Wald F if the vcov is robust or clustered, else Cragg–Donald (ivreg2's <c>widstat</c>).</summary>
    public TestStatistic WeakIdentification => KleibergenPaapWaldF ?? CraggDonaldF;

    /// <summary>All statistics in display order (absent ones skipped).</summary>
    public IEnumerable<TestStatistic> All()
    {
        yield return UnderIdentification;
        yield return CraggDonaldF;
        if (KleibergenPaapWaldF is not null) yield return KleibergenPaapWaldF;
        yield return AndersonRubinF;
        yield return AndersonRubinChi2;
        if (Endogeneity is not null) yield return Endogeneity;
    }

    /// <summary>One row per statistic: name, value, distribution / degrees of freedom, p-value.</summary>
    public IEnumerable<TableRow> ToRows() => All().Select(t => new TableRow(t.Name, EstimationResult.Num(t.Statistic, 3),
        double.IsNaN(t.Df2) ? $"χ²({Int(t.Df1)})" : $"({Int(t.Df1)}, {Int(t.Df2)})", double.IsNaN(t.PValue) ? "—" : EstimationResult.Num(t.PValue, 4)));

    /// <summary>The diagnostics as a table, Stock–Yogo critical values in the notes.</summary>
    public Table ToTable(string id = "iv_diagnostics", string title = "IV diagnostics") =>
        new(id, title, ["Statistic", "Value", "df", "p"], ToRows(),
            StockYogo is null ? ["No Stock–Yogo critical values for this number of endogenous regressors and instruments."] : [StockYogo.ToNote()]);

    private static string Int(double d) => d.ToString("0", CultureInfo.InvariantCulture);
}

/// <summary>
/// The result of <see cref="Iv2sls"/>: second-stage coefficients (the <see cref="EstimationResult"/>
/// contract), first stages and diagnostics. Immutable; renders itself with <see cref="EstimationResult.ToTable"/>.
/// </summary>
/// <param name="Formula">The formula as given.</param>
/// <param name="Coefficients">Exogenous regressors (kept) then endogenous regressors.</param>
/// <param name="Variance">Variance estimate of the coefficients (same order).</param>
/// <param name="VcovName">iid, hetero or cluster:VAR[+VAR].</param>
/// <param name="Sample">Observations used and dropped, collinear exogenous regressors, fixed effects.</param>
/// <param name="Endogenous">Endogenous regressors.</param>
/// <param name="Instruments">Excluded instruments.</param>
/// <param name="FirstStages">One per endogenous regressor.</param>
/// <param name="Diagnostics">Identification and weak-instrument statistics.</param>
/// <param name="DemeaningMethod">How the fixed effects were absorbed.</param>
public sealed record IvResult(string Formula, ImmutableArray<Coefficient> Coefficients, VcovEstimate Variance, string VcovName,
    SampleInfo Sample, ImmutableArray<string> Endogenous, ImmutableArray<string> Instruments,
    ImmutableArray<IvFirstStage> FirstStages, IvDiagnostics Diagnostics, string DemeaningMethod)
    : EstimationResult(Formula, Coefficients, Variance, VcovName, Sample)
{
    /// <inheritdoc/>
    public override string Estimator => "2sls";

    /// <summary>The first stage of endogenous regressor <paramref name="endogenous"/>.</summary>
    public IvFirstStage FirstStage(string endogenous) => FirstStages.FirstOrDefault(f => f.Endogenous == endogenous)
        ?? throw new InputException($"'{endogenous}' is not an endogenous regressor of '{Formula}'");

    /// <summary>The identification, weak-instrument and endogeneity statistics (<see cref="IvDiagnostics.All"/>).</summary>
    public override IEnumerable<TestStatistic> Tests() => Diagnostics.All();

    /// <summary>Rows of the first stages: instrument coefficients (with SE), partial R² and partial F per endogenous regressor.</summary>
    protected override IEnumerable<TableRow> DetailRows()
    {
        bool first = true;
        foreach (var fs in FirstStages)
        {
            foreach (var c in fs.Instruments)
            {
                yield return new TableRow([$"{fs.Endogenous} ← {c.Name}", Num(c.Estimate), Num(c.StdError), Num(c.T, 3), Num(c.P, 4), Num(c.CiLow), Num(c.CiHigh)], first);
                first = false;
            }
            yield return new TableRow($"{fs.Endogenous}: partial R²", Num(fs.PartialR2, 4), "", "", "", "", "");
            yield return new TableRow($"{fs.Endogenous}: first-stage F", Num(fs.PartialF.Statistic, 3), "", "", Num(fs.PartialF.PValue, 4), "", "");
        }
    }

    /// <summary>Notes: variance convention, diagnostics conventions, Stock–Yogo values, samples dropped.</summary>
    public override ImmutableArray<string> Notes()
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.Add($"2SLS; endogenous: {string.Join(", ", Endogenous)}; excluded instruments: {string.Join(", ", Instruments)}.");
        notes.Add(Variance.Description);
        notes.Add("Weak-instrument statistics follow ivreg2/ivreghdfe (Baum, Schaffer and Stillman 2007; Kleibergen and Paap 2006), with the fixed effects' degrees of freedom as partialled-out regressors.");
        if (Diagnostics.StockYogo is { } sy) notes.Add(sy.ToNote());
        notes.AddRange(Sample.Notes(DemeaningMethod));
        return notes.ToImmutable();
    }

    /// <summary>First stages (coefficients, partial R² and F per endogenous regressor) and the Stock–Yogo critical values.</summary>
    protected internal override void WriteJsonDiagnostics(Utf8JsonWriter w)
    {
        w.WriteStartArray("first_stages");
        foreach (var fs in FirstStages)
        {
            w.WriteStartObject();
            w.WriteString("endogenous", fs.Endogenous);
            ResultJson.Coefficients(w, "coefficients", fs.Instruments);
            ResultJson.Num(w, "partial_r2", fs.PartialR2);
            w.WritePropertyName("partial_f");
            ResultJson.Test(w, fs.PartialF);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (Diagnostics.StockYogo is { } sy)
        {
            w.WriteStartObject("stock_yogo");
            foreach (var (criterion, value) in sy.Values) ResultJson.Num(w, criterion, value);
            w.WriteEndObject();
        }
    }
}
