using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Index;

namespace Compendium.Simulation;

/// <summary>
/// Simulates the study's balanced city-year panel (283 cities × 2012–2023) from a documented
/// data-generating process with known potential outcomes; see data/README.md ("Synthetic panel") for
/// the equations and calibration targets. Deterministic: every draw comes, in a fixed order, from one
/// <see cref="System.Random"/> created with <see cref="SimulationSettings.Seed"/> (the seeded constructor's
/// algorithm is fixed across .NET versions for compatibility), through MathNet's <see cref="Normal"/> with
/// that instance; every written number is rounded to 7 significant digits before use.
/// </summary>
public static class PanelSimulator
{
    /// <summary>First and last simulated year (those of <see cref="PanelSchema"/>) and the number of years.</summary>
    public const int FirstYear = PanelSchema.FirstYear, LastYear = PanelSchema.LastYear, Years = LastYear - FirstYear + 1;
    /// <summary>Significant digits of every simulated number (keeps files small and platform-independent in practice).</summary>
    public const int Digits = 7;

    /// <summary>
    /// How one indicator's untreated outcome and its treatment effect are generated, in the indicator's units:
    /// Y0_it = clamp(Level·exp(LevelLoad·D_i + LevelSd·ν_i) [additive for gdp_growth] + Trend·(t−2012) + TrendSd·g_i·(t−2017.5)
    ///         + Shock·a_i·s_t + Rebound·[t=2021] + NoiseSd·ε_it, Floor, Cap), a_i = clamp(1 − 0.5·ρ_i, 0.2, 1.8),
    ///         s_t = 1, 0.5, 0.25 in 2020, 2021, 2022 for levels (s_2020 = 1 only for the growth rate, which rebounds instead);
    /// Y1_it = clamp(Y0_it + EffectScale·Effect·M_it − ShockCushion·min(1, M_it)·Shock·a_i·s_t·[treated], Floor, Cap).
    /// </summary>
    internal sealed record IndicatorDgp(string Name, double Level, double LevelLoad, double LevelSd, bool Additive,
        double Trend, double TrendSd, double NoiseSd, double Shock, double Rebound, double Effect, double Floor, double Cap);

    /// <summary>The calibration of the 14 indicators (see data/README.md for the reasoning behind each number).</summary>
    internal static ImmutableArray<IndicatorDgp> IndicatorDgps { get; } =
    [
        new("gdp_pc", 42000, 0.45, 0.25, false, 3200, 600, 1200, -2500, 0, 2600, 8000, double.PositiveInfinity),
        new("trade_dep", 0.15, 0.5, 0.5, false, -0.002, 0.0015, 0.006, -0.01, 0, 0, 0.002, 2.5),
        new("ui_coverage", 9, 0.45, 0.3, false, 0.35, 0.15, 0.5, -0.3, 0, 1.1, 1, 60),
        new("savings_pc", 30000, 0.5, 0.3, false, 3000, 500, 1500, 1500, 0, 1900, 5000, double.PositiveInfinity),
        new("urban_rate", 50, 0.15, 0.1, false, 1.1, 0.25, 0.6, 0, 0, 0.8, 15, 100),
        new("retail_pc", 16000, 0.45, 0.25, false, 1200, 250, 700, -3500, 0, 1300, 3000, double.PositiveInfinity),
        new("gdp_growth", 10.5, 0.3, 1.0, true, -0.45, 0.1, 1.2, -5.5, 3.0, 0.6, -15, 25),
        new("fiscal_self", 0.45, 0.2, 0.25, false, -0.005, 0.006, 0.03, -0.05, 0, 0.045, 0.05, 1.5),
        new("fin_dev", 1.0, 0.2, 0.3, false, 0.04, 0.015, 0.06, 0.05, 0, 0.09, 0.2, 5),
        new("hospital_beds", 45, 0.15, 0.2, false, 1.6, 0.4, 2.0, 0, 0, 0.9, 10, double.PositiveInfinity),
        new("sci_edu_share", 19, 0.05, 0.15, false, 0.15, 0.1, 0.8, -0.5, 0, 1.1, 5, 40),
        new("tert_sec_ratio", 0.85, 0.25, 0.3, false, 0.045, 0.02, 0.05, 0.04, 0, 0.13, 0.2, 6),
        new("students_per10k", 150, 0.8, 0.6, false, 5, 2, 8, 0, 0, 15, 2, double.PositiveInfinity),
        new("patents_per10k", 5, 0.9, 0.5, false, 1.3, 0.25, 0.4, 0, 0, 2.8, 0.05, double.PositiveInfinity),
    ];

