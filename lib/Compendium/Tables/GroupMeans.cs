using System.Collections.Immutable;
using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;

namespace Compendium.Tables;

/// <summary>Means of one variable by year for each group (e.g. pilot vs never-treated cities).</summary>
/// <param name="Variable">The variable averaged.</param>
/// <param name="Years">Years in increasing order.</param>
/// <param name="Groups">Group label and the mean in each year (NaN where the group has no row that year).</param>
public sealed record YearMeans(string Variable, ImmutableArray<int> Years, ImmutableArray<(string Group, ImmutableArray<double> Means)> Groups)
{
    /// <summary>Year by group table, with the difference of the first two groups when there are two.</summary>
    public Table ToTable(string id, string title, int digits = 4)
    {
        bool diff = Groups.Length == 2;
        var header = new List<string> { "Year" };
        header.AddRange(Groups.Select(g => g.Group));
        if (diff) header.Add("Difference");
        var rows = Years.Select((y, t) =>
        {
            var cells = new List<string> { y.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(Groups.Select(g => Format.Number(g.Means[t], digits)));
            if (diff) cells.Add(Format.Number(Groups[0].Means[t] - Groups[1].Means[t], digits));
            return new TableRow(cells.ToArray());
        });
        var notes = new List<string> { $"Unweighted means of {Variable} over the cities of each group in each year." };
        if (diff) notes.Add($"Difference = {Groups[0].Group} − {Groups[1].Group}.");
        return new Table(id, title, header, rows, notes);
    }
}

/// <summary>Group means of panel variables: by year (for trend figures) and overall (for summary tables).</summary>
public static class GroupMeans
{
    /// <summary>
    /// Mean of <paramref name="variable"/> in each year and group. Groups are the distinct values of the
    /// numeric column <paramref name="group"/>, named by <paramref name="groupName"/> and ordered by
    /// value descending (so a 0/1 indicator gives the "1" group first). Missing values are skipped.
    /// </summary>
    public static YearMeans ByYear(ColumnTable data, string variable, string year, string group, Func<double, string> groupName)
    {
        var v = data.Numeric(variable);
        var y = data.Numeric(year);
        var g = data.Numeric(group);
        var years = y.Where(double.IsFinite).Distinct().Order().Select(d => (int)d).ToImmutableArray();
        var levels = g.Where(double.IsFinite).Distinct().OrderDescending().ToArray();
        var groups = levels.Select(level => (groupName(level), years.Select(yr =>
        {
            double sum = 0; int n = 0;
            for (int i = 0; i < v.Length; i++)
                if (g[i] == level && y[i] == yr && !double.IsNaN(v[i])) { sum += v[i]; n++; }
            return n == 0 ? double.NaN : sum / n;
        }).ToImmutableArray())).ToImmutableArray();
        return new YearMeans(variable, years, groups);
    }

    /// <summary>
    /// Means of several variables (rows) by group (columns), with N per group and the difference of the
    /// first two groups. Groups as in <see cref="ByYear"/>.
    /// </summary>
    public static Table ByGroup(ColumnTable data, IReadOnlyList<(string Name, string Label)> variables, string group, Func<double, string> groupName,
        string id, string title, int digits = 4)
    {
        var g = data.Numeric(group);
        var levels = g.Where(double.IsFinite).Distinct().OrderDescending().ToArray();
        bool diff = levels.Length == 2;
        var header = new List<string> { "Variable" };
        header.AddRange(levels.Select(groupName));
        if (diff) header.Add("Difference");
        var rows = new List<TableRow>();
        foreach (var (name, label) in variables)
        {
            var x = data.Numeric(name);
            var means = levels.Select(l =>
            {
                var sel = Enumerable.Range(0, x.Length).Where(i => g[i] == l && !double.IsNaN(x[i])).ToList();
                return sel.Count == 0 ? double.NaN : sel.Average(i => x[i]);
            }).ToArray();
            var cells = new List<string> { label };
            cells.AddRange(means.Select(m => Format.Number(m, digits)));
            if (diff) cells.Add(Format.Number(means[0] - means[1], digits));
            rows.Add(new TableRow(cells.ToArray()));
        }
        rows.Add(new TableRow([ "Rows (city-years)", .. levels.Select(l => g.Count(v => v == l).ToString(CultureInfo.InvariantCulture)), .. diff ? new[] { "" } : [] ], RuleAbove: true));
        var notes = new List<string> { "Unweighted means over all rows of each group." };
        if (diff) notes.Add($"Difference = {groupName(levels[0])} − {groupName(levels[1])}.");
        return new Table(id, title, header, rows, notes);
    }
}
