using System.Collections.Immutable;
using Compendium.Data;
using Compendium.Econometrics.Estimation;
using Compendium.Econometrics.Inference;

namespace Compendium.Reproduction;

public static partial class Report
{
    /// <summary>
    /// Record a result of a paper section for the summary of the claims: <c>output/results/SECTION.json</c>
    /// gets (or replaces) the entry <paramref name="key"/>, with the data banner's file and hash. The
    /// file is rewritten whole at each call (sorted keys, invariant culture, no timestamps), so it always
    /// holds what the notebook has recorded so far.
    /// </summary>
    /// <remarks>
    /// <para>In a headless run (<c>compendium reproduce</c>) the file holds exactly what this run records:
    /// the first record of a section starts it afresh, and recording a key twice is an error (two cells
    /// would overwrite each other). In an interactive session a rerun cell replaces its own records, and
    /// the records of cells not rerun are kept from the file as long as it was made from the same data.</para>
    /// <para>The summary finds the notebook that records a section by the call's first argument, so give
    /// the section name as a string literal: <c>Report.Record("robustness", "placebo", test)</c>.</para>
    /// </remarks>
    /// <param name="section">The section (lower-case letters, digits, '_'): one notebook records it.</param>
    /// <param name="key">The result's key within the section (same characters).</param>
    /// <param name="result">The typed result.</param>
    public static void Record(string section, string key, RecordedResult result)
    {
        var ctx = ReproductionContext.Current;
        var data = ctx.Data ?? throw new InvalidOperationException("call Report.UseData(dataPath) (or Report.LoadPanel) before recording results, so the results say which data made them");
        SectionResults.CheckName("section", section);
        SectionResults.CheckName("result key", key);
        ArgumentNullException.ThrowIfNull(result);
        var path = SectionResults.PathOf(ctx.OutputRoot, section);
        bool known = ctx.Recorded.TryGetValue(section, out var recorded);
        if (!known || recorded.Data.Sha256 != data.Sha256)
        {
            var records = new SortedDictionary<string, RecordedResult>(StringComparer.Ordinal);
            if (ctx.Interactive && File.Exists(path))
            {
                SectionResults? earlier;
                try { earlier = SectionResults.Read(path, path); }
                catch (Econometrics.InputException) { earlier = null; } // an unreadable file is replaced
                if (earlier is not null && earlier.Section == section && earlier.Data.Sha256 == data.Sha256)
                    foreach (var (k, v) in earlier.Results) records[k] = v;
            }
            if (!known) ctx.Add(new Artifact("results", section, $"results of section {section}", [$"results/{section}.json"]));
            ctx.Recorded[section] = recorded = (data, records);
        }
        else if (!ctx.Interactive && recorded.Records.ContainsKey(key))
            throw new InvalidOperationException($"result '{section}/{key}' recorded twice in one run; give each result its own key");
        recorded.Records[key] = result;
        AtomicFile.WriteAllText(path, new SectionResults(section, data, recorded.Records.ToImmutableSortedDictionary(StringComparer.Ordinal)).ToJson());
    }

    /// <summary>Record the coefficient <paramref name="coefficient"/> of a fit (estimate, 95% interval, p, sample, specification) — see <see cref="Record(string, string, RecordedResult)"/>.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The result's key.</param>
    /// <param name="result">The fit.</param>
    /// <param name="coefficient">The coefficient's name in the fit (e.g. <c>treat</c>).</param>
    /// <param name="label">What it estimates, in words (default: the coefficient and formula).</param>
    /// <param name="truth">On synthetic data, the simulator's true value of what it targets (null on an author's data).</param>
    /// <param name="table">The id of the saved table that shows it.</param>
    public static void Record(string section, string key, EstimationResult result, string coefficient,
        string? label = null, double? truth = null, string? table = null) =>
        Record(section, key, RecordedEstimate.Of(result, coefficient, label, truth, table));

    /// <summary>Record a hypothesis test — see <see cref="Record(string, string, RecordedResult)"/>.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The result's key.</param>
    /// <param name="test">The test.</param>
    /// <param name="label">What it tests, in words (default: its null hypothesis).</param>
    /// <param name="table">The id of the saved table that shows it.</param>
    public static void Record(string section, string key, TestStatistic test, string? label = null, string? table = null) =>
        Record(section, key, RecordedTest.Of(test, label, table));

    /// <summary>Record a plain number (a count, a year) — see <see cref="Record(string, string, RecordedResult)"/>.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The result's key.</param>
    /// <param name="value">The number.</param>
    /// <param name="label">What it is, in words.</param>
    /// <param name="table">The id of the saved table that shows it.</param>
    public static void Record(string section, string key, double value, string label, string? table = null) =>
        Record(section, key, new RecordedValue(label, value, table));

    /// <summary>
    /// Show <paramref name="text"/> as a highlighted notice in the notebook, on its page in the site and, for
    /// the notebook that opens the site, on the front page (e.g. what the verdicts of a summary are about).
    /// </summary>
    public static void Notice(string text) =>
        Show(text, $"<div class=\"{SiteBuilder.NoticeClass}\" style=\"background:#fff3cd;border:2px solid #c90;padding:6px 10px;margin:.5em 0\">{System.Net.WebUtility.HtmlEncode(text)}</div>",
            valueId: null, extra: []);

    /// <summary>
    /// Every section's recorded results under this run's output folder, for the summary of the claims
    /// (see <see cref="ResultsCatalog.Load"/>): an <see cref="Econometrics.InputException"/> with one message
    /// naming every section whose notebook did not run, or that ran on other data than
    /// <see cref="UseData"/> declared.
    /// </summary>
    public static ResultsCatalog ReadResults()
    {
        var ctx = ReproductionContext.Current;
        var data = ctx.Data ?? throw new InvalidOperationException("call Report.UseData(dataPath) before reading results, so the summary checks that they come from the same data");
        var root = RepoRoot.Find();
        var rel = Path.GetRelativePath(root, ctx.OutputRoot);
        var shown = rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? ctx.OutputRoot : rel.Replace('\\', '/');
        return ResultsCatalog.Load(Path.Combine(root, "notebooks"), ctx.OutputRoot, data, shown);
    }
}