    private static readonly Dictionary<SizeClass, double> SizeLevel = new()
    {
        [SizeClass.Megacity] = 1.2, [SizeClass.SuperLarge] = 0.9, [SizeClass.Large1] = 0.6,
        [SizeClass.Large2] = 0.2, [SizeClass.Medium] = -0.2, [SizeClass.Small] = -0.4,
    };

    /// <summary>Effect multiplier by size class: larger in megacities and super-large cities.</summary>
    public static readonly ImmutableDictionary<SizeClass, double> SizeEffect = new Dictionary<SizeClass, double>
    {
        [SizeClass.Megacity] = 1.6, [SizeClass.SuperLarge] = 1.35, [SizeClass.Large1] = 1.15,
        [SizeClass.Large2] = 1.0, [SizeClass.Medium] = 0.85, [SizeClass.Small] = 0.7,
    }.ToImmutableDictionary();

    private static readonly Dictionary<Region, double> RegionLevel = new()
    {
        [Region.East] = 0.4, [Region.Central] = -0.1, [Region.West] = -0.3, [Region.Northeast] = -0.1,
    };

    /// <summary>Simulate the panel for the study's cities and calendar.</summary>
    public static SimulatedPanel Simulate(StudyFacts facts, SimulationSettings? settings = null)
    {
        var s = settings ?? new SimulationSettings();
        if (s.BuildUpYears <= 0 || s.SpilloverRangeKm <= 0 || s.SpilloverShare < 0 || s.EffectScale < 0 || !(s.CohortHeterogeneity >= 0))
            throw new InputException("simulation settings: BuildUpYears and SpilloverRangeKm must be > 0, SpilloverShare, EffectScale and CohortHeterogeneity ≥ 0.");
        for (int y = FirstYear - 1; y < LastYear; y++)
            if (!facts.InternetUsers.ContainsKey(y))
                throw new InputException($"national internet users for {y} are missing (data/national.csv); the instrument needs {FirstYear - 1}–{LastYear - 1}.");

        var run = new Run(facts, s);
        // Fixed order of the draws: all city traits first, then indicator levels, then city-years.
        run.DrawCityTraits();
        run.EffectIntensity();
        run.Calibrate();
        run.DrawCityLevels();
        run.DrawCityYears();
        run.MechanismEffects();
        var (panel, po, index) = run.Assemble();
        return new SimulatedPanel(s, panel, po, index, run.Truth(panel, po, index));
    }

    /// <summary>
    /// One simulation: the random stream and the arrays its steps fill, in the order <see cref="Simulate"/> calls
    /// them (that order fixes which draw goes where, so the same seed gives the same panel).
    /// </summary>
    private sealed class Run(StudyFacts facts, SimulationSettings s)
    {
        private static readonly string[] mechs = ["talent_share", "ln_new_firms"];
        private readonly Random rng = new(s.Seed);
        private readonly City[] cities = facts.Cities.OrderBy(c => c.Code).ToArray();
        private int n => cities.Length;
        private const int T = Years;
        private int rows => n * T;
        private readonly ImmutableArray<IndicatorDgp> dgps = IndicatorDgps;
        // city traits
        private bool[] pilot = [];
        private int[] policyYear = [];
        private double[] D = [], rho = [], ipBase = [], capBase = [], tel = [];
        // effect intensity and its calibration
        private double[] h = [], treat = [], P = [], M = [];
        private double pSlope;
        private ColumnTable ids = ColumnTable.Empty(0, "");
        // city levels
        private double[][] levels = [], slopes = [];
        private double[] talentLevel = [], firmLevel = [], talentSlope = [], firmSlope = [];
        private double[,] ctl = new double[0, 0];
        // city-years
        private Dictionary<string, double[]> y0 = [], y1 = [], controls = [];
        private double[] ip = [], cap = [], iv = [];

        private double N() => Normal.Sample(rng, 0, 1);
        private double Twfe(double[] y) => TwfeSlope(ids, y);

