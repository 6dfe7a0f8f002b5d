using Parquet;
using Parquet.Schema;

namespace Compendium.Econometrics.Data;

/// <summary>
/// Reads an Apache Parquet file into a <see cref="ColumnTable"/> with Parquet.Net (MIT): every flat
/// numeric or boolean column becomes a <c>double[]</c> (nulls → NaN), every string column a text column
/// (nulls → missing), read row group by row group straight into the final arrays. Nested, list and
/// other columns (dates, binary) are an <see cref="InputException"/> when asked for, and skipped otherwise.
/// </summary>
public static class ParquetColumnReader
{
    /// <summary>Read <paramref name="path"/>; only the columns in <paramref name="columns"/> when it is not null.</summary>
    public static ColumnTable Read(string path, IReadOnlyCollection<string>? columns = null) =>
        Guard(path, () => ReadAsync(path, columns).GetAwaiter().GetResult());

    /// <summary>The names of the file's top-level columns, from its schema.</summary>
    public static IReadOnlyList<string> ColumnNames(string path) => Guard(path, () =>
    {
        using var stream = File.OpenRead(path);
        return ParquetReader.ReadSchemaAsync(stream).GetAwaiter().GetResult().Fields.Select(f => f.Name).ToArray();
    });

    private static T Guard<T>(string path, Func<T> read)
    {
        ColumnTableCsv.EnsureExists(path);
        try { return read(); }
        catch (InputException) { throw; }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InputException($"{path}: not a readable Parquet file ({e.Message})");
        }
    }

    private static async Task<ColumnTable> ReadAsync(string path, IReadOnlyCollection<string>? wanted)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var top = reader.Schema.Fields;
        var fields = new List<DataField>();
        var names = top.Select(f => f.Name).ToArray();
        IEnumerable<string> selected = wanted ?? names;
        foreach (var name in selected)
        {
            var f = top.FirstOrDefault(x => x.Name == name)
                ?? throw new InputException($"{path}: no column '{name}'. Columns found: {string.Join(", ", names)}.");
            if (f is DataField df && !df.IsArray && Kind(df.ClrType) != ColumnKind.Other) { fields.Add(df); continue; }
            if (wanted is not null)
                throw new InputException($"{path}: column '{name}' is {Describe(f)}; only flat numeric, boolean and string columns can be read.");
        }
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) total += reader.OpenRowGroupReader(g).RowCount;
        if (total > Array.MaxLength) throw new InputException($"{path}: {total} rows; at most {Array.MaxLength} can be read.");
        int n = (int)total;
        var numbers = new double[fields.Count][];
        var texts = new string?[fields.Count][];
        for (int c = 0; c < fields.Count; c++)
            if (Kind(fields[c].ClrType) == ColumnKind.Text) texts[c] = new string?[n]; else numbers[c] = GC.AllocateUninitializedArray<double>(n);
        int at = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int rows = (int)rg.RowCount;
            for (int c = 0; c < fields.Count; c++)
            {
                var f = fields[c];
                if (texts[c] is { } t) { await rg.ReadAsync(f, t.AsMemory(at, rows)); Intern(t, at, rows); continue; }
                await ReadNumbers(rg, f, numbers[c].AsMemory(at, rows));
            }
            at += rows;
        }
        var table = ColumnTable.Empty(n, path);
        for (int c = 0; c < fields.Count; c++)
            table = texts[c] is { } t ? table.With(fields[c].Name, t) : table.With(fields[c].Name, numbers[c]);
        return table;
    }

    private enum ColumnKind { Number, Text, Other }

    private static ColumnKind Kind(Type t) =>
        t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? ColumnKind.Text
        : t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte)
          || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) || t == typeof(decimal) || t == typeof(bool) ? ColumnKind.Number
        : ColumnKind.Other;

    private static string Describe(Field f) => f switch
    {
        DataField { IsArray: true } => "a list",
        DataField df => $"of type {df.ClrType.Name}",
        _ => $"a nested {f.SchemaType.ToString().ToLowerInvariant()}",
    };

    private static async Task ReadNumbers(ParquetRowGroupReader rg, DataField f, Memory<double> dst)
    {
        var t = f.ClrType;
        if (t == typeof(double) && !f.IsNullable) { await rg.ReadAsync(f, dst); return; }
        if (t == typeof(double)) { await Convert<double>(rg, f, dst, v => v); return; }
        if (t == typeof(float)) { await Convert<float>(rg, f, dst, v => v); return; }
        if (t == typeof(int)) { await Convert<int>(rg, f, dst, v => v); return; }
        if (t == typeof(long)) { await Convert<long>(rg, f, dst, v => v); return; }
        if (t == typeof(short)) { await Convert<short>(rg, f, dst, v => v); return; }
        if (t == typeof(sbyte)) { await Convert<sbyte>(rg, f, dst, v => v); return; }
        if (t == typeof(byte)) { await Convert<byte>(rg, f, dst, v => v); return; }
        if (t == typeof(ushort)) { await Convert<ushort>(rg, f, dst, v => v); return; }
        if (t == typeof(uint)) { await Convert<uint>(rg, f, dst, v => v); return; }
        if (t == typeof(ulong)) { await Convert<ulong>(rg, f, dst, v => v); return; }
        if (t == typeof(decimal)) { await Convert<decimal>(rg, f, dst, v => (double)v); return; }
        if (t == typeof(bool)) { await Convert<bool>(rg, f, dst, v => v ? 1 : 0); return; }
        throw new InvalidOperationException("unreachable: " + t);
    }

    private static async Task Convert<T>(ParquetRowGroupReader rg, DataField f, Memory<double> dst, Func<T, double> conv) where T : struct
    {
        int n = dst.Length;
        if (f.IsNullable)
        {
            var tmp = new T?[n];
            await rg.ReadAsync<T>(f, tmp.AsMemory());
            var d = dst.Span;
            for (int i = 0; i < n; i++) d[i] = tmp[i] is { } v ? conv(v) : double.NaN;
        }
        else
        {
            var tmp = new T[n];
            await rg.ReadAsync<T>(f, tmp.AsMemory());
            var d = dst.Span;
            for (int i = 0; i < n; i++) d[i] = conv(tmp[i]);
        }
    }

    // Repeated labels share one string (factor columns repeat a few values many times); "" and NA are missing as in CSV.
    private static void Intern(string?[] t, int at, int rows)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = at; i < at + rows; i++)
        {
            var s = t[i];
            if (s is null) continue;
            if (s.Length == 0 || s == "NA") { t[i] = null; continue; }
            if (seen.TryGetValue(s, out var same)) t[i] = same; else seen[s] = s;
        }
    }
}
