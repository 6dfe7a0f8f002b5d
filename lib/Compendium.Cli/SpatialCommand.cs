using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Spatial;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium spatial moran|sdm</c>: spatial weights from a panel's coordinates (or a file), Moran's I of a
/// variable by period, and the fixed-effects spatial Durbin model (SAR, SEM) with its direct, indirect and
/// total effects, on any panel CSV. Tables by default, <c>--json</c> for the machine form.
/// </summary>
public sealed class SpatialCommand : ICliCommand, IHasFlags
{
    /// <inheritdoc/>
    public string Name => "spatial";
    /// <inheritdoc/>
    public string Summary => "spatial weights, Moran's I by period, spatial Durbin model with spillover effects";
    /// <inheritdoc/>
    public string Usage => """
        usage: compendium spatial moran --data F.csv --y VAR --unit U [--time T] --lat LAT --lon LON --weights W
                                        [--alternative greater|less|two-sided] [--permutations N] [--seed S] [--json]
               compendium spatial sdm   --data F.csv --formula "y ~ d + x1 | unit + year" --lat LAT --lon LON --weights W
                                        [--method lee-yu|direct] [--model sdm|sar|sem] [--unit U] [--time T]
                                        [--draws N] [--seed S] [--json]
          --weights   inverse-distance[:POWER][,cutoff=KM] | knn:K | band:KM | file:W.csv (columns unit_i, unit_j, weight),
                      row-standardised unless ',raw' is added; distances are great-circle km (R = 6371.0088)
          moran       Moran's I of --y in every period (one cross-section without --time), moments under normality and randomisation (spdep's moran.test;
                      p one-sided 'greater' by default), optional permutation p-value (seeded)
                      JSON: variable, weights, units, alternative, moran: [{year, I, expected, variance_normal, z_normal,
                      p_normal, variance_randomisation, z_randomisation, p_randomisation[, p_permutation]}]
          sdm         y = ρWy + Xβ + WXθ + unit and period effects + ε by maximum likelihood: the first fixed effect is the
                      unit (W's units), the second the period; --method lee-yu (default, Lee & Yu 2010 transformation) or
                      direct (with Lee & Yu's bias correction); --model sar drops WX, sem puts λ in the errors;
                      --draws N adds simulated standard errors of the effects (seed --seed)
                      JSON: coefficients (d, x1, W*d, W*x1, rho, sigma2), loglik, impacts: [{name, direct, indirect, total,
                      direct_se, indirect_se, total_se}], diagnostics (model, method, weights, units, periods, …)
        """;
    /// <inheritdoc/>
    public IReadOnlyList<string> Flags => ["json"];