        /// <summary>Pilot status and timing, the level shifter D, the resilience trait, the moderators' bases, telephone density.</summary>
        public void DrawCityTraits()
        {
            pilot = new bool[n];
            policyYear = new int[n];
            D = new double[n]; rho = new double[n];
            ipBase = new double[n]; capBase = new double[n]; tel = new double[n];
            for (int i = 0; i < n; i++)
            {
                var c = cities[i];
                int? py = facts.PolicyYear(c.Code, s.Timing);
                pilot[i] = py is not null; policyYear[i] = py ?? 0;
                double u = N();
                bool senior = c.Municipality || c.ProvincialCapital || c.SubProvincial;
                // Selection on levels: pilot cities are richer and larger (D shifts levels only, never trends).
                D[i] = 0.45 * (pilot[i] ? 1 : 0) + SizeLevel[c.SizeClass] + RegionLevel[c.Region] + (senior ? 0.3 : 0) + 0.5 * u;
                // Resilience trait: absorbs the 2020 shock; built from u and fresh noise only, so independent of pilot status.
                rho[i] = 0.6 * u + 0.8 * N();
                ipBase[i] = Logistic(-0.3 + 0.55 * D[i] + 0.6 * N());
                capBase[i] = Logistic(-0.1 + 0.35 * D[i] + (senior ? 0.4 : 0) + 0.7 * N());
                // Historical telephone density: higher where the zones were later placed (relevance) and in developed cities.
                tel[i] = Math.Exp(-1.0 + 0.25 * D[i] + 0.5 * (pilot[i] ? 1 : 0) + 0.35 * N());
            }

        }

        /// <summary>Build-up over event time × size × moderators (× cohort); spillover on untreated cities (no draws).</summary>
        public void EffectIntensity()
        {
            var ipZ = Standardise(ipBase); var capZ = Standardise(capBase);
            var mult = new double[n];
            for (int i = 0; i < n; i++)
                mult[i] = SizeEffect[cities[i].SizeClass] * Math.Max(0.2, 1 + 0.35 * ipZ[i] + 0.35 * capZ[i]);
            if (s.CohortHeterogeneity > 0)
            {
                // Cohort heterogeneity: the first cohort's effect is (1 + h) times the last cohort's, linear in between.
                var years = policyYear.Where((_, i) => pilot[i]).ToArray();
                int pFirst = years.Length > 0 ? years.Min() : 0, pLast = years.Length > 0 ? years.Max() : 0;
                for (int i = 0; i < n; i++)
                    if (pilot[i] && pLast > pFirst) mult[i] *= 1 + s.CohortHeterogeneity * (pLast - policyYear[i]) / (double)(pLast - pFirst);
            }
            h = new double[rows];
            treat = new double[rows];
            for (int i = 0; i < n; i++)
                for (int t = 0; t < T; t++)
                {
                    int year = FirstYear + t;
                    if (pilot[i] && year >= policyYear[i])
                    {
                        treat[i * T + t] = 1;
                        h[i * T + t] = mult[i] * (1 - Math.Exp(-(year - policyYear[i] + 1) / s.BuildUpYears));
                    }
                }
            P = (double[])h.Clone();
            var spill = new double[rows];
            for (int i = 0; i < n; i++)
            {
                var w = new double[n]; double wsum = 0;
                for (int j = 0; j < n; j++)
                    if (j != i) { w[j] = Math.Exp(-DistanceKm(cities[i], cities[j]) / s.SpilloverRangeKm); wsum += w[j]; }
                for (int t = 0; t < T; t++)
                {
                    if (treat[i * T + t] == 1) continue;
                    double e = 0;
                    for (int j = 0; j < n; j++) e += w[j] * h[j * T + t];
                    spill[i * T + t] = s.SpilloverShare * e / wsum;
                    P[i * T + t] = spill[i * T + t];
                }
            }
        }

        /// <summary>Scale the intensity so that the TWFE DID of the noise-free pattern on treat is 1.</summary>
        public void Calibrate()
        {
            // Calibration: scale so that the TWFE DID of the noise-free effect pattern on treat is 1; the
            // mechanisms' effects are then target × M, so TWFE on the noise-free effects hits the study's numbers.
            ids = ColumnTable.Empty(rows, "simulator calibration")
                .With(PanelSchema.CityCode, Enumerable.Range(0, rows).Select(r => (double)cities[r / T].Code).ToArray())
                .With(PanelSchema.Year, Enumerable.Range(0, rows).Select(r => (double)(FirstYear + r % T)).ToArray())
                .With(PanelSchema.Treat, treat);
            pSlope = Twfe(P);
            M = P.Select(p => p / pSlope).ToArray();

        }

