using Xunit;
using Compendium.Cli;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

namespace Compendium.Tests.Panel;

/// <summary>Treatment columns that contradict each other are reported by line, never used silently.</summary>
public sealed class TreatmentCodingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "compendium-coding-" + Guid.NewGuid().ToString("N"));
    public TreatmentCodingTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Lines =
        File.ReadAllText(Path.Combine(StudyFacts.DefaultDataDir(), "synthetic", "panel.csv")).TrimEnd('\n').Split('\n');

    private (int Code, string Err) ValidateWith(string column, Func<string[], bool> row, string value)
    {
        int c = Array.IndexOf(Lines[0].Split(','), column);
        bool done = false;
        var edited = Lines.Select((l, i) =>
        {
            if (i == 0 || done) return l;
            var f = l.Split(',');
            if (!row(f)) return l;
            done = true; f[c] = value; return string.Join(",", f);
        });
        var path = Path.Combine(_dir, "panel.csv");
        File.WriteAllText(path, string.Join("\n", edited) + "\n");
        var o = new StringWriter(); var e = new StringWriter();
        return (Program.Run(["validate", "--data", path], o, e), e.ToString());
    }

    private static int Col(string name) => Array.IndexOf(Lines[0].Split(','), name);

    [Theory]
    [InlineData("treat", "0", true)]       // a pilot city untreated after its policy year
    [InlineData("rel_year", "3", false)]   // an event time for a never-treated city
    [InlineData("policy_year", "2016", false)]
    public void ContradictoryCodingIsReportedByLine(string column, string value, bool pilotRow)
    {
        var (code, err) = ValidateWith(column,
            f => pilotRow ? f[Col("treat")] == "1" : f[Col("pilot")] == "0", value);
        Assert.Equal(1, code);
        Assert.Contains("inconsistent treatment coding", err);
        Assert.Matches(@"line \d+: ", err);
    }

    [Fact]
    public void NoResidualDegreesOfFreedomIsAnInputError()
    {
        var path = Path.Combine(_dir, "one.csv");
        File.WriteAllText(path, "y,x,g\n1,2,a\n2,5,b\n");
        var o = new StringWriter(); var e = new StringWriter();
        Assert.Equal(1, Program.Run(["fit", "--data", path, "--formula", "y ~ x | g", "--keep-singletons"], o, e));
        Assert.Contains("no residual degrees of freedom", e.ToString());
    }
}

public sealed class EventStudyGapTests
{
    [Fact]
    public void MissingEventTimeInATreatedUnitIsAnInputError()
    {
        // Unit 1 is treated (event times −1, 0, 1) but row 2 lacks its event time; unit 2 is never treated.
        var data = Compendium.Econometrics.Data.ColumnTable.FromColumns([
            new("unit", [1.0, 1, 1, 2, 2, 2]),
            new("year", [1.0, 2, 3, 1, 2, 3]),
            new("rel", [-1.0, double.NaN, 1, double.NaN, double.NaN, double.NaN]),
            new("y", [1.0, 2, 4, 1, 1.5, 2]),
        ], "gap.csv");
        var e = Assert.Throws<Compendium.Econometrics.InputException>(() =>
            Compendium.Econometrics.Estimation.EventStudy.Fit(data, "y", "rel", ["unit", "year"], Compendium.Econometrics.Inference.Vcov.Iid));
        Assert.Contains("row 2 of unit 1", e.Message);
    }
}
