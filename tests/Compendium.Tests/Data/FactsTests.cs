using System.Collections.Immutable;
using Xunit;
using Compendium.Data;
using Compendium.Econometrics;

namespace Compendium.Tests.Data;

/// <summary>The shipped facts (data/*.csv) and the StudyFacts API.</summary>
public class FactsTests
{
    private static readonly Lazy<StudyFacts> Shipped = new(() => StudyFacts.Load(StudyFacts.DefaultDataDir()));
    private static StudyFacts F => Shipped.Value;

    private static readonly int[] Prd = [440100, 440300, 440400, 440600, 440700, 441200, 441300, 441900, 442000];

    private static int Treated(TimingCoding t) => F.Cities.Count(c => F.PolicyYear(c.Code, t) is not null);

    [Fact]
    public void Has283UniqueSixDigitCodesSorted()
    {
        Assert.Equal(283, F.Cities.Length);
        Assert.Equal(283, F.Cities.Select(c => c.Code).Distinct().Count());
        Assert.All(F.Cities, c => Assert.InRange(c.Code, 100000, 999999));
        Assert.Equal(F.Cities.Select(c => c.Code).Order(), F.Cities.Select(c => c.Code));
        Assert.Equal(283, F.Cities.Select(c => c.NameZh).Distinct().Count());
    }

    [Fact]
    public void FiftySevenTreatedUnderEitherCoding()
    {
        Assert.Equal(57, Treated(TimingCoding.Default));
        Assert.Equal(57, Treated(TimingCoding.Alternative));
        Assert.Equal(57, F.Zones.Sum(z => z.Members.Length));
        Assert.Equal(8, F.Zones.Length);
    }

    [Fact]
    public void ShenyangTreatedDalianNot()
    {
        Assert.Equal("shenyang", F.ZoneOf(210100)!.Id);
        Assert.Equal(2016, F.PolicyYear(210100, TimingCoding.Default));
        Assert.Null(F.ZoneOf(210200));
        Assert.Null(F.PolicyYear(210200, TimingCoding.Default));
        Assert.Equal([210100], F.Cities.Where(c => c.Province == "Liaoning" && F.ZoneOf(c.Code) is not null).Select(c => c.Code));
    }

    [Fact]
    public void OnlyTheNinePearlRiverDeltaCitiesOfGuangdongAreTreated()
    {
        var treated = F.Cities.Where(c => c.Province == "Guangdong" && F.ZoneOf(c.Code) is not null).Select(c => c.Code).ToArray();
        Assert.Equal(Prd.Order(), treated);
        Assert.All(treated, c => Assert.Equal("prd", F.ZoneOf(c)!.Id));
        Assert.Equal(21, F.Cities.Count(c => c.Province == "Guangdong"));
    }

    [Theory]
    [InlineData("Guizhou", "guizhou", 6)]
    [InlineData("Hebei", "jingjinji", 11)]
    [InlineData("Henan", "henan", 17)]
    [InlineData("Inner Mongolia", "neimenggu", 9)]
    public void WholeProvinceZonesCoverEveryCity(string province, string zone, int count)
    {
        var cities = F.Cities.Where(c => c.Province == province).ToArray();
        Assert.Equal(count, cities.Length);
        Assert.All(cities, c => Assert.Equal(zone, F.ZoneOf(c.Code)?.Id));
    }

    [Fact]
    public void MunicipalitiesAreTreatedInTheirZones()
    {
        Assert.Equal("jingjinji", F.ZoneOf(110000)!.Id);
        Assert.Equal("jingjinji", F.ZoneOf(120000)!.Id);
        Assert.Equal("shanghai", F.ZoneOf(310000)!.Id);
        Assert.Equal("chongqing", F.ZoneOf(500000)!.Id);
        Assert.Equal([110000, 120000, 310000, 500000], F.Cities.Where(c => c.Municipality).Select(c => c.Code));
    }

