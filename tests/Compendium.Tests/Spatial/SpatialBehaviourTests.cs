using System.Text.Json;
using Compendium.Cli;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Spatial;
using Xunit;
using static Compendium.Tests.Spatial.SpatialReference;

namespace Compendium.Tests.Spatial;

/// <summary>Bad input gives an <see cref="InputException"/> naming the unit, row or file; the commands' JSON has the issue's field names.</summary>
public class SpatialBehaviourTests
{
    private static ColumnTable Points(params (string Id, double Lat, double Lon)[] p) =>
        ColumnTable.Empty(p.Length, "points.csv")
            .With("id", p.Select(x => (string?)x.Id).ToArray())
            .With("lat", p.Select(x => x.Lat).ToArray())
            .With("lon", p.Select(x => x.Lon).ToArray());

    [Fact]
    public void GreatCircleDistanceUsesTheMeanEarthRadius()
    {
        // a quarter of a great circle
        Assert.Equal(Math.PI / 2 * 6371.0088, GreatCircle.DistanceKm(0, 0, 0, 90), 1e-9);
        Assert.Equal(Math.PI * 6371.0088, GreatCircle.DistanceKm(0, 0, 0, 180), 1e-9);
    }

    [Fact]
    public void IdenticalCoordinatesAreAnError()
    {
        var e = Assert.Throws<InputException>(() => SpatialWeights.FromData(Points(("a", 30, 110), ("b", 31, 111), ("c", 30, 110)), "id", "lat", "lon", WeightsSpec.Nearest(1)));
        Assert.Contains("units a and c have identical coordinates", e.Message);
    }

    [Fact]
    public void AnIslandIsAnErrorNamingTheNearestUnit()
    {
        var e = Assert.Throws<InputException>(() => SpatialWeights.FromData(Points(("a", 30, 110), ("b", 30.5, 110), ("c", 40, 110)), "id", "lat", "lon", WeightsSpec.InverseDistance(1, 200)));
        Assert.Contains("unit c has no neighbour within the cut-off 200 km (nearest: b at", e.Message);
        var d = Assert.Throws<InputException>(() => SpatialWeights.FromData(Points(("a", 30, 110), ("b", 30.5, 110), ("c", 40, 110)), "id", "lat", "lon", WeightsSpec.Band(100)));
        Assert.Contains("band 100 km", d.Message);
    }

    [Fact]
    public void AUnitWithTwoLocationsIsAnError()
    {
        var t = Points(("a", 30, 110), ("b", 31, 111), ("a", 30.1, 110));
        var e = Assert.Throws<InputException>(() => SpatialWeights.FromData(t, "id", "lat", "lon", WeightsSpec.Nearest(1)));
        Assert.Contains("rows 1 and 3: unit a has two locations", e.Message);
    }