    /// <inheritdoc/>
    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positional.Count == 0) throw new UsageException("say 'spatial moran' or 'spatial sdm'");
        if (args.Positional.Count > 1) throw new UsageException($"unexpected argument '{args.Positional[1]}'");
        return args.Positional[0] switch
        {
            "moran" => RunMoran(args, stdout),
            "sdm" => RunSdm(args, stdout),
            var v => throw new UsageException($"unknown sub-command '{v}'; use moran or sdm"),
        };
    }

    private static int RunMoran(CliArgs args, TextWriter stdout)
    {
        var dataPath = args.Required("data");
        var y = args.Required("y");
        var unit = args.Required("unit");
        var time = args.Option("time");
        var lat = args.Option("lat"); var lon = args.Option("lon");
        var spec = WeightsSpec.Parse(args.Required("weights"));
        var alternative = ParseAlternative(args.Option("alternative") ?? "greater");
        int permutations = IntOption(args, "permutations", 0);
        ulong seed = (ulong)IntOption(args, "seed", 20260112);
        bool json = args.Flag("json");
        args.EnsureAllUsed();

        var data = ColumnTableCsv.Read(dataPath);
        var w = SpatialWeights.FromData(data, unit, lat, lon, spec);
        var tests = Moran.ByPeriod(data, y, unit, time, w, alternative, permutations, seed);
        if (json)
        {
            stdout.Write(ResultJson.Object(j =>
            {
                j.WriteString("variable", y);
                j.WriteString("weights", w.Description);
                j.WriteNumber("units", w.Count);
                j.WriteString("alternative", Moran.AlternativeName(alternative));
                j.WriteStartArray("moran");
                foreach (var m in tests)
                {
                    j.WriteStartObject();
                    if (m.Label.Length == 0) j.WriteNull("year");
                    else if (double.TryParse(m.Label, NumberStyles.Float, CultureInfo.InvariantCulture, out var yr)) j.WriteNumber("year", yr);
                    else j.WriteString("year", m.Label);
                    ResultJson.Num(j, "I", m.I); ResultJson.Num(j, "expected", m.Expected);
                    ResultJson.Num(j, "variance_normal", m.VarianceNormal); ResultJson.Num(j, "z_normal", m.ZNormal); ResultJson.Num(j, "p_normal", m.PNormal);
                    ResultJson.Num(j, "variance_randomisation", m.VarianceRandomisation); ResultJson.Num(j, "z_randomisation", m.ZRandomisation);
                    ResultJson.Num(j, "p_randomisation", m.PRandomisation);
                    if (m.PermutationDraws > 0) ResultJson.Num(j, "p_permutation", m.PermutationP);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
            }) + "\n");
        }
        else stdout.Write(Moran.ToTable(tests, y, w.Description).ToMarkdown());
        return 0;
    }

    private static int RunSdm(CliArgs args, TextWriter stdout)
    {
        var dataPath = args.Required("data");
        var formulaText = args.Required("formula");
        var lat = args.Option("lat"); var lon = args.Option("lon");
        var spec = WeightsSpec.Parse(args.Required("weights"));
        var method = (args.Option("method") ?? "lee-yu").ToLowerInvariant() switch
        {
            "lee-yu" or "leeyu" => SpatialFeMethod.LeeYu,
            "direct" => SpatialFeMethod.Direct,
            var m => throw new UsageException($"--method '{m}': use lee-yu or direct"),
        };
        var model = (args.Option("model") ?? "sdm").ToLowerInvariant() switch
        {
            "sdm" or "durbin" => SpatialModelKind.Durbin,
            "sar" or "lag" => SpatialModelKind.Lag,
            "sem" or "error" => SpatialModelKind.Error,
            var m => throw new UsageException($"--model '{m}': use sdm, sar or sem"),
        };
        var unitOpt = args.Option("unit"); var timeOpt = args.Option("time");
        int draws = IntOption(args, "draws", 0);
        ulong seed = (ulong)IntOption(args, "seed", 20260112);
        bool json = args.Flag("json");
        args.EnsureAllUsed();

        var data = ColumnTableCsv.Read(dataPath);
        var formula = Formula.Parse(formulaText);
        var unit = unitOpt ?? formula.FixedEffects.FirstOrDefault()?.Name
            ?? throw new UsageException("the formula has no fixed effects: name the unit column with --unit");
        var w = SpatialWeights.FromData(data, unit, lat, lon, spec);
        var r = SpatialDurbin.Fit(data, formula, w, new SpatialDurbinOptions(model, method, unitOpt, timeOpt, draws, seed));
        if (json) stdout.Write(r.ToJsonWithImpacts() + "\n");
        else
        {
            stdout.Write(r.ToTable("spatial_" + r.Estimator).ToMarkdown());
            if (r.Impacts.Length > 0) stdout.Write("\n" + r.ImpactsTable().ToMarkdown());
        }
        return 0;
    }

    private static MoranAlternative ParseAlternative(string s) => s.ToLowerInvariant() switch
    {
        "greater" => MoranAlternative.Greater,
        "less" => MoranAlternative.Less,
        "two-sided" or "two.sided" => MoranAlternative.TwoSided,
        _ => throw new UsageException($"--alternative '{s}': use greater, less or two-sided"),
    };

    private static int IntOption(CliArgs args, string name, int fallback)
    {
        var s = args.Option(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v
            : throw new UsageException($"--{name} '{s}' is not a whole number ≥ 0");
    }
}
