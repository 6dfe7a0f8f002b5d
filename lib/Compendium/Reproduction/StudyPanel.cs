using Compendium.Data;
using Compendium.Econometrics.Data;
using Compendium.Simulation;

namespace Compendium.Reproduction;

/// <summary>
/// What a notebook analyses: the panel under a treatment-timing coding, where it came from (its banner
/// is shown and stamped on every table), and the simulator's truth when — and only when — it applies.
/// The rules live here once, so that every notebook reads like its methods paragraph:
/// <code>
/// var study = Report.LoadPanel(dataPath, timing);   // banner, panel, truth
/// var r = Feols.Fit(study.Table, $"resilience ~ treat + {StudyPanel.ControlsFormula} | city_code + year", Vcov.Cluster("city_code"));
/// if (study.Truth is { } truth) … else Console.WriteLine(study.TruthUnavailable);
/// </code>
/// </summary>
/// <param name="Table">The panel (loaded and validated by <see cref="PanelLoader"/>, recoded when <paramref name="Timing"/> is not <c>panel</c>).</param>
/// <param name="Data">Its provenance (synthetic or the author's) and banner.</param>
/// <param name="Timing"><c>panel</c> (the file's own <c>treat</c>), or a coding of <see cref="TimingCodings"/> (<c>default</c>, <c>alternative</c>).</param>
/// <param name="Truth">The simulator's true effects, or null on the author's data and under a recoded timing (the truth refers to the panel's own treated city-years).</param>
/// <param name="TruthUnavailable">Why <paramref name="Truth"/> is null, in one sentence for the notebook; null when it is not.</param>
public sealed record StudyPanel(ColumnTable Table, DataSource Data, string Timing, TruthFile? Truth, string? TruthUnavailable)
{
    /// <summary>The study's control variables (economic density, infrastructure, government intervention, FDI, average wage).</summary>
    public static IReadOnlyList<string> Controls => PanelSchema.Controls;

    /// <summary>The controls as a formula fragment: <c>econ_density + infrastructure + …</c>.</summary>
    public static string ControlsFormula => string.Join(" + ", PanelSchema.Controls);

    /// <summary>
    /// The control set a notebook parameter names, in one notation for every notebook: <c>study</c> (the
    /// study's five, <see cref="Controls"/>), <c>none</c>, or panel columns separated by commas or <c>+</c>.
    /// </summary>
    public static IReadOnlyList<string> ControlSet(string spec)
    {
        var s = spec.Trim();
        if (s.Equals("study", StringComparison.OrdinalIgnoreCase)) return Controls;
        if (s.Equals("none", StringComparison.OrdinalIgnoreCase) || s.Length == 0) return [];
        var names = s.Split([',', '+'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var n in names) PanelSchema.Get(n); // an unknown name is an input error listing the columns
        return names;
    }

    /// <summary>A control set as a formula fragment, with a leading <c> + </c> (empty for no controls): <c>$"resilience ~ treat{StudyPanel.Plus(c)} | city_code + year"</c>.</summary>
    public static string Plus(IReadOnlyList<string> controls) => controls.Count == 0 ? "" : " + " + string.Join(" + ", controls);

    /// <summary>One line saying which treatment coding is in force and how many city-years it treats.</summary>
    public string CodingLine =>
        $"treatment coding: {(Timing == "panel" ? "the panel's treat column" : TimingCodings.Name(TimingCodings.Parse(Timing)))}; " +
        $"treated city-years: {Table.Numeric("treat").Count(t => t == 1)}";

    /// <summary>Load <paramref name="dataPath"/> under <paramref name="timing"/> (see <see cref="Report.LoadPanel"/>).</summary>
    internal static StudyPanel Load(DataSource data, string dataPath, string timing)
    {
        var table = PanelLoader.Load(dataPath).Table;
        if (timing != "panel")
            table = TreatmentTiming.Recode(table, StudyFacts.Load(StudyFacts.DefaultDataDir()), TimingCodings.Parse(timing));
        if (data.Kind == DataKind.Author)
            return new(table, data, timing, null, "The data are the author's: the true effect is unknown, so the comparison with the truth is skipped.");
        if (timing != "panel")
            return new(table, data, timing, null, "The treatment was recoded: the simulator's truth refers to the panel's own treated city-years, so the comparison is skipped.");
        return new(table, data, timing, TruthFile.TryLoadBeside(dataPath), null);
    }
}
