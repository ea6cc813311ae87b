using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

// Envelopes Canvas expects around request bodies, and the token endpoint's answers. Internal: callers use the drafts.

internal sealed record CustomColumnEnvelope(CustomColumnDefinition Column);

internal sealed record ColumnDatumEnvelope(ColumnDatumContent ColumnData);

internal sealed record ColumnDatumContent(string Content);

internal sealed record SubmissionCommentEnvelope(SubmissionCommentDraft Comment);

internal sealed record TokenAnswer
{
    public string? AccessToken { get; init; }

    public string? TokenType { get; init; }

    public string? RefreshToken { get; init; }

    public long? ExpiresIn { get; init; }

    public TokenAnswerUser? User { get; init; }
}

internal sealed record TokenAnswerUser
{
    public long? Id { get; init; }

    public string? Name { get; init; }
}

internal sealed record OAuthErrorAnswer
{
    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }
}

/// <summary>
/// Source-generated (de)serialization for everything the client reads and writes: snake_case names, explicit nulls
/// accepted on read and left out on write (so a partial update never clears a field by accident).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(Assignment))]
[JsonSerializable(typeof(List<Assignment>))]
[JsonSerializable(typeof(Submission))]
[JsonSerializable(typeof(List<Submission>))]
[JsonSerializable(typeof(CanvasFile))]
[JsonSerializable(typeof(List<CanvasFile>))]
[JsonSerializable(typeof(SubmissionComment))]
[JsonSerializable(typeof(CustomColumn))]
[JsonSerializable(typeof(List<CustomColumn>))]
[JsonSerializable(typeof(ColumnDatum))]
[JsonSerializable(typeof(List<ColumnDatum>))]
[JsonSerializable(typeof(CustomColumnEnvelope))]
[JsonSerializable(typeof(ColumnDatumEnvelope))]
[JsonSerializable(typeof(SubmissionCommentEnvelope))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(OAuthErrorAnswer))]
internal sealed partial class CanvasJsonContext : JsonSerializerContext;