    [Fact]
    public void PolicyYearsUnderBothCodings()
    {
        foreach (var z in F.Zones)
        {
            int first = z.Batch == 1 ? 2015 : 2016;
            Assert.Equal(first, z.PolicyYear(TimingCoding.Default));
            Assert.Equal(first + 1, z.PolicyYear(TimingCoding.Alternative));
            Assert.Equal(2016, z.Approved.Year);
        }
        Assert.Equal(["guizhou"], F.Zones.Where(z => z.Batch == 1).Select(z => z.Id));
        Assert.Equal(2015, F.PolicyYear(520100, TimingCoding.Default));
        Assert.Equal(2016, F.PolicyYear(520100, TimingCoding.Alternative));
        Assert.Equal(2016, F.PolicyYear(440300, TimingCoding.Default));
        Assert.Equal(2017, F.PolicyYear(440300, TimingCoding.Alternative));
        // treated counts by first year: Guizhou's 6 in 2015, the other 51 in 2016
        Assert.Equal(6, F.Cities.Count(c => F.PolicyYear(c.Code, TimingCoding.Default) == 2015));
        Assert.Equal(51, F.Cities.Count(c => F.PolicyYear(c.Code, TimingCoding.Default) == 2016));
    }

    [Fact]
    public void TimingCodingParsesItsTwoNamesOnly()
    {
        Assert.Equal(TimingCoding.Default, TimingCodings.Parse("default"));
        Assert.Equal(TimingCoding.Alternative, TimingCodings.Parse(" Alternative "));
        foreach (var t in Enum.GetValues<TimingCoding>())
            Assert.Equal(t, TimingCodings.Parse(TimingCodings.Name(t)));
        var e = Assert.Throws<InputException>(() => TimingCodings.Parse("2017"));
        Assert.Contains("'2017'", e.Message);
        Assert.Contains("'default'", e.Message);
        Assert.Contains("'alternative'", e.Message);
    }

    [Fact]
    public void SizeClassesFollowThe2014Thresholds()
    {
        Assert.All(F.Cities, c => Assert.Equal(SizeClasses.FromUrbanPopulation(c.UrbanPop2020), c.SizeClass));
        Assert.Equal(SizeClass.Megacity, SizeClasses.FromUrbanPopulation(10));
        Assert.Equal(SizeClass.SuperLarge, SizeClasses.FromUrbanPopulation(9.99));
        Assert.Equal(SizeClass.Large1, SizeClasses.FromUrbanPopulation(3));
        Assert.Equal(SizeClass.Large2, SizeClasses.FromUrbanPopulation(1));
        Assert.Equal(SizeClass.Medium, SizeClasses.FromUrbanPopulation(0.5));
        Assert.Equal(SizeClass.Small, SizeClasses.FromUrbanPopulation(0.49));
        foreach (var s in Enum.GetValues<SizeClass>())
            Assert.Equal(s, SizeClasses.TryParse(SizeClasses.Name(s)));
        // the seven megacities of the 2020 census
        Assert.Equal([110000, 120000, 310000, 440100, 440300, 500000, 510100],
            F.Cities.Where(c => c.SizeClass == SizeClass.Megacity).Select(c => c.Code));
        Assert.All(Enum.GetValues<SizeClass>(), s => Assert.Contains(F.Cities, c => c.SizeClass == s));
    }

