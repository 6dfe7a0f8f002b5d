using System.CommandLine;
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
public sealed class SpatialCommand : CommandDefinition
{
    /// <inheritdoc/>
    public override string Name => "spatial";
    /// <inheritdoc/>
    public override string Summary => "spatial weights, Moran's I by period, spatial Durbin model with spillover effects";
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [];
    /// <inheritdoc/>
    protected override IEnumerable<CommandDefinition> SubCommands => [new MoranCommand(), new SdmCommand()];
    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr) => throw new UsageException("say 'spatial moran' or 'spatial sdm'");

    /// <summary>The options both sub-commands share: the data, the coordinates and the weights.</summary>
    private abstract class SpatialSubCommand : CommandDefinition
    {
        protected readonly Option<string> Data = Text("--data", "panel CSV", required: true, helpName: "F.csv");
        protected readonly Option<string> Lat = Text("--lat", "latitude column (degrees)", helpName: "LAT");
        protected readonly Option<string> Lon = Text("--lon", "longitude column (degrees)", helpName: "LON");
        protected readonly Option<string> Weights = Text("--weights", "inverse-distance[:POWER][,cutoff=KM] | knn:K | band:KM | file:W.csv (columns unit_i, unit_j, weight), row-standardised unless ',raw' is added; distances are great-circle km (R = 6371.0088)", required: true, helpName: "W");
        protected readonly Option<ulong> SeedOption = Seed("seed of the random draws", 20260112);
        protected readonly Option<bool> Json = Flag("--json", "print JSON instead of tables");
    }

    private sealed class MoranCommand : SpatialSubCommand
    {
        private readonly Option<string> _y = Text("--y", "the variable tested", required: true, helpName: "VAR");
        private readonly Option<string> _unit = Text("--unit", "unit column (W's units)", required: true, helpName: "U");
        private readonly Option<string> _time = Text("--time", "period column (one cross-section without it)", helpName: "T");
        private readonly Option<string> _alternative = Text("--alternative", "alternative hypothesis", helpName: "greater|less|two-sided", defaultValue: "greater");
        private readonly Option<int> _permutations = Int("--permutations", "permutations of the optional permutation p-value (0: none)", 0);

        public override string Name => "moran";
        public override string Summary => "Moran's I of --y in every period, moments under normality and randomisation (spdep's moran.test), optional permutation p-value (seeded)";
        public override string Details => """
            JSON: variable, weights, units, alternative, moran: [{year, I, expected, variance_normal, z_normal, p_normal, variance_randomisation, z_randomisation, p_randomisation[, p_permutation]}]
            """;
        protected override IEnumerable<Symbol> Symbols => [Data, _y, _unit, _time, Lat, Lon, Weights, _alternative, _permutations, SeedOption, Json];

        protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
        {
            var dataPath = parse.GetRequiredValue(Data);
            var y = parse.GetRequiredValue(_y);
            var unit = parse.GetRequiredValue(_unit);
            var time = parse.GetValue(_time);
            var (lat, lon) = (parse.GetValue(Lat), parse.GetValue(Lon));
            var spec = WeightsSpec.Parse(parse.GetRequiredValue(Weights));
            var alternative = ParseAlternative(parse.GetRequiredValue(_alternative));
            int permutations = AtLeast(parse, _permutations, 0);
            ulong seed = parse.GetValue(SeedOption);
            bool json = parse.GetValue(Json);

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
    }

    private sealed class SdmCommand : SpatialSubCommand
    {
        private readonly Option<string> _formula = Text("--formula", "\"y ~ d + x1 | unit + year\": the first fixed effect is the unit (W's units), the second the period", required: true, helpName: "FORMULA");
        private readonly Option<string> _method = Text("--method", "lee-yu (Lee & Yu 2010 transformation) or direct (with Lee & Yu's bias correction)", helpName: "lee-yu|direct", defaultValue: "lee-yu");
        private readonly Option<string> _model = Text("--model", "sdm; sar drops WX, sem puts λ in the errors", helpName: "sdm|sar|sem", defaultValue: "sdm");
        private readonly Option<string> _unit = Text("--unit", "unit column (default: the first fixed effect)", helpName: "U");
        private readonly Option<string> _time = Text("--time", "period column (default: the second fixed effect)", helpName: "T");
        private readonly Option<int> _draws = Int("--draws", "simulated standard errors of the effects from N draws (0: none; seed --seed)", 0);

        public override string Name => "sdm";
        public override string Summary => "y = ρWy + Xβ + WXθ + unit and period effects + ε by maximum likelihood, with direct, indirect and total effects";
        public override string Details => """
            JSON: coefficients (d, x1, W*d, W*x1, rho, sigma2), loglik, impacts: [{name, direct, indirect, total, direct_se, indirect_se, total_se}], diagnostics (model, method, weights, units, periods, …)
            """;
        protected override IEnumerable<Symbol> Symbols => [Data, _formula, Lat, Lon, Weights, _method, _model, _unit, _time, _draws, SeedOption, Json];

        protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
        {
            var dataPath = parse.GetRequiredValue(Data);
            var formulaText = parse.GetRequiredValue(_formula);
            var (lat, lon) = (parse.GetValue(Lat), parse.GetValue(Lon));
            var spec = WeightsSpec.Parse(parse.GetRequiredValue(Weights));
            var method = parse.GetRequiredValue(_method).ToLowerInvariant() switch
            {
                "lee-yu" or "leeyu" => SpatialFeMethod.LeeYu,
                "direct" => SpatialFeMethod.Direct,
                var m => throw new UsageException($"--method '{m}': use lee-yu or direct"),
            };
            var model = parse.GetRequiredValue(_model).ToLowerInvariant() switch
            {
                "sdm" or "durbin" => SpatialModelKind.Durbin,
                "sar" or "lag" => SpatialModelKind.Lag,
                "sem" or "error" => SpatialModelKind.Error,
                var m => throw new UsageException($"--model '{m}': use sdm, sar or sem"),
            };
            var (unitOpt, timeOpt) = (parse.GetValue(_unit), parse.GetValue(_time));
            int draws = AtLeast(parse, _draws, 0);
            ulong seed = parse.GetValue(SeedOption);
            bool json = parse.GetValue(Json);

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
    }

    private static MoranAlternative ParseAlternative(string s) => s.ToLowerInvariant() switch
    {
        "greater" => MoranAlternative.Greater,
        "less" => MoranAlternative.Less,
        "two-sided" or "two.sided" => MoranAlternative.TwoSided,
        _ => throw new UsageException($"--alternative '{s}': use greater, less or two-sided"),
    };
}
