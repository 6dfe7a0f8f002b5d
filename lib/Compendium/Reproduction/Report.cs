using System.Net;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Compendium.Data;
using Compendium.Econometrics;
using Compendium.Econometrics.Tables;
using Compendium.Figures;
using GenericChart = Plotly.NET.GenericChart;
using Figure = Compendium.Figures.Figure;

namespace Compendium.Reproduction;

/// <summary>
/// What a notebook calls to emit the paper's outputs. Each call writes files under the output
/// root (whole or not at all) and shows the result in the notebook.
/// <code>
/// var data = Report.UseData(dataPath);          // decides and shows the data banner
/// Report.Save(table);                           // output/tables/ID.{md,tex,csv,html}
/// Report.Save(figure, "fig1_map", "Pilot cities"); // output/figures/ID.{json,html,svg,png}
/// Report.Record("baseline", "did", fit, "treat");  // output/results/baseline.json (read by the summary of the claims)
/// </code>
/// </summary>
public static partial class Report
{
    /// <summary>
    /// Declare the panel this notebook analyses. Decides whether it is synthetic (see
    /// <see cref="DataSource"/>), shows the banner, and stamps it on every table saved afterwards.
    /// </summary>
    public static DataSource UseData(string dataPath)
    {
        var ctx = ReproductionContext.Current;
        var data = DataSource.Of(dataPath, ctx.ShownPath(Path.GetFullPath(dataPath)));
        ctx.Data = data;
        var colour = data.IsSynthetic ? "#fff3cd" : "#d1e7dd";
        Show(data.Banner,
            $"<div class=\"compendium-banner\" style=\"background:{colour};border:1px solid #999;padding:6px 10px;font-weight:bold\">{WebUtility.HtmlEncode(data.Banner)}</div>",
            valueId: null, extra: []);
        return data;
    }

    /// <summary>
    /// Declare and load the panel this notebook analyses (<see cref="UseData"/>, then
    /// <see cref="Compendium.Data.PanelLoader"/>), recoded to <paramref name="timing"/> unless it is <c>panel</c>, with the
    /// simulator's truth when it applies; prints the treatment coding in force.
    /// </summary>
    /// <param name="dataPath">The panel CSV or .xlsx (relative to the notebook's folder).</param>
    /// <param name="timing"><c>panel</c> (the file's own treatment columns), <c>default</c> or <c>alternative</c>.</param>
    public static StudyPanel LoadPanel(string dataPath, string timing = "panel")
    {
        var study = StudyPanel.Load(UseData(dataPath), dataPath, timing);
        Console.WriteLine(study.CodingLine);
        return study;
    }

