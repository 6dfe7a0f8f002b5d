using System.CommandLine;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Sensitivity;
using Compendium.Econometrics.Staggered;

namespace Compendium.Cli;

/// <summary>
/// <c>compendium honest</c>: HonestDiD sensitivity analysis (Rambachan &amp; Roth 2023) of an event study,
/// read from the JSON of <c>compendium did --json</c> (<c>dynamic</c> + <c>dynamic_vcov</c>), from a JSON
/// with <c>betahat</c>, <c>sigma</c>, <c>num_pre</c>, <c>num_post</c>, or estimated from a panel CSV (TWFE event
/// study, Sun–Abraham, or Callaway–Sant'Anna with the universal base period). <c>--json</c>: restriction,
/// method, l, estimate, original {lower, upper}, bounds [{m, lower, upper}], breakdown, num_pre, num_post.
/// </summary>
public sealed class HonestCommand : CommandDefinition
{
    private readonly Option<string> _eventStudy = Text("--event-study", "JSON of 'compendium did --estimator cs|sa --json' (dynamic + dynamic_vcov; cs needs --base-period universal), or {\"betahat\": [...], \"sigma\": [[...]], \"num_pre\": k, \"num_post\": m}", helpName: "FILE.json");
    private readonly Option<string> _data = Text("--data", "a panel CSV to estimate the event study from (instead of --event-study); needs --y, --unit, --time, --group", helpName: "FILE.csv");
    private readonly Option<string> _y = Text("--y", "outcome column (with --data)", helpName: "Y");
    private readonly Option<string> _unit = Text("--unit", "unit column (with --data)", helpName: "U");
    private readonly Option<string> _time = Text("--time", "period column (with --data)", helpName: "T");
    private readonly Option<string> _group = Text("--group", "first treated period of each unit (with --data; 0 or empty: never treated)", helpName: "G");
    private readonly Option<string> _estimator = Text("--estimator", "for a panel: twfe (event study y ~ i(event time, ref = -1) | unit + time, clustered by unit), sa (Sun–Abraham) or cs (Callaway–Sant'Anna, universal base period)", helpName: "twfe|sa|cs", defaultValue: "twfe");
    private readonly Option<string> _restriction = Text("--restriction", "rm: relative magnitudes, conditional least-favourable hybrid; sd: smoothness, fixed-length CI", helpName: "rm|sd", defaultValue: "rm");
    private readonly Option<string> _m = Text("--m", "grid of Mbar (rm, default 0.5,1,1.5,2) or M (sd, default 10 values from 0 to SE of the first lead)", helpName: "0.5,1,1.5,2");
    private readonly Option<string> _l = Text("--l", "weights of the target over the post-treatment effects (default: the first one)", helpName: "1,0");
    private readonly Option<double> _alpha = Number("--alpha", "level of the confidence sets (1 - alpha)", 0.05, "A");
    private readonly Option<bool> _json = Flag("--json", "JSON: restriction, method, l, estimate, original {lower, upper}, bounds [{m, lower, upper}], breakdown, num_pre, num_post");

    /// <inheritdoc/>
    public override string Name => "honest";
    /// <inheritdoc/>
    public override string Summary => "HonestDiD robust confidence sets (relative magnitudes / smoothness) for an event study";
    /// <inheritdoc/>
    public override string Details => """
        Give either --event-study FILE.json or --data FILE.csv --y Y --unit U --time T --group G [--estimator twfe|sa|cs].
        """;
    /// <inheritdoc/>
    protected override IEnumerable<Symbol> Symbols => [_eventStudy, _data, _y, _unit, _time, _group, _estimator, _restriction, _m, _l, _alpha, _json];

