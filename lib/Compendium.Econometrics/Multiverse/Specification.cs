using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Compendium.Econometrics.Estimation;

namespace Compendium.Econometrics.Multiverse;

/// <summary>
/// One analytic choice of a multiverse (a specification curve): its name and the defensible options,
/// in display order, e.g. <c>timing: default, alternative</c>.
/// </summary>
/// <param name="Name">Machine name (a key of the choices file and of <see cref="Specification"/>).</param>
/// <param name="Options">The options, in the order the curve's indicator panel lists them; unique, non-empty.</param>
public sealed record Choice(string Name, ImmutableArray<string> Options)
{
    /// <summary>A choice from its options; an <see cref="InputException"/> when there are none, one is empty or one repeats.</summary>
    public static Choice Of(string name, IEnumerable<string> options)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InputException("a choice needs a name");
        var list = options.ToImmutableArray();
        if (list.Length == 0) throw new InputException($"choice '{name}' has no options");
        foreach (var o in list)
            if (string.IsNullOrWhiteSpace(o)) throw new InputException($"choice '{name}' has an empty option");
        var dup = list.GroupBy(o => o, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"choice '{name}' lists option '{dup.Key}' twice");
        return new Choice(name, list);
    }
}

/// <summary>
/// The declarative list of choices a multiverse crosses: every combination of one option per choice
/// is a <see cref="Specification"/> (Simonsohn, Simmons and Nelson 2020, "Specification curve analysis",
/// Nature Human Behaviour 4, 1208–1214). Enumeration is in odometer order: the last choice varies fastest.
/// </summary>
/// <param name="Choices">The choices in order; names unique.</param>
public sealed record ChoiceSet(ImmutableArray<Choice> Choices)
{
    /// <summary>A set from choices; an <see cref="InputException"/> when a name repeats or there are none.</summary>
    public static ChoiceSet Of(params Choice[] choices)
    {
        if (choices.Length == 0) throw new InputException("a multiverse needs at least one choice");
        var dup = choices.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"choice '{dup.Key}' is listed twice");
        return new ChoiceSet(choices.ToImmutableArray());
    }

    /// <summary>Number of specifications: the product of the numbers of options.</summary>
    public long Count => Choices.Aggregate(1L, (n, c) => n * c.Options.Length);

    /// <summary>The choice called <paramref name="name"/>; an <see cref="InputException"/> listing the names otherwise.</summary>
    public Choice this[string name] => Choices.FirstOrDefault(c => c.Name == name)
        ?? throw new InputException($"no choice '{name}'; choices: {string.Join(", ", Choices.Select(c => c.Name))}");

    /// <summary>True when a choice of that name exists.</summary>
    public bool Has(string name) => Choices.Any(c => c.Name == name);

    /// <summary>The same set with the options of one choice replaced (or the choice appended when absent).</summary>
    public ChoiceSet With(string name, IEnumerable<string> options)
    {
        var c = Choice.Of(name, options);
        int i = Choices.Select(x => x.Name).ToList().IndexOf(name);
        return new ChoiceSet(i >= 0 ? Choices.SetItem(i, c) : Choices.Add(c));
    }

    /// <summary>Every specification, in odometer order (the first choice varies slowest); <see cref="Specification.Index"/> is the position.</summary>
    public IEnumerable<Specification> Enumerate()
    {
        var names = Choices.Select(c => c.Name).ToImmutableArray();
        int m = Choices.Length;
        var pos = new int[m];
        long index = 0;
        while (true)
        {
            yield return new Specification(index++, names, Enumerable.Range(0, m).Select(j => Choices[j].Options[pos[j]]).ToImmutableArray());
            int k = m - 1;
            while (k >= 0 && ++pos[k] == Choices[k].Options.Length) { pos[k] = 0; k--; }
            if (k < 0) yield break;
        }
    }

    /// <summary>
    /// Read a choices file: a JSON object whose members are choices in order, each an array of option
    /// strings, e.g. <c>{"timing": ["default", "alternative"], "cluster": ["city", "province"]}</c>.
    /// A string value is a single option. Errors name <paramref name="source"/> and the member.
    /// </summary>
    public static ChoiceSet FromJson(string json, string source = "choices")
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InputException($"{source}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InputException($"{source}: expected a JSON object whose members are choices, e.g. {{\"timing\": [\"default\", \"alternative\"]}}");
            var choices = new List<Choice>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var options = p.Value.ValueKind switch
                {
                    JsonValueKind.String => [p.Value.GetString()!],
                    JsonValueKind.Array => p.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()!
                        : throw new InputException($"{source}: choice '{p.Name}' has a non-string option ({e.GetRawText()}); options are strings")).ToList(),
                    _ => throw new InputException($"{source}: choice '{p.Name}' must be an array of strings or a string"),
                };
                try { choices.Add(Choice.Of(p.Name, options)); }
                catch (InputException e) { throw new InputException($"{source}: {e.Message}"); }
            }
            try { return Of([.. choices]); }
            catch (InputException e) { throw new InputException($"{source}: {e.Message}"); }
        }
    }

    /// <summary>The choices as the JSON <see cref="FromJson"/> reads.</summary>
    public string ToJson() => ResultJson.Object(w =>
    {
        foreach (var c in Choices)
        {
            w.WriteStartArray(c.Name);
            foreach (var o in c.Options) w.WriteStringValue(o);
            w.WriteEndArray();
        }
    });

    /// <summary>One line per choice: <c>name (k): option, option, …</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var c in Choices) sb.Append(c.Name).Append(" (").Append(c.Options.Length).Append("): ").Append(string.Join(", ", c.Options)).Append('\n');
        return sb.ToString();
    }
}