    /// <summary>Approximate extent of each province (lat min, lat max, lon min, lon max), padded by ~0.2 degrees.</summary>
    private static readonly Dictionary<int, (double, double, double, double)> ProvinceBox = new()
    {
        [11] = (39.4, 41.1, 115.4, 117.5), [12] = (38.5, 40.3, 116.7, 118.1), [13] = (36.0, 42.7, 113.4, 119.9),
        [14] = (34.5, 40.8, 110.2, 114.6), [15] = (37.4, 53.4, 97.1, 126.1), [21] = (38.7, 43.5, 118.8, 125.8),
        [22] = (40.8, 46.3, 121.6, 131.3), [23] = (43.4, 53.6, 121.1, 135.1), [31] = (30.7, 31.9, 120.8, 122.2),
        [32] = (30.7, 35.2, 116.3, 121.9), [33] = (27.0, 31.2, 118.0, 123.0), [34] = (29.4, 34.7, 114.8, 119.7),
        [35] = (23.5, 28.4, 115.8, 120.7), [36] = (24.5, 30.1, 113.5, 118.5), [37] = (34.4, 38.4, 114.8, 122.7),
        [41] = (31.4, 36.4, 110.3, 116.7), [42] = (29.0, 33.3, 108.3, 116.2), [43] = (24.6, 30.2, 108.8, 114.3),
        [44] = (20.2, 25.6, 109.6, 117.4), [45] = (20.9, 26.4, 104.4, 112.1), [46] = (18.1, 20.2, 108.6, 111.1),
        [50] = (28.1, 32.3, 105.2, 110.2), [51] = (26.0, 34.4, 97.3, 108.6), [52] = (24.6, 29.3, 103.6, 109.6),
        [53] = (21.1, 29.3, 97.5, 106.2), [61] = (31.7, 39.6, 105.5, 111.3), [62] = (32.5, 42.8, 92.3, 108.8),
        [63] = (31.6, 39.2, 89.4, 103.1), [64] = (35.2, 39.4, 104.3, 107.7), [65] = (34.3, 49.2, 73.5, 96.4),
    };

    [Fact]
    public void CoordinatesInsideChinaAndInsideTheirProvince()
    {
        Assert.All(F.Cities, c =>
        {
            Assert.InRange(c.Latitude, 18, 54);
            Assert.InRange(c.Longitude, 73, 136);
        });
        // Each city inside a generous box around its province: catches swapped or mistyped coordinates.
        Assert.All(F.Cities, c =>
        {
            var (la0, la1, lo0, lo1) = ProvinceBox[c.Code / 10000];
            Assert.True(c.Latitude >= la0 && c.Latitude <= la1 && c.Longitude >= lo0 && c.Longitude <= lo1,
                $"{c.Name} ({c.Code}) at {c.Latitude},{c.Longitude} is outside {c.Province}");
        });
        // a few well-known seats
        Assert.InRange(F.City(110000).Latitude, 39.6, 40.2);
        Assert.InRange(F.City(440300).Longitude, 113.8, 114.4);
        Assert.InRange(F.City(650100).Longitude, 87.3, 87.9);
        Assert.InRange(F.City(460200).Latitude, 18.0, 18.6);
    }

    [Fact]
    public void ProvinceCodeAndRegionAgree()
    {
        var region = new Dictionary<int, Region>
        {
            [11] = Region.East, [12] = Region.East, [13] = Region.East, [31] = Region.East, [32] = Region.East, [33] = Region.East,
            [35] = Region.East, [37] = Region.East, [44] = Region.East, [46] = Region.East,
            [14] = Region.Central, [34] = Region.Central, [36] = Region.Central, [41] = Region.Central, [42] = Region.Central, [43] = Region.Central,
            [21] = Region.Northeast, [22] = Region.Northeast, [23] = Region.Northeast,
            [15] = Region.West, [45] = Region.West, [50] = Region.West, [51] = Region.West, [52] = Region.West, [53] = Region.West,
            [61] = Region.West, [62] = Region.West, [63] = Region.West, [64] = Region.West, [65] = Region.West,
        };
        Assert.All(F.Cities, c => Assert.Equal(region[c.Code / 10000], c.Region));
        // one province name per 2-digit prefix
        Assert.All(F.Cities.GroupBy(c => c.Code / 10000), g => Assert.Single(g.Select(c => (c.Province, c.ProvinceZh)).Distinct()));
        Assert.Equal(30, F.Cities.Select(c => c.Province).Distinct().Count());
        Assert.Equal(26, F.Cities.Count(c => c.ProvincialCapital));
        Assert.Equal(15, F.Cities.Count(c => c.SubProvincial));
        Assert.Equal((86, 78, 85, 34), (F.Cities.Count(c => c.Region == Region.East), F.Cities.Count(c => c.Region == Region.Central),
            F.Cities.Count(c => c.Region == Region.West), F.Cities.Count(c => c.Region == Region.Northeast)));
    }