    /// <inheritdoc/>
    protected override int Run(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        var esPath = parse.GetValue(_eventStudy);
        var dataPath = parse.GetValue(_data);
        var (y, unit, time, group) = (parse.GetValue(_y), parse.GetValue(_unit), parse.GetValue(_time), parse.GetValue(_group));
        var estimator = parse.GetValue(_estimator);
        var restriction = parse.GetValue(_restriction);
        var (m, l) = (parse.GetValue(_m), parse.GetValue(_l));
        double alpha = parse.GetValue(_alpha);
        bool json = parse.GetValue(_json);
        if ((esPath is null) == (dataPath is null)) throw new UsageException("give either --event-study FILE.json or --data FILE.csv");
        var o = new HonestDidOptions(
            restriction switch { "rm" => HonestRestriction.RelativeMagnitudes, "sd" => HonestRestriction.Smoothness,
                _ => throw new UsageException($"--restriction is rm or sd, not '{restriction}'") },
            m is null ? default : List(m, "m"), l is null ? default : List(l, "l"), alpha);
        HonestDidResult r;
        if (esPath is not null)
        {
            r = FromJson(esPath, o);
        }
        else
        {
            if (y is null || unit is null || time is null || group is null) throw new UsageException("--data needs --y, --unit, --time and --group");
            var data = ColumnTableCsv.Read(dataPath!);
            IEventTimePath path = estimator switch
            {
                "twfe" => EventStudy.FitFromCohort(data, y, group, time, [unit, time], Vcov.Cluster(unit)),
                "sa" => SunAbraham.Fit(data, y, unit, time, group),
                "cs" => CallawaySantAnna.Fit(data, y, unit, time, group, new CallawaySantAnnaOptions(Base: BasePeriod.Universal)),
                _ => throw new UsageException($"--estimator is twfe, sa or cs, not '{estimator}'"),
            };
            r = HonestDid.Fit(path, o);
        }
        return Write(stdout, json, r.ToJson, () => r.ToTable().ToMarkdown());
    }

    private static ImmutableArray<double> List(string text, string name) =>
    [
        .. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"option --{name}: '{s}' is not a number")),
    ];

    private static HonestDidResult FromJson(string path, HonestDidOptions o)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found.");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InputException($"{path}: not valid JSON ({e.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            try
            {
                if (root.TryGetProperty("betahat", out var b))
                {
                    var beta = b.EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    var sigma = Matrix(root.GetProperty("sigma"), beta.Length, path);
                    return HonestDid.Fit(beta, sigma, root.GetProperty("num_pre").GetInt32(), root.GetProperty("num_post").GetInt32(), o);
                }
                if (!root.TryGetProperty("dynamic", out var dyn) || !root.TryGetProperty("dynamic_vcov", out var cov))
                    throw new InputException($"{path}: needs 'dynamic' and 'dynamic_vcov' (from 'compendium did --json') or 'betahat', 'sigma', 'num_pre', 'num_post'.");
                var pts = dyn.EnumerateArray().Select(p =>
                {
                    int e = p.GetProperty("event_time").GetInt32();
                    bool reference = p.GetProperty("std_error").ValueKind == JsonValueKind.Null;
                    double est = p.GetProperty("estimate").GetDouble();
                    return new EventTimeEstimate(e, e.ToString(CultureInfo.InvariantCulture), est, reference ? double.NaN : p.GetProperty("std_error").GetDouble(),
                        double.NaN, double.NaN, reference, false);
                }).ToImmutableArray();
                int k = pts.Count(p => !p.IsReference);
                return HonestDid.Fit(new JsonPath(pts, Matrix(cov, k, path)), o);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InputException($"{path}: unexpected JSON layout ({e.Message}).");
            }
        }
    }

    private static double[,] Matrix(JsonElement rows, int k, string path)
    {
        var list = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        if (list.Length != k || list.Any(r => r.Length != k)) throw new InputException($"{path}: the covariance matrix is not {k}×{k}.");
        var m = new double[k, k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) m[i, j] = list[i][j];
        return m;
    }

    private sealed class JsonPath(ImmutableArray<EventTimeEstimate> path, double[,] cov) : IEventTimePath
    {
        public ImmutableArray<EventTimeEstimate> Path => path;
        public double[,] PathCovariance() => cov;
    }
}