        /// <summary>Each indicator's city level and trend slope, the mechanisms' and the controls' city levels.</summary>
        public void DrawCityLevels()
        {
            y0 = new Dictionary<string, double[]>();
            y1 = new Dictionary<string, double[]>();
            levels = new double[dgps.Length][]; slopes = new double[dgps.Length][];
            for (int k = 0; k < dgps.Length; k++)
            {
                levels[k] = new double[n]; slopes[k] = new double[n];
                for (int i = 0; i < n; i++)
                {
                    var g = dgps[k];
                    double nu = N();
                    levels[k][i] = g.Additive ? g.Level + g.LevelLoad * D[i] + g.LevelSd * nu : g.Level * Math.Exp(g.LevelLoad * D[i] + g.LevelSd * nu);
                    slopes[k][i] = g.TrendSd * N();
                }
            }
            foreach (var g in dgps) { y0[g.Name] = new double[rows]; y1[g.Name] = new double[rows]; }
            foreach (var m in mechs) { y0[m] = new double[rows]; y1[m] = new double[rows]; }
            talentLevel = new double[n]; firmLevel = new double[n]; talentSlope = new double[n]; firmSlope = new double[n];
            for (int i = 0; i < n; i++)
            {
                talentLevel[i] = 0.025 * Math.Exp(0.35 * D[i] + 0.2 * N()); talentSlope[i] = 0.0003 * N();
                firmLevel[i] = 4.5 + 0.8 * D[i] + 0.4 * N() + 0.3 * Math.Log(cities[i].UrbanPop2020 + 0.1); firmSlope[i] = 0.02 * N();
            }
            controls = PanelSchema.Controls.ToDictionary(c => c, _ => new double[rows]);
            ctl = new double[n, 5];
            for (int i = 0; i < n; i++)
            {
                ctl[i, 0] = 0.3 * Math.Exp(0.9 * D[i] + 0.5 * N());
                ctl[i, 1] = 12 * Math.Exp(0.2 * D[i] + 0.25 * N());
                ctl[i, 2] = 0.2 * Math.Exp(-0.25 * D[i] + 0.3 * N());
                ctl[i, 3] = 1.5 * Math.Exp(0.4 * D[i] + 0.7 * N());
                ctl[i, 4] = 4.5 * Math.Exp(0.15 * D[i] + 0.08 * N());
            }
        }

        /// <summary>Every city-year: Y(0) and Y(1) of the indicators, untreated mechanisms, controls, moderators, the instrument.</summary>
        public void DrawCityYears()
        {
            ip = new double[rows]; cap = new double[rows]; iv = new double[rows];
            for (int i = 0; i < n; i++)
                for (int t = 0; t < T; t++)
                {
                    int r = i * T + t, year = FirstYear + t;
                    double centred = t - (T - 1) / 2.0;
                    double absorb = Math.Clamp(1 - 0.5 * rho[i], 0.2, 1.8);
                    bool treated = treat[r] == 1;
                    for (int k = 0; k < dgps.Length; k++)
                    {
                        var g = dgps[k];
                        // Levels recover gradually (half the shock persists each year); the growth rate snaps back with a rebound instead.
                        double shock = g.Shock * absorb * (year == 2020 ? 1 : g.Additive ? 0 : year == 2021 ? 0.5 : year == 2022 ? 0.25 : 0);
                        double v0 = levels[k][i] + g.Trend * t + slopes[k][i] * centred + shock + (year == 2021 ? g.Rebound : 0) + g.NoiseSd * N();
                        v0 = Round(Math.Clamp(v0, g.Floor, g.Cap));
                        double effect = s.EffectScale * g.Effect * M[r] - (treated ? s.ShockCushion * Math.Min(1, M[r]) * shock : 0);
                        y0[g.Name][r] = v0;
                        y1[g.Name][r] = Round(Math.Clamp(v0 + effect, g.Floor, g.Cap));
                    }
                    double ts0 = Round(Math.Max(0.002, talentLevel[i] + 0.0008 * t + talentSlope[i] * centred + 0.002 * N()));
                    double lf0 = Round(firmLevel[i] + 0.08 * t + firmSlope[i] * centred + (year == 2020 ? -0.15 * absorb : 0) + 0.15 * N());
                    y0["talent_share"][r] = ts0; y0["ln_new_firms"][r] = lf0;
                    // Controls move over time by the same absolute amount in every city (plus noise), so their
                    // within-city paths carry no trace of pilot status: proportional growth would make richer
                    // (pilot) cities' controls trend faster and act as proxies for the effect's build-up.
                    controls["econ_density"][r] = Round(Math.Max(0.01, ctl[i, 0] + 0.025 * t + 0.03 * ctl[i, 0] * N()));
                    controls["infrastructure"][r] = Round(Math.Max(2, ctl[i, 1] + 0.3 * t + 0.8 * N()));
                    controls["gov_intervention"][r] = Round(Math.Max(0.05, ctl[i, 2] + (year == 2020 ? 0.02 : 0) + 0.01 * N()));
                    controls["fdi"][r] = Round(Math.Max(0.01, ctl[i, 3] - 0.06 * t + 0.15 * ctl[i, 3] * N()));
                    controls["avg_wage"][r] = Round(ctl[i, 4] + 0.4 * t + 0.02 * ctl[i, 4] * N());
                    ip[r] = Round(Math.Clamp(ipBase[i] + 0.01 * t + 0.01 * N(), 0, 1));
                    cap[r] = Round(Math.Clamp(capBase[i] + 0.005 * t + 0.01 * N(), 0, 1));
                    iv[r] = Round(facts.TelInternetInstrument(Round(tel[i]), year));
                }

        }

