using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// AWS Batch timestamps are <c>long</c> members holding milliseconds since the Unix epoch (UTC);
/// this converter exposes them as <see cref="DateTimeOffset"/>.
/// </summary>
internal sealed class EpochMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected an epoch-millisecond number for a timestamp, found {reader.TokenType}.");
        }

        var milliseconds = reader.TryGetInt64(out var whole) ? whole : (long)Math.Round(reader.GetDouble());
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
}
