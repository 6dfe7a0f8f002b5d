using Compendium.Data;
using Compendium.Econometrics;

namespace Compendium.Reproduction;

/// <summary>
/// The one check of a panel file that <c>compendium validate</c> prints and <c>compendium reproduce</c>
/// runs before any notebook, so the two can never disagree: the schema of <see cref="PanelSchema"/>
/// (through <see cref="PanelLoader"/>), city codes against the study's city list, and the rest of
/// the loader's consistency checks. Every problem is reported at once in one <see cref="InputException"/>.
/// </summary>
public static class PanelCheck
{
    /// <summary>Check the panel at <paramref name="path"/> (a .csv or .xlsx file) against the facts in <paramref name="factsDir"/>.</summary>
    /// <param name="path">The panel file; messages name it as given.</param>
    /// <param name="factsDir">The folder with cities.csv and the pilot-zone calendar (default: the repository's data/).</param>
    public static Panel Run(string path, string? factsDir = null)
    {
        if (Directory.Exists(path)) throw new InputException($"{path}: is a folder; give the panel file (.csv or .xlsx)");
        var facts = StudyFacts.Load(factsDir ?? StudyFacts.DefaultDataDir());
        return PanelLoader.Load(path, facts.Cities.Select(c => c.Code).ToHashSet(), facts);
    }
}
