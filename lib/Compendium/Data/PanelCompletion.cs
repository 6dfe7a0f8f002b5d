using System.Collections.Immutable;
using Compendium.Econometrics.Data;
using Compendium.Econometrics.Tables;
using Compendium.Index;

namespace Compendium.Data;

/// <summary>
/// Fills the columns of a panel that an author's file may omit because they follow from public facts
/// or from the file's own indicators (<see cref="PanelVariable.DerivedFrom"/>):
/// city facts by <c>city_code</c> (name, province, size class, region, coordinates); the treatment
/// (<c>pilot</c>, <c>policy_year</c>, <c>treat</c>, <c>rel_year</c>) from the pilot-zone calendar under
/// the default timing coding; the resilience index and its sub-indices by the entropy method with
/// pooled weights, as the paper computes them; and the instrument <c>iv_tel_internet</c> =
/// <c>tel1984</c> × national internet users of the previous year (100 million).
/// Columns the file holds are never replaced.
/// </summary>
public static class PanelCompletion
{
    /// <summary>The derivable columns missing from <paramref name="columns"/>.</summary>
    public static ImmutableArray<PanelVariable> Missing(IEnumerable<string> columns)
    {
        var have = columns.ToHashSet(StringComparer.Ordinal);
        return PanelSchema.Variables.Where(v => v.DerivedFrom != Derivation.None && !have.Contains(v.Name)).ToImmutableArray();
    }

    /// <summary>
    /// Add every derivable column <paramref name="table"/> lacks. The city codes must all be in
    /// <paramref name="facts"/> (the loader checks that first). Returns the table and the names added.
    /// </summary>
    public static (ColumnTable Table, ImmutableArray<string> Added) Complete(ColumnTable table, StudyFacts facts)
    {
        var missing = Missing(table.ColumnNames);
        if (missing.IsEmpty) return (table, []);
        var sources = missing.Select(v => v.DerivedFrom).ToHashSet();
        var codes = table.Numeric(PanelSchema.CityCode);
        var years = table.Numeric(PanelSchema.Year);
        var cities = codes.Select(c => facts.City((int)c)).ToArray();
        var t = table;
        bool Lacks(string name) => missing.Any(v => v.Name == name);

        if (sources.Contains(Derivation.Facts))
        {
            var text = new (string Name, Func<City, string> Value)[]
            {
                ("city", c => c.Name), ("province", c => c.Province),
                ("size_class", c => SizeClasses.Name(c.SizeClass)), ("region", c => Regions.Name(c.Region)),
            };
            foreach (var (name, value) in text.Where(x => Lacks(x.Name))) t = t.With(name, cities.Select(c => (string?)value(c)).ToArray());
            if (Lacks("latitude")) t = t.With("latitude", cities.Select(c => c.Latitude).ToArray());
            if (Lacks("longitude")) t = t.With("longitude", cities.Select(c => c.Longitude).ToArray());
        }
        if (sources.Contains(Derivation.Calendar))
        {
            var coded = TreatmentTiming.Recode(t, facts, TimingCoding.Default);
            foreach (var name in new[] { PanelSchema.PolicyYear, PanelSchema.Treat, PanelSchema.RelYear }.Where(Lacks))
                t = t.With(name, coded.Numeric(name));
            if (Lacks(PanelSchema.Pilot)) t = t.With(PanelSchema.Pilot, cities.Select(c => facts.ZoneOf(c.Code) is null ? 0.0 : 1.0).ToArray());
        }
        if (sources.Contains(Derivation.Index))
        {
            var fitted = EntropyIndex.Fit(t);
            var withIndex = fitted.AddTo(ColumnTable.Empty(t.RowCount, t.Source));
            foreach (var v in missing.Where(v => v.DerivedFrom == Derivation.Index)) t = t.With(v.Name, withIndex.Numeric(v.Name));
        }
        if (sources.Contains(Derivation.Instrument))
        {
            var tel = t.Numeric("tel1984");
            var iv = new double[t.RowCount];
            for (int i = 0; i < iv.Length; i++) iv[i] = facts.TelInternetInstrument(tel[i], (int)years[i]);
            t = t.With("iv_tel_internet", iv);
        }
        return (t, missing.Select(v => v.Name).ToImmutableArray());
    }
}
