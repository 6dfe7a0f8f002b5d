using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Compendium.Figures;

namespace Compendium.Reproduction;

/// <summary>
/// Renders the executed notebooks under output/notebooks/ as a static site in output/site/:
/// index.html (the data banner, the notebooks, and a contents table mapping every table and figure
/// to its notebook and cell) and one page per notebook (markdown rendered with Markdig, code,
/// outputs). Figures are interactive and work offline: each page embeds the figure JSON from
/// output/figures/ and loads the one shared plotly.js copied into the site.
/// </summary>
public static partial class SiteBuilder
{
    private static readonly MarkdownPipeline Md = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Css = """
        body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
        pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:.85em}
        pre.code{border-left:3px solid #4a7bd0}
        pre.error{background:#fde8e8;color:#900}
        .banner{background:#fff3cd;border:1px solid #999;padding:.5em 1em;font-weight:bold}
        .banner.author{background:#d1e7dd}
        table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
        .num{text-align:right;white-space:nowrap}.text{text-align:left}
        caption{font-weight:bold;text-align:left}
        table.contents td.title{min-width:22em}table.contents td.files{white-space:nowrap;font-size:.85em}
        figure{margin:1em 0}figcaption{font-size:.85em;color:#555}
        .table-note{font-size:.85em;color:#555}
        .cell{margin:1.2em 0}.cell-label{font-size:.75em;color:#888}
        """;

