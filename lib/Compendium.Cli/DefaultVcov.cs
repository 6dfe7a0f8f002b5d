using System.Globalization;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Formulas;
using Compendium.Econometrics.Inference;

namespace Compendium.Cli;

/// <summary>
/// The variance estimator of <c>fit</c> and <c>iv</c> when <c>--vcov</c> is not given, as fixest chooses
/// it: clustered by the first fixed effect when the formula has fixed effects (a combined one such as
/// <c>province^year</c> is clustered by its combined levels), iid without fixed effects. The choice is
/// said on stderr, so a reader of the output knows which errors they are.
/// </summary>
internal static class DefaultVcov
{
    /// <summary>The variance to use (and the data, with a combined cluster column added when needed).</summary>
    public static (Vcov Vcov, ColumnTable Data) Choose(string? spec, Formula formula, ColumnTable data, TextWriter stderr)
    {
        if (spec is not null) return (Vcov.Parse(spec), data);
        if (formula.FixedEffects.IsDefaultOrEmpty) return (Vcov.Iid, data);
        var first = formula.FixedEffects[0];
        if (first.Parts.Length > 1 && !data.HasColumn(first.Name) && first.Parts.All(p => data.HasColumn(p.Name)))
            data = data.With(first.Name, Combined(data, first));
        stderr.WriteLine($"note: standard errors clustered by {first.Name}, the first fixed effect (fixest's default with fixed effects); --vcov iid, hetero or cluster:VAR to choose");
        return (Vcov.Cluster(first.Name), data);
    }

    /// <summary>The combined factor's level of each row as text (missing when any part is missing).</summary>
    private static string?[] Combined(ColumnTable data, FixedEffectTerm fe)
    {
        var parts = fe.Parts.Select(p => data.IsNumeric(p.Name)
            ? data.Numeric(p.Name).Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToArray()
            : data.Text(p.Name)).ToList();
        return Enumerable.Range(0, data.RowCount)
            .Select(i => parts.Any(p => p[i] is null) ? null : string.Join("\u001f", parts.Select(p => p[i])))
            .ToArray();
    }
}
