using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Lti.Services.Ags;

/// <summary>
/// A line item (a gradebook column) as the Assignment and Grade Services 2.0 define it. <see cref="Id"/> is its URL.
/// Platform extensions (such as Canvas's submission type) travel in <see cref="Extensions"/> untouched.
/// </summary>
public sealed record LineItem
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("scoreMaximum")] public required double ScoreMaximum { get; init; }
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("resourceId")] public string? ResourceId { get; init; }
    [JsonPropertyName("resourceLinkId")] public string? ResourceLinkId { get; init; }
    [JsonPropertyName("tag")] public string? Tag { get; init; }
    [JsonPropertyName("startDateTime")] public DateTimeOffset? StartDateTime { get; init; }
    [JsonPropertyName("endDateTime")] public DateTimeOffset? EndDateTime { get; init; }
    [JsonPropertyName("gradesReleased")] public bool? GradesReleased { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extensions { get; init; }
}

/// <summary>Filters of the line items list; all optional.</summary>
public sealed record LineItemQuery(string? ResourceLinkId = null, string? ResourceId = null, string? Tag = null, int? Limit = null);

/// <summary>Whether the learner has finished the activity, as the score reports it.</summary>
public static class ActivityProgress
{
    public const string Initialized = "Initialized";
    public const string Started = "Started";
    public const string InProgress = "InProgress";
    public const string Submitted = "Submitted";
    public const string Completed = "Completed";
}

/// <summary>Where grading stands, as the score reports it.</summary>
public static class GradingProgress
{
    public const string FullyGraded = "FullyGraded";
    public const string Pending = "Pending";
    public const string PendingManual = "PendingManual";
    public const string Failed = "Failed";
    public const string NotReady = "NotReady";
}

/// <summary>
/// A score the tool publishes for one user on one line item. The platform keeps the one with the latest
/// <see cref="Timestamp"/>, which makes sending it twice harmless.
/// </summary>
public sealed record Score
{
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("scoreGiven")] public double? ScoreGiven { get; init; }
    [JsonPropertyName("scoreMaximum")] public double? ScoreMaximum { get; init; }
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("activityProgress")] public required string ActivityProgress { get; init; }
    [JsonPropertyName("gradingProgress")] public required string GradingProgress { get; init; }

    /// <summary>When the learner started and submitted the work (AGS 2.0 "submission").</summary>
    [JsonPropertyName("submission")] public ScoreSubmission? Submission { get; init; }

    /// <summary>Canvas's extension (new_submission, submission_type, submitted_at ...), under its claim name.</summary>
    [JsonPropertyName("https://canvas.instructure.com/lti/submission")] public JsonObject? CanvasSubmission { get; init; }
}

/// <summary>The timing of the work a score is for.</summary>
public sealed record ScoreSubmission(
    [property: JsonPropertyName("startedAt")] DateTimeOffset? StartedAt = null,
    [property: JsonPropertyName("submittedAt")] DateTimeOffset? SubmittedAt = null);

/// <summary>What the platform answered to a score (Canvas sends the result's URL).</summary>
public sealed record ScoreReceipt
{
    [JsonPropertyName("resultUrl")] public string? ResultUrl { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extensions { get; init; }
}

/// <summary>A user's current result on a line item, as the platform holds it.</summary>
public sealed record LineItemResult
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("scoreOf")] public string? ScoreOf { get; init; }
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("resultScore")] public double? ResultScore { get; init; }
    [JsonPropertyName("resultMaximum")] public double? ResultMaximum { get; init; }
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extensions { get; init; }
}
