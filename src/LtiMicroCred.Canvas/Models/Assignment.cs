using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// A Canvas assignment (<c>GET /api/v1/courses/:course_id/assignments</c>). The fields the tool reasons about are
/// typed; the many others Canvas sends are kept in <see cref="AdditionalFields"/> so nothing is lost on a round trip.
/// Every field but <see cref="Id"/> may be null: Canvas's REST serializers write explicit nulls.
/// </summary>
public sealed record Assignment
{
    public long Id { get; init; }

    public string? Name { get; init; }

    /// <summary>HTML as the teacher wrote it; render only after sanitizing.</summary>
    public string? Description { get; init; }

    public long? CourseId { get; init; }

    public long? AssignmentGroupId { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset? LockAt { get; init; }

    public DateTimeOffset? UnlockAt { get; init; }

    public string? HtmlUrl { get; init; }

    public double? PointsPossible { get; init; }

    /// <summary>pass_fail, percent, letter_grade, gpa_scale, points or not_graded.</summary>
    public string? GradingType { get; init; }

    /// <summary>e.g. online_upload, online_text_entry, external_tool.</summary>
    public IReadOnlyList<string>? SubmissionTypes { get; init; }

    public IReadOnlyList<string>? AllowedExtensions { get; init; }

    /// <summary>-1 means unlimited.</summary>
    public int? AllowedAttempts { get; init; }

    public int? Position { get; init; }

    public bool? Published { get; init; }

    public string? WorkflowState { get; init; }

    public bool? HasSubmittedSubmissions { get; init; }

    public int? NeedsGradingCount { get; init; }

    public bool? AnonymousGrading { get; init; }

    public bool? ModeratedGrading { get; init; }

    public bool? OmitFromFinalGrade { get; init; }

    public bool? PostManually { get; init; }

    /// <summary>Present for external_tool assignments: which tool link the assignment launches.</summary>
    public ExternalToolTagAttributes? ExternalToolTagAttributes { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>The LTI link behind an external_tool assignment.</summary>
public sealed record ExternalToolTagAttributes
{
    public string? Url { get; init; }

    public bool? NewTab { get; init; }

    public string? ResourceLinkId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
