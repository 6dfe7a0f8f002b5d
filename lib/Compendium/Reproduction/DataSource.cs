using System.Security.Cryptography;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Simulation;

namespace Compendium.Reproduction;

/// <summary>Where a notebook's panel comes from.</summary>
public enum DataKind
{
    /// <summary>Made by this compendium's simulator (a <c>truth.json</c> lies beside the panel).</summary>
    Synthetic,
    /// <summary>Anything else: the author's panel (e.g. data/raw/panel.csv).</summary>
    Author,
}

/// <summary>
/// The provenance of the panel a run uses, and the banner every table and page carries.
/// </summary>
/// <remarks>
/// Rule: a panel is synthetic exactly when the simulator's sidecar <c>truth.json</c> (the true effects
/// of the data-generating process) lies in the same folder; the simulator always writes it and an
/// author's data never has it. The banner names the file and the first 12 hex digits of its
/// SHA-256, so a reader can tell which data made a table.
/// </remarks>
public sealed record DataSource(DataKind Kind, string DisplayPath, string Sha256)
{
    /// <summary>The simulator's sidecar file whose presence beside a panel marks it as synthetic.</summary>
    public const string SidecarName = SimulatedPanel.TruthFile;

    /// <summary>Decide the provenance of the panel at <paramref name="path"/> (relative to the current directory).</summary>
    /// <param name="path">The panel file.</param>
    /// <param name="shownAs">What to call the file in outputs when it lies outside the repository (e.g. the
    /// path the user typed on the command line); null uses <see cref="OutputName"/>'s rule.</param>
    public static DataSource Of(string path, string? shownAs = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new InputException($"data file '{path}' not found. Give the panel CSV with --data PATH or the notebook's dataPath parameter.");
        var kind = File.Exists(Path.Combine(Path.GetDirectoryName(full)!, SidecarName)) ? DataKind.Synthetic : DataKind.Author;
        string hash;
        using (var s = File.OpenRead(full)) hash = Convert.ToHexStringLower(SHA256.HashData(s));
        return new DataSource(kind, OutputName(path, shownAs), hash);
    }

    /// <summary>True when <see cref="Kind"/> is <see cref="DataKind.Synthetic"/>.</summary>
    public bool IsSynthetic => Kind == DataKind.Synthetic;

    /// <summary>One line for table notes and page banners.</summary>
    public string Banner => Kind == DataKind.Synthetic
        ? $"SYNTHETIC DATA: {DisplayPath} (sha256 {Sha256[..12]}) was made by this compendium's simulator, not taken from the paper's sources; the numbers illustrate the methods and are not the paper's results."
        : $"Author's data: {DisplayPath} (sha256 {Sha256[..12]}).";

    /// <summary>
    /// How outputs name a file, never with an absolute path of this machine: relative to the repository
    /// root when inside it (stable across machines); else <paramref name="shownAs"/> when given (the path
    /// as the user typed it); else <paramref name="path"/> itself when relative; else <c>…/FILE</c>.
    /// </summary>
    public static string OutputName(string path, string? shownAs = null)
    {
        var full = Path.GetFullPath(path);
        var root = RepoRoot.TryFind(Path.GetDirectoryName(full)!);
        if (root is not null)
        {
            var rel = Path.GetRelativePath(root, full);
            if (!rel.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(rel)) return rel.Replace('\\', '/');
        }
        var given = shownAs ?? path;
        return Path.IsPathRooted(given) ? "…/" + Path.GetFileName(full) : given.Replace('\\', '/');
    }
}