    [Fact]
    public void WeightsFileErrorsNameTheLinkAndUnit()
    {
        var dir = Directory.CreateTempSubdirectory("spatial");
        string Write(string text) { var p = Path.Combine(dir.FullName, Guid.NewGuid().ToString("N") + ".csv"); File.WriteAllText(p, text); return p; }
        string[] units = ["1", "2", "3"];
        Assert.Contains("linked to itself", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,1,1\n"), units)).Message);
        Assert.Contains("unit '9' is not among the units", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,9,1\n"), units)).Message);
        Assert.Contains("must be a finite number ≥ 0", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,2,-1\n2,1,1\n3,1,1\n"), units)).Message);
        Assert.Contains("appears twice", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,2,1\n1,2,1\n"), units)).Message);
        Assert.Contains("unit(s) of the panel do not appear in the weights: 3", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,2,1\n2,1,1\n"), units)).Message);
        Assert.Contains("unit '3' has no neighbour (an island)", Assert.Throws<InputException>(() => SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1,2,1\n2,1,1\n1,3,1\n"), units)).Message);
        var ok = SpatialWeights.ReadCsv(Write("unit_i,unit_j,weight\n1.0,2,1\n2,1,1\n3,1,2\n1,3,3\n"), units);
        Assert.Equal(0.25, ok[0, 1], 1e-15);                    // row 1: weights 1 and 3, row-standardised; "1.0" is unit 1
        Assert.Contains("row-standardised", ok.Description);
    }

    [Fact]
    public void APanelUnitMissingFromTheWeightsIsAnError()
    {
        var w = SpatialWeights.ReadCsv(RefPath("columbus_weights.csv"));
        var data = ColumbusData.Value.Where(Enumerable.Range(0, ColumbusData.Value.RowCount).Select(r => r != 5).ToArray());
        var e = Assert.Throws<InputException>(() => SpatialDurbin.Fit(data, "CRIME ~ INC + HOVAL", w, new SpatialDurbinOptions(Unit: "unit")));
        Assert.Contains("hold 1 unit(s) that are not in", e.Message);
        var extra = data.With("unit", data.Numeric("unit").Select((u, i) => i == 0 ? 9999 : u).ToArray());
        var e2 = Assert.Throws<InputException>(() => SpatialDurbin.Fit(extra, "CRIME ~ INC + HOVAL", w, new SpatialDurbinOptions(Unit: "unit")));
        Assert.Contains("not in the weights", e2.Message);
        Assert.Contains("9999", e2.Message);
    }

    [Fact]
    public void AnUnbalancedPanelOrAMissingValueIsAnError()
    {
        var p = PanelData.Value;
        var w = Weights("knn5");
        var drop = p.Where(Enumerable.Range(0, p.RowCount).Select(r => r != 7).ToArray());
        var e = Assert.Throws<InputException>(() => SpatialDurbin.Fit(drop, Formula, w));
        Assert.Contains("has no row in period", e.Message);
        var na = p.With("fdi", p.Numeric("fdi").Select((v, i) => i == 30 ? double.NaN : v).ToArray());
        var e2 = Assert.Throws<InputException>(() => SpatialDurbin.Fit(na, Formula, w));
        Assert.Contains("row 31: 'fdi' is missing", e2.Message);
    }

    [Fact]
    public void WeightsSpecificationsParse()
    {
        Assert.Equal(WeightsSpec.InverseDistance(2, 300), WeightsSpec.Parse("inverse-distance:2,cutoff=300"));
        Assert.Equal(WeightsSpec.Nearest(5), WeightsSpec.Parse("knn:5"));
        Assert.Equal(WeightsSpec.Band(250) with { RowStandardise = false }, WeightsSpec.Parse("band:250,raw"));
        Assert.Equal(WeightsKind.File, WeightsSpec.Parse("file:w.csv").Kind);
        Assert.Contains("expected inverse-distance", Assert.Throws<InputException>(() => WeightsSpec.Parse("queen")).Message);
        Assert.Contains("unknown option", Assert.Throws<InputException>(() => WeightsSpec.Parse("knn:4,cutoff=3")).Message);
        Assert.Equal("inverse distance (power 1, cut-off 500 km), row-standardised", WeightsSpec.Parse("inverse-distance,cutoff=500").ToString());
    }

    [Fact]
    public void PeriodEffectsNeedARowStandardisedW()
    {
        var w = SpatialWeights.FromData(PanelData.Value, "city_code", "latitude", "longitude", WeightsSpec.Parse("knn:5,raw"));
        var e = Assert.Throws<InputException>(() => SpatialDurbin.Fit(PanelData.Value, Formula, w));
        Assert.Contains("row-standardised", e.Message);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void MoranCommandWritesTheIssuesFields()
    {
        var panel = System.IO.Path.Combine(Estimation.ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");
        var (code, json, err) = Cli("spatial", "moran", "--data", panel, "--y", "resilience", "--unit", "city_code", "--time", "year",
            "--lat", "latitude", "--lon", "longitude", "--weights", "knn:5", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var rows = doc.RootElement.GetProperty("moran").EnumerateArray().ToList();
        Assert.Equal(12, rows.Count);
        string[] fields = ["year", "I", "expected", "variance_normal", "z_normal", "p_normal", "variance_randomisation", "z_randomisation", "p_randomisation"];
        Assert.Equal(fields, rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(2012, rows[0].GetProperty("year").GetDouble());
        Assert.Equal(Get("moran_knn5", "2012:I"), rows[0].GetProperty("I").GetDouble(), 1e-12);
        var (code2, table, _) = Cli("spatial", "moran", "--data", panel, "--y", "resilience", "--unit", "city_code", "--time", "year",
            "--lat", "latitude", "--lon", "longitude", "--weights", "knn:5");
        Assert.Equal(0, code2);
        Assert.Contains("Moran's I of resilience by period", table);
    }

    [Fact]
    public void SdmCommandWritesTheIssuesFields()
    {
        var panel = System.IO.Path.Combine(Estimation.ReferenceValues.RepoRoot, "data", "synthetic", "panel.csv");
        var (code, json, err) = Cli("spatial", "sdm", "--data", panel, "--formula", "resilience ~ treat + fdi | city_code + year",
            "--lat", "latitude", "--lon", "longitude", "--weights", "inverse-distance,cutoff=500", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["treat", "fdi", "W*treat", "W*fdi", "rho", "sigma2"], root.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.True(root.GetProperty("loglik").GetDouble() > 0);
        var imp = root.GetProperty("impacts").EnumerateArray().ToList();
        Assert.Equal(["treat", "fdi"], imp.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["name", "direct", "indirect", "total", "direct_se", "indirect_se", "total_se"], imp[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("lee-yu", root.GetProperty("diagnostics").GetProperty("method").GetString());

        var (c2, _, e2) = Cli("spatial", "sdm", "--data", panel, "--formula", "resilience ~ treat | city_code + year",
            "--lat", "latitude", "--lon", "longitude", "--weights", "inverse-distance", "--json");
        Assert.Equal(1, c2);
        Assert.Contains("not identified", e2);
        Assert.DoesNotContain("   at ", e2);     // no stack trace
        var (c3, _, e3) = Cli("spatial", "sdm", "--data", panel, "--formula", "resilience ~ treat | city_code + year", "--weights", "knn:5");
        Assert.Equal(1, c3);
        Assert.Contains("--lat, --lon", e3);
        var (c4, _, _) = Cli("spatial", "nonsense");
        Assert.Equal(2, c4);
    }
}
