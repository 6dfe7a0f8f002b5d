using System.Collections.Immutable;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;

namespace Compendium.Data;

/// <summary>
/// The public facts of the study: its 283 cities, the eight pilot zones with their members, and the
/// national internet-user series used by the instrument. Load them with <see cref="Load"/>; every
/// lookup by city code fails loudly on an unknown code rather than returning "not treated".
/// </summary>
public sealed record StudyFacts
{
    /// <summary>File names inside the data folder; the codebook is data/README.md.</summary>
    public const string CitiesFile = "cities.csv", ZonesFile = "pilot_zones.csv", MembersFile = "pilot_members.csv", NationalFile = "national.csv";

    internal static readonly string[] CityColumns =
        ["city_code", "city", "city_zh", "province", "province_zh", "region", "latitude", "longitude",
         "municipality", "provincial_capital", "sub_provincial", "urban_pop_2020", "size_class"];
    internal static readonly string[] ZoneColumns =
        ["zone_id", "zone", "zone_zh", "batch", "approved", "policy_year_default", "policy_year_alternative", "source"];
    internal static readonly string[] MemberColumns = ["zone_id", "city_code"];
    internal static readonly string[] NationalColumns = ["year", "internet_users_million", "source"];

    private readonly ImmutableArray<City> _cities;
    private readonly ImmutableArray<PilotZone> _zones;
    private ImmutableDictionary<int, City> _byCode = ImmutableDictionary<int, City>.Empty;
    private ImmutableDictionary<int, PilotZone> _zoneOf = ImmutableDictionary<int, PilotZone>.Empty;

    /// <exception cref="ArgumentException">Duplicate city codes, or a city in two zones.</exception>
    public StudyFacts(ImmutableArray<City> Cities, ImmutableArray<PilotZone> Zones, ImmutableDictionary<int, double> InternetUsers)
    {
        this.Cities = Cities;
        this.Zones = Zones;
        this.InternetUsers = InternetUsers;
    }

    /// <summary>The cities, ascending by code.</summary>
    public ImmutableArray<City> Cities
    {
        get => _cities;
        init { _cities = value; _byCode = value.ToImmutableDictionary(c => c.Code); }
    }

    /// <summary>The pilot zones; a city belongs to at most one (setting this throws <see cref="ArgumentException"/> otherwise).</summary>
    public ImmutableArray<PilotZone> Zones
    {
        get => _zones;
        init
        {
            _zones = value;
            var b = ImmutableDictionary.CreateBuilder<int, PilotZone>();
            foreach (var z in value)
                foreach (var m in z.Members)
                    if (!b.TryAdd(m, z))
                        throw new ArgumentException($"city {m} is a member of both zone '{b[m].Id}' and zone '{z.Id}'", nameof(Zones));
            _zoneOf = b.ToImmutable();
        }
    }

    /// <summary>National internet users (CNNIC), millions, by year.</summary>
    public ImmutableDictionary<int, double> InternetUsers { get; init; }

    /// <summary>Deconstruct into <see cref="Cities"/>, <see cref="Zones"/> and <see cref="InternetUsers"/>.</summary>
    public void Deconstruct(out ImmutableArray<City> Cities, out ImmutableArray<PilotZone> Zones, out ImmutableDictionary<int, double> InternetUsers)
    {
        Cities = this.Cities; Zones = this.Zones; InternetUsers = this.InternetUsers;
    }

    /// <summary>The city with this code.</summary>
    /// <exception cref="InputException">The code is not one of the study's cities.</exception>
    public City City(int code) =>
        _byCode.TryGetValue(code, out var c) ? c
            : throw new InputException($"city code {code} is not one of the study's {_cities.Length} cities (data/{CitiesFile})");