    [Theory]
    [InlineData(540100)] // Lhasa and the other Tibetan cities
    [InlineData(540200)]
    [InlineData(540600)]
    [InlineData(630200)] // Haidong, city 2013
    [InlineData(460300)] // Sansha, 2012
    [InlineData(460400)] // Danzhou, 2015
    [InlineData(650400)] // Turpan, 2015
    [InlineData(650500)] // Hami, 2016
    [InlineData(371200)] // Laiwu, merged into Jinan 2019
    [InlineData(341400)] // Chaohu, dissolved 2011
    [InlineData(340400)] // Huainan, Shou county added 2016
    [InlineData(340700)] // Tongling, Zongyang county added 2015
    [InlineData(512000)] // Ziyang, Jianyang transferred to Chengdu 2016
    public void ExcludedCitiesAreAbsent(int code)
    {
        Assert.DoesNotContain(F.Cities, c => c.Code == code);
        var e = Assert.Throws<InputException>(() => F.City(code));
        Assert.Contains(code.ToString(), e.Message);
        Assert.Throws<InputException>(() => F.PolicyYear(code, TimingCoding.Default));
    }

    [Fact]
    public void KeepsBijieAndTongren()
    {
        Assert.Equal("Bijie", F.City(520500).Name);
        Assert.Equal("Tongren", F.City(520600).Name);
    }

    [Fact]
    public void NationalSeriesCovers2011To2023AndGrows()
    {
        Assert.Equal(Enumerable.Range(2011, 13), F.InternetUsers.Keys.Order());
        for (int y = 2012; y <= 2023; y++) Assert.True(F.InternetUsers[y] > F.InternetUsers[y - 1], $"users fall in {y}");
        Assert.InRange(F.InternetUsers[2011], 500, 520);
        Assert.InRange(F.InternetUsers[2023], 1085, 1100);
    }

    [Fact]
    public void DefaultDataDirWalksUpToTheSolution()
    {
        var dir = StudyFacts.DefaultDataDir(AppContext.BaseDirectory);
        Assert.True(File.Exists(Path.Combine(dir, "..", "Compendium.sln")));
        Assert.True(File.Exists(Path.Combine(dir, StudyFacts.CitiesFile)));
        var root = Path.GetPathRoot(Path.GetTempPath())!;
        Assert.Throws<InputException>(() => StudyFacts.DefaultDataDir(root));
    }

