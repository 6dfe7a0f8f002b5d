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
public static class SiteBuilder
{
    private static readonly MarkdownPipeline Md = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Css = """
        body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
        pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:.85em}
        pre.code{border-left:3px solid #4a7bd0}
        pre.error{background:#fde8e8;color:#900}
        .banner{background:#fff3cd;border:1px solid #999;padding:.5em 1em;font-weight:bold}
        .banner.author{background:#d1e7dd}
        table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
        th[scope=row],td:first-child{text-align:left}
        caption{font-weight:bold;text-align:left}
        .table-note{font-size:.85em;color:#555}
        .cell{margin:1.2em 0}.cell-label{font-size:.75em;color:#888}
        """;

    /// <summary>Write the static HTML site to <c>outputRoot/site</c> from the executed notebooks in <c>outputRoot/notebooks</c>.</summary>
    public static void Build(string outputRoot)
    {
        var site = Path.Combine(outputRoot, "site");
        var notebooks = Directory.Exists(Path.Combine(outputRoot, "notebooks"))
            ? Directory.GetFiles(Path.Combine(outputRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList()
            : [];
        AtomicFile.WriteAllText(Path.Combine(site, "plotly.min.js"), PlotlyAssets.PlotlyJs);
        AtomicFile.WriteAllText(Path.Combine(site, "plotly-geo-assets.js"), PlotlyAssets.GeoAssetsJs);

        var contents = new StringBuilder();
        var list = new StringBuilder();
        string? banner = null;
        foreach (var path in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var nb = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var (page, title, nbBanner, items) = Page(outputRoot, name, nb);
            banner ??= nbBanner;
            AtomicFile.WriteAllText(Path.Combine(site, name + ".html"), page);
            list.Append($"<li><a href=\"{name}.html\">{H(name)}</a>: {H(title)}</li>\n");
            foreach (var (kind, id, itemTitle, cellNo, cellId) in items)
                contents.Append($"<tr><td>{H(kind)}</td><td><code>{H(id)}</code></td><td>{H(itemTitle)}</td><td><a href=\"{name}.html#cell-{H(cellId)}\">{H(name)}, cell {cellNo}</a></td><td><code>output/{(kind == "table" ? "tables" : "figures")}/{H(id)}.*</code></td></tr>\n");
        }
        var index = new StringBuilder();
        index.Append(Head("Replication compendium: outputs"));
        if (banner is not null) index.Append(BannerHtml(banner));
        index.Append("<h1>Replication compendium: big data pilot zones and urban economic resilience</h1>\n");
        index.Append("<p>Every table and figure below was produced by running the notebooks with <code>compendium reproduce</code>.</p>\n");
        index.Append("<h2>Notebooks</h2>\n<ol>\n").Append(list).Append("</ol>\n");
        index.Append("<h2>Tables and figures</h2>\n<table>\n<thead><tr><th>kind</th><th>id</th><th>title</th><th>notebook, cell</th><th>files</th></tr></thead>\n<tbody>\n")
             .Append(contents).Append("</tbody>\n</table>\n</body>\n</html>\n");
        AtomicFile.WriteAllText(Path.Combine(site, "index.html"), index.ToString());
    }

    private static (string Html, string Title, string? Banner, List<(string Kind, string Id, string Title, int Cell, string CellId)> Items) Page(string outputRoot, string name, JsonObject nb)
    {
        var body = new StringBuilder();
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
                    body.Append(Output(outputRoot, o, ref banner));
                }
            }
            body.Append("</div>\n");
        }
        title ??= name;
        var html = new StringBuilder(Head(title));
        html.Append("<script src=\"plotly.min.js\"></script>\n<script src=\"plotly-geo-assets.js\"></script>\n");
        if (banner is not null) html.Append(BannerHtml(banner));
        html.Append("<p><a href=\"index.html\">← contents</a></p>\n").Append(body).Append("</body>\n</html>\n");
        return (html.ToString(), title, banner, items);
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
                return $"<figure><div id=\"fig-{H(id)}\"></div><figcaption>{H(meta["title"]?.GetValue<string>() ?? id)}</figcaption></figure>\n" +
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
