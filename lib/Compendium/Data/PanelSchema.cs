using System.Collections.Immutable;
using Compendium.Econometrics;
using Compendium.Index;

namespace Compendium.Data;

/// <summary>How a panel column is stored and checked.</summary>
public enum VariableKind
{
    /// <summary>A whole number (codes, years, 0/1 dummies).</summary>
    Integer,
    /// <summary>A real number.</summary>
    Numeric,
    /// <summary>Free text (names, categories).</summary>
    Text,
}

/// <summary>One column of the study's panel, with its codebook entry.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">Storage and check.</param>
/// <param name="Unit">Unit (or coding).</param>
/// <param name="Label">What it measures.</param>
/// <param name="StudySource">Where the study took it from (licensed sources or facts).</param>
/// <param name="OurSource">Where this compendium's synthetic panel takes it from.</param>
/// <param name="MayBeEmpty">Empty cells are part of the coding (e.g. <c>rel_year</c> for never-treated cities), not missing data.</param>
/// <param name="DerivedFrom">Where the loader takes the column from when a file lacks it (<see cref="PanelCompletion"/>); None = the file must hold it.</param>
public sealed record PanelVariable(string Name, VariableKind Kind, string Unit, string Label, string StudySource, string OurSource,
    bool MayBeEmpty = false, Derivation DerivedFrom = Derivation.None);

/// <summary>What a column that a panel file may omit is computed from.</summary>
public enum Derivation
{
    /// <summary>Data: the file must hold it.</summary>
    None,
    /// <summary>The city facts (data/cities.csv), by <c>city_code</c>.</summary>
    Facts,
    /// <summary>The pilot-zone calendar under the default timing coding.</summary>
    Calendar,
    /// <summary>The entropy-weighted index of the 14 indicators (pooled weights).</summary>
    Index,
    /// <summary><c>tel1984</c> × the previous year's national internet users (data/national.csv).</summary>
    Instrument,
}

/// <summary>
/// The study's panel schema: one row per city-year, these columns (extra columns are allowed and kept).
/// The simulator writes exactly these columns in this order; <see cref="PanelLoader"/> checks a file against them.
/// </summary>
public static class PanelSchema
{
    /// <summary>Column name of the 6-digit administrative city code.</summary>
    public const string CityCode = "city_code";
    /// <summary>Column name of the calendar year.</summary>
    public const string Year = "year";
    /// <summary>Column name of the pilot-zone membership dummy (0/1).</summary>
    public const string Pilot = "pilot";
    /// <summary>Column name of the first treated year (0 for never-treated cities).</summary>
    public const string PolicyYear = "policy_year";
    /// <summary>Column name of the treatment dummy, pilot × (year ≥ policy_year).</summary>
    public const string Treat = "treat";
    /// <summary>Column name of event time, year − policy_year (empty for never-treated cities).</summary>
    public const string RelYear = "rel_year";
    /// <summary>First year of the study panel.</summary>
    public const int FirstYear = 2012;
    /// <summary>Last year of the study panel.</summary>
    public const int LastYear = 2023;

    private const string Yb = "city statistical yearbooks (EPS)";
    private const string Sim = "simulated";
    private const string Fact = "fact (data/cities.csv)";

    /// <summary>Every column, in file order.</summary>
    public static ImmutableArray<PanelVariable> Variables { get; } = Build();

    /// <summary>Every column name, in file order (what the simulator writes).</summary>
    public static ImmutableArray<string> Columns { get; } = Variables.Select(v => v.Name).ToImmutableArray();

    /// <summary>Columns a panel file must hold; the others are derived from public facts and the indicators when absent.</summary>
    public static ImmutableArray<string> RequiredColumns { get; } = Variables.Where(v => v.DerivedFrom == Derivation.None).Select(v => v.Name).ToImmutableArray();

    /// <summary>Control variables of the baseline specification, in the paper's order.</summary>
    public static ImmutableArray<string> Controls { get; } = ["econ_density", "infrastructure", "gov_intervention", "fdi", "avg_wage"];

    /// <summary>The schema entry of a column; an <see cref="InputException"/> listing the columns if it is not one.</summary>
    public static PanelVariable Get(string name) =>
        Variables.FirstOrDefault(v => v.Name == name) ?? throw new InputException($"'{name}' is not a panel column. Columns: {string.Join(", ", Columns)}.");