    /// <summary>Write the static HTML site to <c>outputRoot/site</c> from the executed notebooks in <c>outputRoot/notebooks</c>.</summary>
    /// <remarks>
    /// A notebook whose metadata says <c>"compendium": {"front_page": true}</c> (the summary of the paper's
    /// claims) opens the site: its notices and its first table are shown on the front page and it heads the
    /// list of notebooks. In its tables, a reference <c>NN_notebook</c> or <c>NN_notebook (output_id)</c> becomes a
    /// link to that notebook's page, or to the cell that made the output.
    /// </remarks>
    public static void Build(string outputRoot)
    {
        var site = Path.Combine(outputRoot, "site");
        var notebooks = Directory.Exists(Path.Combine(outputRoot, "notebooks"))
            ? Directory.GetFiles(Path.Combine(outputRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList()
            : [];
        AtomicFile.WriteAllText(Path.Combine(site, "plotly.min.js"), PlotlyAssets.PlotlyJs);
        AtomicFile.WriteAllText(Path.Combine(site, "plotly-geo-assets.js"), PlotlyAssets.GeoAssetsJs);

        var parsed = notebooks.Select(p => (Name: Path.GetFileNameWithoutExtension(p), Nb: JsonNode.Parse(File.ReadAllText(p))!.AsObject())).ToList();
        var pages = parsed.Select(x => (x.Name, Front: IsFrontPage(x.Nb), Page: Page(outputRoot, x.Name, x.Nb, null))).ToList();
        var links = new Linker(pages.ToDictionary(p => p.Name, p => p.Page.Items.ToDictionary(i => i.Id, i => i.CellId, StringComparer.Ordinal), StringComparer.Ordinal));

        var contents = new StringBuilder();
        var list = new StringBuilder();
        var front = new StringBuilder();
        string? banner = null;
        foreach (var (name, isFront, first) in pages.OrderBy(p => p.Front ? 0 : 1)) // the front page's notebook heads the list
        {
            var (page, title, nbBanner, items, frontHtml) = isFront ? Page(outputRoot, name, parsed.Single(x => x.Name == name).Nb, links) : first;
            banner ??= nbBanner;
            AtomicFile.WriteAllText(Path.Combine(site, name + ".html"), page);
            list.Append($"<li><a href=\"{name}.html\">{H(name)}</a>: {H(title)}{(isFront ? " (start here)" : "")}</li>\n");
            if (isFront && front.Length == 0)
                front.Append($"<h2>{H(title)}</h2>\n").Append(frontHtml)
                     .Append($"<p>How each verdict follows from the numbers, and the rules: <a href=\"{name}.html\">{H(name)}</a>.</p>\n");
        }
        foreach (var (name, _, p) in pages)
            foreach (var (kind, id, itemTitle, cellNo, cellId) in p.Items)
                contents.Append($"<tr><td>{H(kind)}</td><td><code>{H(id)}</code></td><td class=\"title\">{H(itemTitle)}</td><td><a href=\"{name}.html#cell-{H(cellId)}\">{H(name)}, cell {cellNo}</a></td><td class=\"files\">{FileLinks(outputRoot, kind, id)}</td></tr>\n");
        var index = new StringBuilder();
        index.Append(Head("Replication compendium: outputs"));
        if (banner is not null) index.Append(BannerHtml(banner));
        index.Append("<h1>Replication compendium: big data pilot zones and urban economic resilience</h1>\n");
        index.Append("<p>Every table and figure below was produced by running the notebooks with <code>compendium reproduce</code>.</p>\n");
        index.Append(front);
        index.Append("<h2>Notebooks</h2>\n<ol>\n").Append(list).Append("</ol>\n");
        index.Append("<h2>Tables and figures</h2>\n<table class=\"contents\">\n<thead><tr><th>kind</th><th>id</th><th>title</th><th>notebook, cell</th><th>files</th></tr></thead>\n<tbody>\n")
             .Append(contents).Append("</tbody>\n</table>\n</body>\n</html>\n");
        AtomicFile.WriteAllText(Path.Combine(site, "index.html"), index.ToString());
    }

    /// <summary>Whether the executed notebook asks to open the site (metadata <c>compendium.front_page</c>).</summary>
    private static bool IsFrontPage(JsonObject nb) =>
        nb["metadata"]?["compendium"]?["front_page"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Turns notebook references in a front-page table into links (see <see cref="Build"/>).</summary>
    private sealed partial class Linker(Dictionary<string, Dictionary<string, string>> cellsByNotebook)
    {
        [System.Text.RegularExpressions.GeneratedRegex(@"\b(?<nb>\d\d_[A-Za-z0-9_]+)(?<ref> \((?<id>[A-Za-z0-9_-]+)\))?")]
        private static partial System.Text.RegularExpressions.Regex Reference();

        /// <summary><paramref name="html"/> with every reference to an existing notebook (and output) linked.</summary>
        public string Link(string html) => Reference().Replace(html, m =>
        {
            var nb = m.Groups["nb"].Value;
            if (!cellsByNotebook.TryGetValue(nb, out var cells)) return m.Value;
            var id = m.Groups["id"].Value;
            return m.Groups["ref"].Success && cells.TryGetValue(id, out var cell)
                ? $"<a href=\"{nb}.html\">{nb}</a> (<a href=\"{nb}.html#cell-{H(cell)}\">{id}</a>)"
                : $"<a href=\"{nb}.html\">{nb}</a>{m.Groups["ref"].Value}";
        });
    }

    private static (string Html, string Title, string? Banner, List<(string Kind, string Id, string Title, int Cell, string CellId)> Items, string FrontHtml) Page(string outputRoot, string name, JsonObject nb, Linker? links)
    {
        var body = new StringBuilder();
        var front = new StringBuilder();
        bool frontTable = false;
        var items = new List<(string, string, string, int, string)>();
        string? title = null, banner = null;
        int cellNo = 0;
        foreach (var cell in nb["cells"]!.AsArray())
        {
            cellNo++;
            var id = cell!["id"]!.GetValue<string>();
            var source = Text(cell["source"]);
            body.Append($"<div class=\"cell\" id=\"cell-{H(id)}\">\n");
            if (cell["cell_type"]!.GetValue<string>() == "markdown")
            {
                title ??= source.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();
                body.Append(Markdown.ToHtml(source, Md));
            }
            else
            {
                body.Append($"<div class=\"cell-label\">cell {cellNo} [{cell["execution_count"]?.ToJsonString() ?? " "}]</div>\n<pre class=\"code\"><code>{H(source)}</code></pre>\n");
                foreach (var output in cell["outputs"]!.AsArray())
                {
                    var o = output!.AsObject();
                    var meta = o["metadata"]?["compendium"];
                    if (meta is not null)
                        items.Add((meta["kind"]!.GetValue<string>(), meta["id"]!.GetValue<string>(), meta["title"]?.GetValue<string>() ?? "", cellNo, id));
                    var shown = Output(outputRoot, o, ref banner);
                    if (links is not null && meta?["kind"]?.GetValue<string>() == "table")
                    {
                        shown = links.Link(shown);
                        if (!frontTable) front.Append(shown); // the front page shows the summary's notices and its first table
                        frontTable = true;
                    }
                    else if (links is not null && shown.Contains(NoticeClass, StringComparison.Ordinal))
                        front.Append(shown);
                    body.Append(shown);
                }
            }
            body.Append("</div>\n");
        }
        title ??= name;
        var html = new StringBuilder(Head(title));
        html.Append("<script src=\"plotly.min.js\"></script>\n<script src=\"plotly-geo-assets.js\"></script>\n");
        if (banner is not null) html.Append(BannerHtml(banner));
        html.Append("<p><a href=\"index.html\">← contents</a></p>\n").Append(body).Append("</body>\n</html>\n");
        return (html.ToString(), title, banner, items, front.ToString());
    }

    private static string Output(string outputRoot, JsonObject o, ref string? banner)
    {
        switch (o["output_type"]!.GetValue<string>())
        {
            case "stream": return $"<pre>{H(Text(o["text"]))}</pre>\n";
            case "error": return $"<pre class=\"error\">{H(o["ename"]?.GetValue<string>() + ": " + o["evalue"]?.GetValue<string>())}</pre>\n";
        }
        var data = o["data"]?.AsObject() ?? new JsonObject();
        var meta = o["metadata"]?["compendium"];
        if (meta?["kind"]?.GetValue<string>() == "figure")
        {
            var id = meta["id"]!.GetValue<string>();
            var json = Path.Combine(outputRoot, "figures", id + ".json");
            if (File.Exists(json))
                return $"<figure><div id=\"fig-{H(id)}\"></div><figcaption>Figure <code>{H(id)}</code> (its title is drawn in the figure). Files: {FileLinks(outputRoot, "figure", id)}</figcaption></figure>\n" +
                       $"<script>(function(){{var f = {File.ReadAllText(json).TrimEnd()};\nPlotly.newPlot('fig-{id}', f.data, f.layout, {{responsive: true}});}})();</script>\n";
        }
        if (data["text/html"] is { } html)
        {
            var h = Text(html);
            if (h.Contains("compendium-banner", StringComparison.Ordinal))
            {
                banner ??= Text(data["text/plain"]);
                return "";
            }
            return h + "\n";
        }
        if (data["image/svg+xml"] is { } svg) return Text(svg) + "\n";
        if (data["image/png"] is { } png) return $"<img src=\"data:image/png;base64,{Text(png).Trim()}\"/>\n";
        if (data["text/markdown"] is { } md) return Markdown.ToHtml(Text(md), Md);
        if (data["text/plain"] is { } plain) return $"<pre>{H(Text(plain))}</pre>\n";
        return "";
    }

    /// <summary>Links (relative to site/) to the files a table or figure was written to, one per extension: "md · tex · csv · html" (the id column names the stem).</summary>
    private static string FileLinks(string outputRoot, string kind, string id)
    {
        var folder = kind == "table" ? "tables" : "figures";
        var dir = Path.Combine(outputRoot, folder);
        var files = Directory.Exists(dir)
            ? Directory.GetFiles(dir, id + ".*").Where(f => Path.GetFileNameWithoutExtension(f) == id)
                .Select(Path.GetFileName).OrderBy(f => Array.IndexOf(ExtensionOrder, Path.GetExtension(f)) is var i && i < 0 ? 99 : i).ThenBy(f => f, StringComparer.Ordinal).ToList()
            : [];
        return files.Count == 0 ? $"<code>output/{folder}/{H(id)}.*</code>"
            : string.Join(" · ", files.Select(f => $"<a href=\"../{folder}/{H(f)}\" title=\"output/{folder}/{H(f)}\">{H(Path.GetExtension(f!)[1..])}</a>"));
    }

    private static readonly string[] ExtensionOrder = [".md", ".tex", ".csv", ".html", ".json", ".svg", ".png"];

    /// <summary>The CSS class of a notice shown with <see cref="Report.Notice"/>.</summary>
    internal const string NoticeClass = "compendium-notice";

    private static string BannerHtml(string banner) =>
        $"<div class=\"banner{(banner.StartsWith("SYNTHETIC", StringComparison.Ordinal) ? "" : " author")}\">{H(banner)}</div>\n";

    private static string Head(string title) =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{H(title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n";

    private static string Text(JsonNode? n) => n switch
    {
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
}
