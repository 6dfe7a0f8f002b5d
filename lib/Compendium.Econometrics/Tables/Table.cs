using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace Compendium.Econometrics.Tables;

/// <summary>One row of a <see cref="Table"/>. <paramref name="RuleAbove"/> draws a rule before it (a panel break).</summary>
public sealed record TableRow(ImmutableArray<string> Cells, bool RuleAbove = false)
{
    /// <summary>A row of these cells, without a rule above.</summary>
    public TableRow(params string[] cells) : this(cells.ToImmutableArray()) { }
}

/// <summary>
/// A finished table: what every result, descriptive statistic and regression grid turns into, and
/// what the output writers consume. It holds formatted strings only (numbers are formatted once,
/// invariantly, by whoever builds it), so every rendering shows the same digits.
/// </summary>
/// <param name="Id">File stem under output/tables (e.g. <c>table2_baseline</c>).</param>
/// <param name="Title">Caption.</param>
/// <param name="Header">Column headings; the first is the row-label column.</param>
/// <param name="Rows">Body rows, each as long as the header.</param>
/// <param name="Notes">Lines printed under the table: conventions, significance codes, data provenance.</param>
public sealed record Table(string Id, string Title, ImmutableArray<string> Header,
    ImmutableArray<TableRow> Rows, ImmutableArray<string> Notes)
{
    /// <summary>Build a table; throws <see cref="ArgumentException"/> if a row's length differs from the header's.</summary>
    public Table(string id, string title, IEnumerable<string> header, IEnumerable<TableRow> rows, IEnumerable<string>? notes = null)
        : this(id, title, header.ToImmutableArray(), rows.ToImmutableArray(), (notes ?? []).ToImmutableArray())
    {
        foreach (var r in Rows)
            if (r.Cells.Length != Header.Length)
                throw new ArgumentException($"table '{id}': a row has {r.Cells.Length} cells, the header {Header.Length}");
    }

    /// <summary>The same table with a line added at the top of its notes (e.g. the data banner).</summary>
    public Table WithNoteFirst(string note) => this with { Notes = Notes.Insert(0, note) };
    /// <summary>The same table with a line added at the end of its notes.</summary>
    public Table WithNote(string note) => this with { Notes = Notes.Add(note) };

    /// <summary>GitHub-flavoured Markdown: caption in bold, pipes escaped, notes as paragraphs.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Title).Append("**\n\n");
        sb.Append("| ").Append(string.Join(" | ", Header.Select(Md))).Append(" |\n");
        sb.Append('|').Append(string.Join("|", Header.Select((_, i) => i == 0 ? ":---" : "---:"))).Append("|\n");
        foreach (var r in Rows)
            sb.Append("| ").Append(string.Join(" | ", r.Cells.Select(Md))).Append(" |\n");
        foreach (var n in Notes) sb.Append('\n').Append(Md(n)).Append('\n');
        return sb.ToString();
        static string Md(string s) => s.Replace("|", "\\|");
    }

    /// <summary>LaTeX with booktabs rules; notes below the tabular in a footnotesize block.</summary>
    public string ToLatex()
    {
        var sb = new StringBuilder();
        sb.Append("\\begin{table}[htbp]\n\\centering\n\\caption{").Append(Tex(Title)).Append("}\n");
        sb.Append("\\label{tab:").Append(Id).Append("}\n");
        sb.Append("\\begin{tabular}{l").Append(new string('c', Header.Length - 1)).Append("}\n\\toprule\n");
        sb.Append(string.Join(" & ", Header.Select(Tex))).Append(" \\\\\n\\midrule\n");
        foreach (var r in Rows)
        {
            if (r.RuleAbove) sb.Append("\\midrule\n");
            sb.Append(string.Join(" & ", r.Cells.Select(Tex))).Append(" \\\\\n");
        }
        sb.Append("\\bottomrule\n\\end{tabular}\n");
        if (Notes.Length > 0)
        {
            sb.Append("\\par\\smallskip\n{\\footnotesize\n");
            foreach (var n in Notes) sb.Append(Tex(n)).Append("\\par\n");
            sb.Append("}\n");
        }
        sb.Append("\\end{table}\n");
        return sb.ToString();
    }

    /// <summary>RFC 4180 CSV of header and body (no caption, no notes), for reuse in other software.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Header.Select(Csv))).Append('\n');
        foreach (var r in Rows) sb.Append(string.Join(",", r.Cells.Select(Csv))).Append('\n');
        return sb.ToString();
    }

    /// <summary>A self-contained HTML fragment: caption, table, notes. No styles or ids, so it is stable.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"compendium-table\">\n<caption>").Append(H(Title)).Append("</caption>\n<thead><tr>");
        foreach (var h in Header) sb.Append("<th>").Append(H(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in Rows)
        {
            sb.Append(r.RuleAbove ? "<tr class=\"rule\">" : "<tr>");
            for (int i = 0; i < r.Cells.Length; i++)
                sb.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(H(r.Cells[i])).Append(i == 0 ? "</th>" : "</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
        foreach (var n in Notes) sb.Append("<p class=\"table-note\">").Append(H(n)).Append("</p>\n");
        return sb.ToString();
        static string H(string s) => WebUtility.HtmlEncode(s);
    }

    /// <summary>The table as Markdown (<see cref="ToMarkdown"/>).</summary>
    public override string ToString() => ToMarkdown();

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string Tex(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(c switch
            {
                '\\' => "\\textbackslash{}", '&' => "\\&", '%' => "\\%", '$' => "\\$", '#' => "\\#",
                '_' => "\\_", '{' => "\\{", '}' => "\\}", '~' => "\\textasciitilde{}", '^' => "\\textasciicircum{}",
                '−' => "$-$", '≥' => "$\\geq$", '≤' => "$\\leq$", '×' => "$\\times$", '²' => "$^2$",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}
