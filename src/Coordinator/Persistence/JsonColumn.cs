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

    public static ValueComparer<T> Comparer<T>() =>
        new((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            value => JsonSerializer.Serialize(value, Json).GetHashCode(),
            value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Json), Json)!);
}