        /// <summary>The mechanisms' Y(1).</summary>
        public void MechanismEffects()
        {
            // Mechanisms: effect = τ_m·M with τ_m chosen so that the TWFE DID on the simulated panel equals the
            // study's estimate: TWFE(Y0 + τM) = TWFE(Y0) + τ·TWFE(M) and TWFE(M) = 1, so τ = target − TWFE(Y0).
            var mechanismEffect = new Dictionary<string, double>
            {
                ["talent_share"] = s.TalentShareDid - Twfe(y0["talent_share"]),
                ["ln_new_firms"] = s.NewFirmsDid - Twfe(y0["ln_new_firms"]),
            };
            foreach (var m in mechs)
                for (int r = 0; r < rows; r++) y1[m][r] = Round(y0[m][r] + mechanismEffect[m] * M[r]);

        }

        /// <summary>The panel in the schema's column order, the potential outcomes, and the entropy index fitted on the panel.</summary>
        public (ColumnTable Panel, ColumnTable PotentialOutcomes, EntropyResult Index) Assemble()
        {
            var codes = new double[rows]; var yearsCol = new double[rows]; var pilotCol = new double[rows]; var pyCol = new double[rows]; var relCol = new double[rows];
            var name = new string?[rows]; var prov = new string?[rows]; var size = new string?[rows]; var region = new string?[rows];
            var lat = new double[rows]; var lon = new double[rows]; var telCol = new double[rows];
            for (int i = 0; i < n; i++)
                for (int t = 0; t < T; t++)
                {
                    int r = i * T + t;
                    codes[r] = cities[i].Code; yearsCol[r] = FirstYear + t; pilotCol[r] = pilot[i] ? 1 : 0; pyCol[r] = policyYear[i];
                    relCol[r] = pilot[i] ? FirstYear + t - policyYear[i] : double.NaN;
                    name[r] = cities[i].Name; prov[r] = cities[i].Province; size[r] = SizeClassName(cities[i].SizeClass); region[r] = cities[i].Region.ToString().ToLowerInvariant();
                    lat[r] = cities[i].Latitude; lon[r] = cities[i].Longitude; telCol[r] = Round(tel[i]);
                }
            var indicatorTable = ColumnTable.FromColumns(ResilienceIndicators.All.Select(d => KeyValuePair.Create(d.Name, y1[d.Name])), "simulated panel");
            var index = EntropyIndex.Fit(indicatorTable);
            var y0Table = ColumnTable.FromColumns(ResilienceIndicators.All.Select(d => KeyValuePair.Create(d.Name, y0[d.Name])), "simulated Y(0)");
            var (index0, sub0) = index.Compute(y0Table);
            double[] R(ImmutableArray<double> a) => a.Select(Round).ToArray();
            var dims = Enum.GetValues<Dimension>();

            var panel = ColumnTable.Empty(rows, "simulated panel")
                .With(PanelSchema.CityCode, codes).With("city", name).With("province", prov).With(PanelSchema.Year, yearsCol)
                .With(PanelSchema.Pilot, pilotCol).With(PanelSchema.PolicyYear, pyCol).With(PanelSchema.Treat, treat).With(PanelSchema.RelYear, relCol)
                .With(ResilienceIndicators.IndexColumn, R(index.Index));
            foreach (var d in dims) panel = panel.With(ResilienceIndicators.SubIndexColumn(d), R(index.SubIndices[d]));
            foreach (var d in ResilienceIndicators.All) panel = panel.With(d.Name, y1[d.Name]);
            foreach (var c in PanelSchema.Controls) panel = panel.With(c, controls[c]);
            panel = panel.With("talent_share", y1["talent_share"]).With("ln_new_firms", y1["ln_new_firms"])
                .With("ip_protection", ip).With("policy_capacity", cap).With("tel1984", telCol).With("iv_tel_internet", iv)
                .With("size_class", size).With("region", region).With("latitude", lat).With("longitude", lon);

            var po = ColumnTable.Empty(rows, "simulated potential outcomes").With(PanelSchema.CityCode, codes).With(PanelSchema.Year, yearsCol)
                .With(ResilienceIndicators.IndexColumn + "_y0", R(index0));
            foreach (var d in dims) po = po.With(ResilienceIndicators.SubIndexColumn(d) + "_y0", R(sub0[d]));
            foreach (var d in ResilienceIndicators.All) po = po.With(d.Name + "_y0", y0[d.Name]);
            foreach (var m in mechs) po = po.With(m + "_y0", y0[m]);
            return (panel, po, index);
        }