    /// <summary>
    /// Declare that this notebook's numbers come from worlds the simulator makes as the notebook runs (a
    /// design diagnosis), not from a panel file: shows the synthetic-data banner, naming
    /// <paramref name="description"/> (what was simulated: seeds, settings) and the first 12 hex digits of its
    /// SHA-256, and stamps it on every table and figure saved afterwards, as <see cref="UseData"/> does for a panel.
    /// </summary>
    public static DataSource UseSimulation(string description)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(description)));
        var data = new DataSource(DataKind.Synthetic, description, hash);
        ReproductionContext.Current.Data = data;
        Show(data.Banner,
            $"<div class=\"compendium-banner\" style=\"background:#fff3cd;border:1px solid #999;padding:6px 10px;font-weight:bold\">{WebUtility.HtmlEncode(data.Banner)}</div>",
            valueId: null, extra: []);
        return data;
    }

    /// <summary>
    /// Write <paramref name="table"/> as output/tables/ID.md, .tex, .csv and .html, with the data
    /// banner as its first note, and show it. Returns the table as written.
    /// </summary>
    public static Table Save(Table table)
    {
        var ctx = ReproductionContext.Current;
        var data = ctx.Data ?? throw new InvalidOperationException("call Report.UseData(dataPath) before saving tables, so each table says which data made it");
        CheckId(table.Id);
        ctx.CheckNew("table", table.Id);
        var t = table.WithNoteFirst(data.Banner);
        var contents = new[] { ("md", t.ToMarkdown()), ("tex", t.ToLatex()), ("csv", t.ToCsv()), ("html", t.ToHtml()) }
            .Select(x => ($"tables/{t.Id}.{x.Item1}", x.Item2)).ToList();
        foreach (var (rel, text) in contents) AtomicFile.WriteAllText(Path.Combine(ctx.OutputRoot, rel), text);
        ctx.Add(new Artifact("table", t.Id, t.Title, contents.Select(c => c.Item1).ToList()));
        Show(t.ToMarkdown(), t.ToHtml(), $"compendium:table:{t.Id}", [new FormattedValue("text/markdown", t.ToMarkdown())]);
        return t;
    }

    /// <summary>
    /// Write a figure as output/figures/ID.json (Plotly JSON), ID.html (offline, interactive) and,
    /// where Chromium is installed, ID.svg and ID.png; show the SVG in the notebook (so it renders
    /// offline). The title is drawn in the figure itself (<see cref="FigureExport.WithTitle"/>), and a
    /// footnote says where the numbers come from: that the data are synthetic, or the author's file,
    /// or, for a figure drawn from public facts only, <paramref name="source"/>.
    /// </summary>
    /// <param name="chart">The figure.</param>
    /// <param name="id">File stem under output/figures.</param>
    /// <param name="title">Title, drawn in the figure and used as its caption.</param>
    /// <param name="width">Width in CSS pixels.</param>
    /// <param name="height">Height in CSS pixels.</param>
    /// <param name="source">For a figure that does not use the panel (e.g. a map of public facts): its source, printed as the footnote instead of the panel's provenance.</param>
    public static void Save(GenericChart chart, string id, string title,
        int width = FigureExport.DefaultWidth, int height = FigureExport.DefaultHeight, string? source = null) =>
        SaveJson(FigureExport.ToJson(chart), id, title, width, height, source);

    /// <inheritdoc cref="Save(GenericChart, string, string, int, int, string?)"/>
    public static void Save(Figure figure, string id, string title,
        int width = FigureExport.DefaultWidth, int height = FigureExport.DefaultHeight, string? source = null) =>
        SaveJson(figure.ToJson(), id, title, width, height, source);

    private static void SaveJson(string figureJson, string id, string title, int width, int height, string? source)
    {
        var ctx = ReproductionContext.Current;
        var data = ctx.Data ?? throw new InvalidOperationException("call Report.UseData(dataPath) before saving figures, so each figure says which data made it");
        CheckId(id);
        ctx.CheckNew("figure", id);
        var json = FigureExport.WithFootnote(FigureExport.WithTitle(FigureExport.WithSize(figureJson, width, height), title),
            source is not null ? "Source: " + source : data.IsSynthetic ? SyntheticFootnote : $"Author's data ({data.DisplayPath})");
        // Everything is made before anything is written: a failing image leaves no half-saved figure.
        var contents = new List<(string Rel, byte[] Bytes)>
        {
            ($"figures/{id}.json", Utf8(json)),
            ($"figures/{id}.html", Utf8(FigureExport.ToStandaloneHtml(json, title, source is null ? data.Banner : "Source: " + source))),
        };
        string? svg = null;
        if (ctx.RenderImages)
        {
            byte[] png;
            (svg, png) = ImageRenderer.RenderAsync(json, width, height).GetAwaiter().GetResult();
            contents.Add(($"figures/{id}.svg", Utf8(svg)));
            contents.Add(($"figures/{id}.png", png));
        }
        foreach (var (rel, bytes) in contents) AtomicFile.WriteAllBytes(Path.Combine(ctx.OutputRoot, rel), bytes);
        var files = contents.Select(c => c.Rel).ToList();
        ctx.Add(new Artifact("figure", id, title, files));
        var caption = $"Figure {id}: {title}\n{(source is null ? data.Banner : "Source: " + source)}\nFiles: {string.Join(", ", files.Select(f => "output/" + f))}";
        // The static SVG is the figure's only rich form in the notebook, so every front end (VS Code,
        // Jupyter, GitHub) shows the image offline; without Chromium a note says where the HTML is.
        if (svg is not null)
            Show(caption, null, $"compendium:figure:{id}", [new FormattedValue("image/svg+xml", svg)]);
        else
            Show(caption, $"<p><strong>{WebUtility.HtmlEncode(title)}</strong>: static image not rendered (no Chromium); open output/figures/{WebUtility.HtmlEncode(id)}.html.</p>",
                $"compendium:figure:{id}", []);
    }

    /// <summary>The line drawn under every figure made from synthetic data, so copies of the image keep their provenance.</summary>
    public const string SyntheticFootnote = "Synthetic data made by the compendium's simulator, not the paper's data.";

    private static byte[] Utf8(string s) => new System.Text.UTF8Encoding(false).GetBytes(s);

    private static void CheckId(string id)
    {
        if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new InputException($"output id '{id}' must be letters, digits, '_' or '-' (it becomes a file name)");
    }

    /// <summary>
    /// Publish a display with fixed MIME types. The value id tells the runner which table or figure
    /// an output is (ordinary displays get random ids, which the runner drops).
    /// </summary>
    private static void Show(string plain, string? html, string? valueId, IEnumerable<FormattedValue> extra)
    {
        var context = KernelInvocationContext.Current;
        if (context is null) return; // not inside a notebook kernel: files only
        var values = new List<FormattedValue> { new("text/plain", plain) };
        if (html is not null) values.Add(new("text/html", html));
        values.AddRange(extra);
        context.Publish(new DisplayedValueProduced(plain, context.Command, values, valueId ?? Guid.NewGuid().ToString("N")));
    }
}
