using Xunit;
using Compendium.Econometrics.Tables;

namespace Compendium.Tests;

public class TableTests
{
    [Fact]
    public void RendersEveryFormatWithEscaping()
    {
        var t = new Table("t1", "Demo & test", ["", "(1)"], [new TableRow("a_b", "1.0|2"), new TableRow("c", "x,y") { RuleAbove = true }], ["Note 50%"]);
        Assert.Contains("1.0\\|2", t.ToMarkdown());
        Assert.Contains("a\\_b", t.ToLatex());
        Assert.Contains("\\midrule\nc", t.ToLatex());
        Assert.Contains("\"x,y\"", t.ToCsv());
        Assert.Contains("Demo &amp; test", t.ToHtml());
        Assert.Throws<ArgumentException>(() => new Table("t2", "bad", ["a", "b"], [new TableRow("only one")]));
    }
}
