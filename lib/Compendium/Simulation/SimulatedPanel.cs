using System.Globalization;
using System.Text;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Data;
using Compendium.Index;

namespace Compendium.Simulation;

/// <summary>A simulated panel: the study-schema panel, the untreated potential outcomes, the fitted index and the truth.</summary>
public sealed record SimulatedPanel(SimulationSettings Settings, ColumnTable Panel, ColumnTable PotentialOutcomes, EntropyResult Index, SimulationTruth Truth)
{
    /// <summary>File names written by <see cref="Write"/>: the panel, the untreated potential outcomes, and the truth.</summary>
    public const string PanelFile = "panel.csv", PotentialOutcomesFile = "potential_outcomes.csv", TruthFile = "truth.json";

    /// <summary>
    /// The same world without the policy: every indicator and mechanism at its untreated potential
    /// outcome (no effect on treated cities, no spillover, no cushioning of the 2020 shock) and the index
    /// and sub-indices refitted on those indicators by the pooled entropy method, as an analyst would.
    /// Treatment columns are unchanged, so the true effect of <c>treat</c> is exactly zero. Its indicators,
    /// index and sub-indices are those the simulator makes with <see cref="SimulationSettings.EffectScale"/> = 0,
    /// <see cref="SimulationSettings.ShockCushion"/> = 0 and the same seed (every draw is the same; the mechanisms
    /// differ, because the simulator calibrates their effects to the study's estimates whatever the scale), at the
    /// cost of one index fit instead of a simulation: the zero-effect world of a design diagnosis, paired with this one.
    /// </summary>
    public ColumnTable WithoutPolicy()
    {
        var t = Panel.WithSource("simulated panel without the policy");
        foreach (var name in ResilienceIndicators.All.Select(d => d.Name).Concat(["talent_share", "ln_new_firms"]))
            t = t.With(name, PotentialOutcomes.Numeric(name + "_y0"));
        var index = EntropyIndex.Fit(t);
        t = t.With(ResilienceIndicators.IndexColumn, index.Index.Select(PanelSimulator.Round).ToArray());
        foreach (var (d, v) in index.SubIndices.OrderBy(kv => kv.Key))
            t = t.With(ResilienceIndicators.SubIndexColumn(d), v.Select(PanelSimulator.Round).ToArray());
        return t;
    }

    /// <summary>
    /// Write panel.csv, potential_outcomes.csv and truth.json into <paramref name="directory"/>: all three
    /// are first written to temporary files beside their targets and moved into place only once all are
    /// complete, so an interrupted run leaves the old files, never a half-written one.
    /// </summary>
    public void Write(string directory)
    {
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot create the output folder '{directory}': {e.Message}", e);
        }
        var files = new (string Name, string Text)[]
        {
            (PanelFile, ToCsv(Panel)), (PotentialOutcomesFile, ToCsv(PotentialOutcomes)), (TruthFile, Truth.ToJson()),
        };
        var temps = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (name, text) in files)
            {
                var final = Path.Combine(directory, name);
                var temp = final + ".tmp";
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                temps.Add((temp, final));
            }
            foreach (var (temp, final) in temps) File.Move(temp, final, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temp, _) in temps) if (File.Exists(temp)) File.Delete(temp);
            throw new InputException($"cannot write the simulated panel to '{directory}': {e.Message}", e);
        }
    }

    /// <summary>RFC 4180 CSV with LF line ends; numbers in invariant shortest round-trip form, missing as empty.</summary>
    public static string ToCsv(ColumnTable t)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", t.ColumnNames)).Append('\n');
        var cols = t.ColumnNames.Select(c => t.IsNumeric(c)
            ? t.Numeric(c).Select(v => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture)).ToArray()
            : t.Text(c).Select(v => v is null ? "" : Quote(v)).ToArray()).ToArray();
        for (int r = 0; r < t.RowCount; r++)
        {
            for (int c = 0; c < cols.Length; c++) { if (c > 0) sb.Append(','); sb.Append(cols[c][r]); }
            sb.Append('\n');
        }
        return sb.ToString();
        static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