    /// <summary>
    /// The study's instrument for a city-year: z = tel1984 × national internet users of year − 1
    /// (millions / 100, i.e. in 100 million), the historical-infrastructure × national-trend design.
    /// </summary>
    /// <exception cref="InputException">No internet-user figure for year − 1 in data/national.csv.</exception>
    public double TelInternetInstrument(double tel1984, int year) =>
        InternetUsers.TryGetValue(year - 1, out var users) ? tel1984 * users / 100.0
            : throw new InputException($"no national internet users for {(year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} in data/national.csv, needed for the instrument of year {year.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    /// <summary>The pilot zone the city belongs to, or null if it is never treated.</summary>
    /// <exception cref="InputException">Unknown city code.</exception>
    public PilotZone? ZoneOf(int cityCode)
    {
        City(cityCode);
        return _zoneOf.GetValueOrDefault(cityCode);
    }

    /// <summary>First treated year of the city under <paramref name="timing"/>; null = never treated.</summary>
    /// <exception cref="InputException">Unknown city code.</exception>
    public int? PolicyYear(int cityCode, TimingCoding timing) => ZoneOf(cityCode)?.PolicyYear(timing);

    /// <summary>
    /// The repository's data folder: walk up from <paramref name="start"/> (default: the current
    /// directory, then the application's base directory) to the folder holding Compendium.sln,
    /// and return its <c>data</c> subfolder.
    /// </summary>
    /// <exception cref="InputException">No Compendium.sln above the start directory.</exception>
    public static string DefaultDataDir(string? start = null) => Path.Combine(RepoRoot.Find(start), "data");

    /// <summary>
    /// Read and validate cities.csv, pilot_zones.csv, pilot_members.csv and national.csv from
    /// <paramref name="dataDir"/>. Validation: exact headers, unique and ascending 6-digit codes,
    /// coordinates inside China, size class consistent with the urban population, members that
    /// exist and belong to one zone only, years that are unique.
    /// </summary>
    /// <exception cref="InputException">Any problem, naming file, row and column.</exception>
    public static StudyFacts Load(string dataDir)
    {
        var cities = LoadCities(Path.Combine(dataDir, CitiesFile));
        var zones = LoadZones(Path.Combine(dataDir, ZonesFile), Path.Combine(dataDir, MembersFile), cities);
        var national = LoadNational(Path.Combine(dataDir, NationalFile));
        return new StudyFacts(cities, zones, national);
    }

    internal static ImmutableArray<City> LoadCities(string path)
    {
        var t = Csv.Read(path);
        t.RequireHeader(CityColumns);
        var list = ImmutableArray.CreateBuilder<City>(t.Rows.Length);
        int previous = 0;
        foreach (var r in t.Rows)
        {
            int code = r.Int("city_code");
            if (code < 110000 || code > 659999 || r["city_code"].Length != 6) throw r.Error("city_code", "a 6-digit GB/T 2260 code between 110000 and 659999");
            if (code <= previous) throw r.Error("city_code", $"codes unique and ascending (previous row has {previous})");
            previous = code;
            var region = Regions.TryParse(r["region"]) ?? throw r.Error("region", "east, central, west or northeast");
            double lat = r.Double("latitude"), lon = r.Double("longitude");
            // China's bounding box; a swapped latitude/longitude fails here.
            if (lat < 18 || lat > 54) throw r.Error("latitude", "a latitude inside China (18 to 54 degrees north)");
            if (lon < 73 || lon > 136) throw r.Error("longitude", "a longitude inside China (73 to 136 degrees east)");
            bool muni = r.Flag("municipality");
            if (muni != (code % 10000 == 0)) throw r.Error("municipality", $"1 exactly for province-level codes ending in 0000 (code {code})");
            double pop = r.Double("urban_pop_2020");
            if (pop <= 0 || pop > 40) throw r.Error("urban_pop_2020", "an urban population in millions, above 0 and at most 40");
            var size = SizeClasses.TryParse(r["size_class"]) ?? throw r.Error("size_class", "megacity, super_large, large_1, large_2, medium or small");
            var implied = SizeClasses.FromUrbanPopulation(pop);
            if (size != implied) throw r.Error("size_class", $"'{SizeClasses.Name(implied)}' for urban_pop_2020 = {r["urban_pop_2020"]} million (2014 thresholds)");
            list.Add(new City(code, r.Text("city"), r.Text("city_zh"), r.Text("province"), r.Text("province_zh"), region,
                lat, lon, muni, r.Flag("provincial_capital"), r.Flag("sub_provincial"), pop, size));
        }
        if (list.Count == 0) throw new InputException($"{path}: no cities");
        return list.MoveToImmutable();
    }

    internal static ImmutableArray<PilotZone> LoadZones(string zonesPath, string membersPath, ImmutableArray<City> cities)
    {
        var zt = Csv.Read(zonesPath);
        zt.RequireHeader(ZoneColumns);
        var mt = Csv.Read(membersPath);
        mt.RequireHeader(MemberColumns);

        var known = cities.Select(c => c.Code).ToHashSet();
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var seen = new Dictionary<int, string>();
        var zoneIds = zt.Rows.Select(r => r["zone_id"]).ToHashSet(StringComparer.Ordinal);
        foreach (var r in mt.Rows)
        {
            var id = r.Text("zone_id");
            if (!zoneIds.Contains(id)) throw r.Error("zone_id", $"a zone_id listed in {zonesPath}");
            int code = r.Int("city_code");
            if (!known.Contains(code)) throw r.Error("city_code", "the code of one of the study's cities");
            if (seen.TryGetValue(code, out var other)) throw r.Error("city_code", $"each city in one zone only (already in '{other}')");
            seen[code] = id;
            (members.TryGetValue(id, out var l) ? l : members[id] = []).Add(code);
        }

        var zones = ImmutableArray.CreateBuilder<PilotZone>(zt.Rows.Length);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in zt.Rows)
        {
            var id = r.Text("zone_id");
            if (!ids.Add(id)) throw r.Error("zone_id", "a unique zone id");
            int batch = r.Int("batch");
            if (batch < 1) throw r.Error("batch", "a batch number of 1 or more");
            var approved = r.Date("approved");
            int yd = r.Int("policy_year_default"), ya = r.Int("policy_year_alternative");
            if (yd < 1990 || yd > 2100) throw r.Error("policy_year_default", "a year between 1990 and 2100");
            if (ya < 1990 || ya > 2100) throw r.Error("policy_year_alternative", "a year between 1990 and 2100");
            r.Text("source");
            if (!members.TryGetValue(id, out var m) || m.Count == 0)
                throw r.Error("zone_id", $"a zone with at least one member city in {membersPath}");
            zones.Add(new PilotZone(id, r.Text("zone"), r.Text("zone_zh"), batch, approved, yd, ya, [.. m.Order()]));
        }
        return zones.MoveToImmutable();
    }

    internal static ImmutableDictionary<int, double> LoadNational(string path)
    {
        var t = Csv.Read(path);
        t.RequireHeader(NationalColumns);
        var b = ImmutableDictionary.CreateBuilder<int, double>();
        foreach (var r in t.Rows)
        {
            int year = r.Int("year");
            if (year < 1980 || year > 2100) throw r.Error("year", "a year between 1980 and 2100");
            if (b.ContainsKey(year)) throw r.Error("year", "each year once");
            double users = r.Double("internet_users_million");
            if (users <= 0) throw r.Error("internet_users_million", "a positive number of millions");
            r.Text("source");
            b.Add(year, users);
        }
        return b.ToImmutable();
    }
}