    private static ImmutableArray<PanelVariable> Build()
    {
        var v = ImmutableArray.CreateBuilder<PanelVariable>();
        v.Add(new(CityCode, VariableKind.Integer, "6-digit administrative code", "City", "administrative division codes", Fact));
        v.Add(new("city", VariableKind.Text, "English name", "City name", "—", Fact, DerivedFrom: Derivation.Facts));
        v.Add(new("province", VariableKind.Text, "English name", "Province", "—", Fact, DerivedFrom: Derivation.Facts));
        v.Add(new(Year, VariableKind.Integer, "calendar year", "Year", "—", "2012–2023"));
        v.Add(new(Pilot, VariableKind.Integer, "0/1", "City belongs to a big data comprehensive pilot zone", "State Council / NDRC approvals", "fact (data/pilot_zones.csv)", DerivedFrom: Derivation.Calendar));
        v.Add(new(PolicyYear, VariableKind.Integer, "year; 0 = never treated", "First treated year under the timing coding", "approval dates", "fact (timing coding)", DerivedFrom: Derivation.Calendar));
        v.Add(new(Treat, VariableKind.Integer, "0/1", "pilot × (year ≥ policy_year)", "approval dates", "fact (timing coding)", DerivedFrom: Derivation.Calendar));
        v.Add(new(RelYear, VariableKind.Integer, "years; empty for never-treated", "year − policy_year", "—", "fact (timing coding)", MayBeEmpty: true, DerivedFrom: Derivation.Calendar));
        v.Add(new(ResilienceIndicators.IndexColumn, VariableKind.Numeric, "index in [0, 1]", "Urban economic resilience (entropy-weighted, pooled weights)", "computed from the 14 indicators", "computed from the simulated indicators", DerivedFrom: Derivation.Index));
        foreach (var d in Enum.GetValues<Dimension>())
            v.Add(new(ResilienceIndicators.SubIndexColumn(d), VariableKind.Numeric, "index in [0, 1]", $"{d} sub-index", "computed", "computed from the simulated indicators", DerivedFrom: Derivation.Index));
        foreach (var ind in ResilienceIndicators.All)
            v.Add(new(ind.Name, VariableKind.Numeric, ind.Unit, $"{ind.Label} ({ind.Dimension}, {(ind.Direction == Direction.Positive ? "+" : "−")})", Yb, Sim));
        v.Add(new("econ_density", VariableKind.Numeric, "100 million yuan GDP per km²", "Economic density", Yb, Sim));
        v.Add(new("infrastructure", VariableKind.Numeric, "m² paved road per person", "Infrastructure", Yb, Sim));
        v.Add(new("gov_intervention", VariableKind.Numeric, "ratio budget expenditure / GDP", "Government intervention", Yb, Sim));
        v.Add(new("fdi", VariableKind.Numeric, "% of GDP (FDI actually used)", "Foreign direct investment", Yb, Sim));
        v.Add(new("avg_wage", VariableKind.Numeric, "10,000 yuan per employee per year", "Average wage of urban employees", Yb, Sim));
        v.Add(new("talent_share", VariableKind.Numeric, "share of urban employment (0–1)", "Talent share: employment in IT/software and scientific research", Yb, Sim));
        v.Add(new("ln_new_firms", VariableKind.Numeric, "ln(count)", "Log of new IT/software firm registrations", "firm registration records (Qichacha / Wind)", Sim));
        v.Add(new("ip_protection", VariableKind.Numeric, "index in [0, 1]", "Intellectual-property protection", "IP court cases / protection index (Wind)", Sim));
        v.Add(new("policy_capacity", VariableKind.Numeric, "index in [0, 1]", "Policy-implementation capacity of the city government", "government-efficiency index (EPS)", Sim));
        v.Add(new("tel1984", VariableKind.Numeric, "fixed telephones per 100 people, 1984", "Historical telephone density", "1985 city statistical yearbooks", Sim));
        v.Add(new("iv_tel_internet", VariableKind.Numeric, "tel1984 × national internet users of year − 1 (100 million)", "Instrument", "yearbooks × CNNIC", "simulated tel1984 × fact (data/national.csv)", DerivedFrom: Derivation.Instrument));
        v.Add(new("size_class", VariableKind.Text, "2014 State Council class", "Urban size class (2020 census)", "2020 census", Fact, DerivedFrom: Derivation.Facts));
        v.Add(new("region", VariableKind.Text, "East/Central/West/Northeast", "Region", "NBS division", Fact, DerivedFrom: Derivation.Facts));
        v.Add(new("latitude", VariableKind.Numeric, "degrees N", "Latitude of the city seat", "—", Fact, DerivedFrom: Derivation.Facts));
        v.Add(new("longitude", VariableKind.Numeric, "degrees E", "Longitude of the city seat", "—", Fact, DerivedFrom: Derivation.Facts));
        return v.ToImmutable();
    }
}
