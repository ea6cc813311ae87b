using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// A Canvas file: what <c>GET /api/v1/files/:id</c> returns and what a submission lists as an attachment.
/// <see cref="Url"/> is a download link that carries its own verifier and usually redirects to a file store on another
/// host; download it with <see cref="CanvasUserClient.DownloadFileAsync(CanvasFile, string, CancellationToken)"/>.
/// </summary>
public sealed record CanvasFile
{
    public long Id { get; init; }

    public string? Uuid { get; init; }

    public long? FolderId { get; init; }

    public string? DisplayName { get; init; }

    public string? Filename { get; init; }

    public string? WorkflowState { get; init; }

    /// <summary>Canvas spells this key with a hyphen.</summary>
    [JsonPropertyName("content-type")]
    public string? ContentType { get; init; }

    public string? Url { get; init; }

    /// <summary>Size in bytes, as Canvas recorded it at upload.</summary>
    public long? Size { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? ModifiedAt { get; init; }

    public DateTimeOffset? UnlockAt { get; init; }

    public DateTimeOffset? LockAt { get; init; }

    public bool? Locked { get; init; }

    public bool? Hidden { get; init; }

    public bool? HiddenForUser { get; init; }

    public bool? LockedForUser { get; init; }

    public string? ThumbnailUrl { get; init; }

    public string? MimeClass { get; init; }

    public string? MediaEntryId { get; init; }

    /// <summary>Only on submission attachments; often a path relative to the Canvas host.</summary>
    public string? PreviewUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
