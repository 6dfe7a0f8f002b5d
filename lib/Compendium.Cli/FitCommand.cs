using System.Text;
using System.Text.Json;
using Compendium.Data;
using Compendium.Estimation;
using Compendium.Inference;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium fit</c>: fixed-effects OLS on any CSV. A readable table by default; <c>--json</c> gives
/// the machine form shared by every estimation command: <c>coefficients</c> (name, estimate,
/// std_error, t, p, ci_low, ci_high), <c>nobs</c>, <c>r2</c>, <c>r2_within</c>, <c>vcov</c> and
/// <c>diagnostics</c>. Numbers are written in the shortest round-trip form; NaN becomes null.
/// </summary>
public sealed class FitCommand : ICliCommand, IHasFlags
{
    public string Name => "fit";
    public string Summary => "fixed-effects OLS on a CSV file: a regression table, or JSON";
    public string Usage => """
        usage: compendium fit --data FILE.csv --formula "y ~ x1 + x2 | fe1 + fe2" [--vcov iid|hetero|cluster:VAR|cluster:VAR1+VAR2]
                              [--weights COLUMN] [--keep-singletons] [--json]
          --formula   fixest-style: interactions a:b and a*b, event-time dummies i(rel_year, ref = -1, bin = [-6, 6]),
                      fixed effects after '|' (a^b combines two factors)
          --vcov      variance estimator (default iid); small-sample corrections follow fixest's defaults
          --json      print JSON instead of a table
        """;
    public IReadOnlyList<string> Flags => ["json", "keep-singletons"];

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var dataPath = args.Required("data");
        var formula = args.Required("formula");
        var vcovSpec = args.Option("vcov") ?? "iid";
        var weights = args.Option("weights");
        bool json = args.Flag("json");
        bool keepSingletons = args.Flag("keep-singletons");
        args.EnsureAllUsed();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");

        var vcov = Vcov.Parse(vcovSpec);
        var data = ColumnTableCsv.Read(dataPath);
        var parsed = Formulas.Formula.Parse(formula);
        if (parsed.Iv is not null)
        {
            // An IV part ('| d ~ z') makes it a 2SLS model: same options and output conventions, see IvCommand.
            if (weights is not null) throw new UsageException("--weights is not supported for IV formulas");
            IvCommand.Write(Iv2sls.Fit(data, parsed, vcov, new IvOptions(!keepSingletons)), json, stdout);
            return 0;
        }
        var result = Feols.Fit(data, parsed, vcov, new FeolsOptions(weights, !keepSingletons));
        stdout.Write(json ? ToJson(result) + "\n" : result.ToTable("fit").ToMarkdown());
        return 0;
    }

    /// <summary>The JSON form of a result (also used by tests and notebooks).</summary>
    public static string ToJson(FeolsResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("formula", r.Formula);
            w.WriteStartArray("coefficients");
            foreach (var c in r.Coefficients)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                Num(w, "estimate", c.Estimate); Num(w, "std_error", c.StdError); Num(w, "t", c.T);
                Num(w, "p", c.P); Num(w, "ci_low", c.CiLow); Num(w, "ci_high", c.CiHigh);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("nobs", r.Nobs);
            Num(w, "r2", r.R2);
            Num(w, "r2_within", r.R2Within);
            w.WriteString("vcov", r.VcovName);
            w.WriteStartObject("diagnostics");
            Num(w, "r2_adjusted", r.AdjustedR2);
            Num(w, "rss", r.Rss);
            w.WriteNumber("residual_df", r.ResidualDf);
            w.WriteNumber("t_df", r.Variance.DegreesOfFreedom);
            w.WriteNumber("vcov_k", r.Variance.ParameterCount);
            Num(w, "vcov_adjustment", r.Variance.Adjustment);
            w.WriteString("vcov_note", r.Variance.Description);
            Num(w, "f_stat", r.FTest.Statistic);
            Num(w, "f_p", r.FTest.PValue);
            w.WriteNumber("n_missing", r.MissingDropped);
            w.WriteNumber("n_singletons", r.SingletonsDropped);
            w.WriteStartArray("collinear_dropped");
            foreach (var d in r.CollinearDropped) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteStartArray("fixed_effects");
            foreach (var (name, levels) in r.FixedEffects) { w.WriteStartObject(); w.WriteString("name", name); w.WriteNumber("levels", levels); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteStartArray("clusters");
            foreach (var (name, groups) in r.Variance.Clusters) { w.WriteStartObject(); w.WriteString("name", name); w.WriteNumber("groups", groups); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteString("demeaning", r.DemeaningMethod);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}
