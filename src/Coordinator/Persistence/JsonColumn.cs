using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Pipeline.Coordinator.Persistence;

/// <summary>Small value objects (blob references, edit chains, options) stored as JSON text, which PostgreSQL and
/// SQLite both handle, so one EF model serves both.</summary>
public static class JsonColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ValueConverter<T, string> Converter<T>() =>
        new(value => JsonSerializer.Serialize(value, Json), text => JsonSerializer.Deserialize<T>(text, Json)!);

    /// <summary>For immutable values (records whose properties never change once stored): equality is the record's own,
    /// and the snapshot is the value itself. Saga code replaces such values, never mutates them.</summary>
    public static ValueComparer<T> ImmutableComparer<T>() =>
        new((a, b) => Equals(a, b), value => value == null ? 0 : value.GetHashCode(), value => value);

    /// <summary>For lists of immutable values: element-wise equality, a shallow copy as the snapshot.</summary>
    public static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
            value => value.Aggregate(0, (hash, element) => HashCode.Combine(hash, element)),
            value => value.ToList());

    /// <summary>For dictionaries of immutable values: equal keys with equal values, a shallow copy as the snapshot.</summary>
    public static ValueComparer<Dictionary<string, T>> DictionaryComparer<T>() =>
        new((a, b) => a == null ? b == null : b != null && a.Count == b.Count && a.All(kv => b.ContainsKey(kv.Key) && Equals(kv.Value, b[kv.Key])),
            value => value.OrderBy(kv => kv.Key, StringComparer.Ordinal).Aggregate(0, (hash, kv) => HashCode.Combine(hash, kv.Key, kv.Value)),
            value => new Dictionary<string, T>(value));
}
