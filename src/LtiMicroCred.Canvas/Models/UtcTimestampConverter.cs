using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// Reads any ISO 8601 timestamp and writes it back in UTC with a <c>Z</c>, the form Canvas itself sends, so a model
/// written back out (caches, golden files, job payloads) reads the same as what Canvas returned.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime);
    }
}