        /// <summary>The true effects (<see cref="SimulationTruth"/>).</summary>
        public SimulationTruth Truth(ColumnTable panel, ColumnTable po, EntropyResult index)
        {
            var nearestPilotKm = new double[n];
            for (int i = 0; i < n; i++)
                nearestPilotKm[i] = pilot[i] ? 0 : Enumerable.Range(0, n).Where(j => pilot[j]).Min(j => DistanceKm(cities[i], cities[j]));
            var truth = SimulationTruth.Compute(s, panel, po, index, nearestPilotKm.SelectMany(d => Enumerable.Repeat(d, T)).ToArray(), n, T, pSlope);
            return truth;
        }
    }

    /// <summary>
    /// TWFE DID slope of <paramref name="y"/> on <c>treat</c> with city and year fixed effects, by the engine
    /// (<see cref="Feols"/>), so the calibration is the regression a user of the panel runs.
    /// </summary>
    internal static double TwfeSlope(ColumnTable ids, double[] y) =>
        Feols.Fit(ids.With("outcome", y), $"outcome ~ {PanelSchema.Treat} | {PanelSchema.CityCode} + {PanelSchema.Year}")[PanelSchema.Treat].Estimate;

    /// <summary>The cities.csv spelling of a size class (megacity, super_large, large_1, large_2, medium, small).</summary>
    public static string SizeClassName(SizeClass c) => c switch
    {
        SizeClass.Megacity => "megacity", SizeClass.SuperLarge => "super_large", SizeClass.Large1 => "large_1",
        SizeClass.Large2 => "large_2", SizeClass.Medium => "medium", _ => "small",
    };

    /// <summary>Round to <see cref="Digits"/> significant digits (so written files are short and the index is computed from what is written).</summary>
    public static double Round(double x)
    {
        if (x == 0 || !double.IsFinite(x)) return x;
        int decimals = Digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(x)));
        return decimals >= 0 ? Math.Round(x, Math.Min(decimals, 15), MidpointRounding.ToEven)
            : Math.Round(x / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals);
    }

    /// <summary>Great-circle distance (haversine, Earth radius 6371 km).</summary>
    public static double DistanceKm(City a, City b)
    {
        const double rad = Math.PI / 180;
        double dLat = (b.Latitude - a.Latitude) * rad, dLon = (b.Longitude - a.Longitude) * rad;
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(a.Latitude * rad) * Math.Cos(b.Latitude * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * 6371 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] Standardise(double[] x)
    {
        double m = x.Average(), sd = Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
        return x.Select(v => (v - m) / sd).ToArray();
    }
}
