using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// A comment on a submission. Comments created through AGS scores have no author, so every author field may be null
/// (and <see cref="Author"/> may be an empty object).
/// </summary>
public sealed record SubmissionComment
{
    public long Id { get; init; }

    public long? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    public CanvasUserDisplay? Author { get; init; }

    public string? Comment { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    public MediaComment? MediaComment { get; init; }

    public IReadOnlyList<CanvasFile>? Attachments { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>An audio or video comment.</summary>
public sealed record MediaComment
{
    [JsonPropertyName("content-type")]
    public string? ContentType { get; init; }

    public string? DisplayName { get; init; }

    public string? MediaId { get; init; }

    /// <summary>audio or video.</summary>
    public string? MediaType { get; init; }

    public string? Url { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
