using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;
using Compendium.Cli;
using Compendium.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;
using Compendium.Econometrics.Tables;
using Compendium.Reproduction;

namespace Compendium.Tests.Tables;

/// <summary>
/// The numbers of notebook 04's Table 2 agree with <c>compendium fit</c> on the same data: column (4)
/// from the CLI's JSON equals a direct <see cref="Feols"/> fit, and the committed
/// output/tables/table2_baseline.csv shows the same estimate and SE at its 4 decimals.
/// </summary>
public sealed class BaselineAgreementTests
{
    private const string Formula = "resilience ~ treat + econ_density + infrastructure + gov_intervention + fdi + avg_wage | city_code + year";
    private static readonly string Root = RepoRoot.Find(AppContext.BaseDirectory);

    [Fact]
    public void FitCommandColumn4MatchesFeolsAndTheCommittedTable()
    {
        var panel = Path.Combine(Root, "data", "synthetic", "panel.csv");
        var o = new StringWriter();
        var code = Program.Run(["fit", "--data", panel, "--formula", Formula, "--vcov", "cluster:city_code", "--json"], o, new StringWriter());
        Assert.Equal(0, code);
        var json = JsonNode.Parse(o.ToString())!;
        var treat = json["coefficients"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "treat")!;
        double est = treat["estimate"]!.GetValue<double>(), se = treat["std_error"]!.GetValue<double>();

        var direct = Feols.Fit(Compendium.Data.PanelLoader.Load(panel).Table, Formula, Vcov.Cluster("city_code"))["treat"];
        Assert.Equal(direct.Estimate, est, 1e-12);
        Assert.Equal(direct.StdError, se, 1e-12);
        Assert.Equal(3396, json["nobs"]!.GetValue<int>());

        // The committed table: row "DID (treat)" holds estimate+stars, the row below it the SE in parentheses.
        var lines = File.ReadAllLines(Path.Combine(Root, "output", "tables", "table2_baseline.csv"));
        int at = Array.FindIndex(lines, l => l.StartsWith("DID (treat),", StringComparison.Ordinal));
        Assert.True(at > 0, "table2_baseline.csv has no 'DID (treat)' row");
        var estCell = lines[at].Split(',')[4].TrimEnd('*');
        var seCell = lines[at + 1].Split(',')[4].Trim('(', ')');
        Assert.Equal(est.ToString("F4", CultureInfo.InvariantCulture), estCell);
        Assert.Equal(se.ToString("F4", CultureInfo.InvariantCulture), seCell);
    }
}