    [Fact]
    public void FilesAreUtf8WithoutBomAndLfOnly()
    {
        foreach (var f in new[] { StudyFacts.CitiesFile, StudyFacts.ZonesFile, StudyFacts.MembersFile, StudyFacts.NationalFile })
        {
            var bytes = File.ReadAllBytes(Path.Combine(StudyFacts.DefaultDataDir(), f));
            Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"{f} has a BOM");
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
        }
    }

    // ---- bad input: every message names the file, the row and the column ----

    private static string CopyData(Action<string> edit)
    {
        var dir = Path.Combine(Path.GetTempPath(), "facts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(StudyFacts.DefaultDataDir(), "*.csv"))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        edit(dir);
        return dir;
    }

    private static InputException LoadFails(string file, Func<string[], string[]> edit)
    {
        var dir = CopyData(d =>
        {
            var p = Path.Combine(d, file);
            File.WriteAllText(p, string.Join("\n", edit(File.ReadAllLines(p))) + "\n");
        });
        try { return Assert.Throws<InputException>(() => StudyFacts.Load(dir)); }
        finally { Directory.Delete(dir, true); }
    }

    private static string[] ReplaceCell(string[] lines, int line, string column, string value)
    {
        var header = lines[0].Split(',');
        int j = Array.IndexOf(header, column);
        var cells = lines[line - 1].Split(',');
        cells[j] = value;
        lines[line - 1] = string.Join(",", cells);
        return lines;
    }

    [Fact]
    public void MissingColumnNamesFileAndColumn()
    {
        var e = LoadFails(StudyFacts.CitiesFile, lines => lines.Select(l => string.Join(",", l.Split(',').Where((_, j) => j != 6))).ToArray());
        Assert.Contains("cities.csv", e.Message);
        Assert.Contains("missing column 'latitude'", e.Message);
    }

    [Fact]
    public void BadNumberNamesFileRowAndColumn()
    {
        var e = LoadFails(StudyFacts.CitiesFile, lines => ReplaceCell(lines, 5, "longitude", "11o.5"));
        Assert.Contains("cities.csv, row 4 (line 5), column 'longitude'", e.Message);
        Assert.Contains("'11o.5'", e.Message);
    }

    [Fact]
    public void DecimalCommaIsRejected()
    {
        var e = LoadFails(StudyFacts.NationalFile, lines => ReplaceCell(lines, 3, "internet_users_million", "\"564,0\""));
        Assert.Contains("national.csv, row 2 (line 3), column 'internet_users_million'", e.Message);
    }

    [Fact]
    public void InconsistentSizeClassIsRejected()
    {
        var e = LoadFails(StudyFacts.CitiesFile, lines => ReplaceCell(lines, 2, "size_class", "small"));
        Assert.Contains("row 1 (line 2), column 'size_class'", e.Message);
        Assert.Contains("megacity", e.Message);
    }

    [Fact]
    public void SwappedCoordinatesAreRejected()
    {
        var e = LoadFails(StudyFacts.CitiesFile, lines => ReplaceCell(ReplaceCell(lines, 10, "latitude", "114.5"), 10, "longitude", "38.0"));
        Assert.Contains("row 9 (line 10), column 'latitude'", e.Message);
    }

    [Fact]
    public void DuplicateOrUnsortedCodeIsRejected()
    {
        var e = LoadFails(StudyFacts.CitiesFile, lines => ReplaceCell(lines, 5, "city_code", "130100"));
        Assert.Contains("row 4 (line 5), column 'city_code'", e.Message);
        Assert.Contains("ascending", e.Message);
    }

    [Fact]
    public void MemberOfUnknownCityOrTwoZonesIsRejected()
    {
        var e = LoadFails(StudyFacts.MembersFile, lines => [.. lines, "prd,540100"]);
        Assert.Contains("pilot_members.csv, row 58 (line 59), column 'city_code'", e.Message);
        e = LoadFails(StudyFacts.MembersFile, lines => [.. lines, "prd,210100"]);
        Assert.Contains("one zone only", e.Message);
        e = LoadFails(StudyFacts.MembersFile, lines => [.. lines, "nowhere,210200"]);
        Assert.Contains("column 'zone_id'", e.Message);
    }

    [Fact]
    public void BadDateAndBadFlagAreRejected()
    {
        var e = LoadFails(StudyFacts.ZonesFile, lines => ReplaceCell(lines, 2, "approved", "Feb 2016"));
        Assert.Contains("pilot_zones.csv, row 1 (line 2), column 'approved'", e.Message);
        e = LoadFails(StudyFacts.CitiesFile, lines => ReplaceCell(lines, 3, "sub_provincial", "yes"));
        Assert.Contains("row 2 (line 3), column 'sub_provincial'", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var dir = CopyData(d => File.Delete(Path.Combine(d, StudyFacts.NationalFile)));
        try
        {
            var e = Assert.Throws<InputException>(() => StudyFacts.Load(dir));
            Assert.Contains("national.csv: file not found", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ConstructorRejectsACityInTwoZones()
    {
        var z1 = new PilotZone("a", "A", "甲", 1, new DateOnly(2016, 1, 1), 2015, 2016, [1]);
        var z2 = z1 with { Id = "b" };
        Assert.Throws<ArgumentException>(() => new StudyFacts([], [z1, z2], ImmutableDictionary<int, double>.Empty));
    }
}