/// <summary>
/// One specification: an option for every choice (a choice → value map), and its position in the
/// enumeration of its <see cref="ChoiceSet"/>. Equality is by the map, not the position.
/// </summary>
public sealed class Specification : IEquatable<Specification>
{
    /// <summary>A specification from a position and parallel name/value lists.</summary>
    public Specification(long index, ImmutableArray<string> names, ImmutableArray<string> values)
    {
        if (names.Length != values.Length) throw new ArgumentException("names and values differ in length");
        Index = index; Names = names; Values = values;
    }

    /// <summary>A specification from (choice, option) pairs, position 0 (for a single fit outside a multiverse).</summary>
    public static Specification Of(params (string Choice, string Option)[] pairs) =>
        new(0, pairs.Select(p => p.Choice).ToImmutableArray(), pairs.Select(p => p.Option).ToImmutableArray());

    /// <summary>Position in <see cref="ChoiceSet.Enumerate"/>.</summary>
    public long Index { get; }
    /// <summary>Choice names, in the set's order.</summary>
    public ImmutableArray<string> Names { get; }
    /// <summary>The chosen option of each choice, parallel to <see cref="Names"/>.</summary>
    public ImmutableArray<string> Values { get; }

    /// <summary>The option chosen for <paramref name="choice"/>; an <see cref="InputException"/> naming the choices otherwise.</summary>
    public string this[string choice]
    {
        get
        {
            int i = Names.IndexOf(choice);
            return i >= 0 ? Values[i] : throw new InputException($"specification has no choice '{choice}'; choices: {string.Join(", ", Names)}");
        }
    }

    /// <summary>The option for <paramref name="choice"/>, or <paramref name="fallback"/> when the set does not vary it.</summary>
    public string Get(string choice, string fallback)
    {
        int i = Names.IndexOf(choice);
        return i >= 0 ? Values[i] : fallback;
    }

    /// <summary>The map as text, <c>name=value; name=value</c>, in the set's order (stable: a key for caches and tables).</summary>
    public string Key => string.Join("; ", Names.Select((n, i) => n + "=" + Values[i]));

    /// <summary>The key of the same specification with <paramref name="choice"/> left out: specifications that differ only in that choice share it.</summary>
    public string KeyWithout(string choice) => string.Join("; ", Names.Select((n, i) => n == choice ? null : n + "=" + Values[i]).Where(s => s is not null));

    /// <inheritdoc/>
    public bool Equals(Specification? other) => other is not null && Names.SequenceEqual(other.Names) && Values.SequenceEqual(other.Values);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Specification);
    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
    /// <summary>The <see cref="Key"/>.</summary>
    public override string ToString() => Key;
}
