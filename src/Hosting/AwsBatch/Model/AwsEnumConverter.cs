using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// Reads and writes an AWS Batch enum as its wire string (declared with <see cref="JsonStringEnumMemberNameAttribute"/>).
/// A value this version does not know reads as the enum's zero member (<c>Unknown</c>) instead of failing, because
/// AWS adds enum values over time and an old client must keep working against a newer service.
/// </summary>
/// <typeparam name="TEnum">An enum whose zero member is <c>Unknown</c> and whose other members carry their wire names.</typeparam>
internal sealed class AwsEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<string, TEnum> ByName = BuildNames().ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    private static readonly FrozenDictionary<TEnum, string> ByValue = BuildNames().ToFrozenDictionary(p => p.Value, p => p.Name);

    /// <summary>The value as the API spells it (ENABLED, FARGATE_SPOT), for messages; <c>unknown</c> for a value without one.</summary>
    public static string WireName(TEnum value) => ByValue.TryGetValue(value, out var name) ? name : "unknown";

    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(TEnum).Name}, found {reader.TokenType}.");
        }

        var text = reader.GetString()!;
        return ByName.TryGetValue(text, out var value) ? value : default;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        if (!ByValue.TryGetValue(value, out var name))
        {
            // Sending "Unknown" (or an undefined number) would be rejected by the service with a vague error.
            throw new JsonException($"{typeof(TEnum).Name}.{value} has no AWS Batch wire value and cannot be sent.");
        }

        writer.WriteStringValue(name);
    }

    private static IEnumerable<(string Name, TEnum Value)> BuildNames()
    {
        foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wireName = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
            if (wireName is not null)
            {
                yield return (wireName, (TEnum)field.GetValue(null)!);
            }
        }
    }
}
