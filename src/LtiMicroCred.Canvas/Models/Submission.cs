using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// A student's submission to an assignment, with what the list and show endpoints add on request:
/// <c>submission_history</c> (one entry per attempt), <c>submission_comments</c> and <c>user</c>.
/// Every field but the ids may be null: an unsubmitted submission has no attempt, type, grade or dates.
/// </summary>
public sealed record Submission
{
    /// <summary>Canvas's internal submission id; URLs address a submission by the student's user id instead.</summary>
    public long Id { get; init; }

    public long UserId { get; init; }

    public long AssignmentId { get; init; }

    /// <summary>The URL an online_url submission points at.</summary>
    public string? Url { get; init; }

    /// <summary>HTML of an online_text_entry submission: student work, never to be logged.</summary>
    public string? Body { get; init; }

    public double? Score { get; init; }

    public string? Grade { get; init; }

    public double? EnteredScore { get; init; }

    public string? EnteredGrade { get; init; }

    public bool? Excused { get; init; }

    public int? Attempt { get; init; }

    /// <summary>online_text_entry, online_url, online_upload, media_recording, basic_lti_launch, ...</summary>
    public string? SubmissionType { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? GradedAt { get; init; }

    /// <summary>Negative when a process graded it (for AGS grading, minus the tool's id).</summary>
    public long? GraderId { get; init; }

    public bool? GradeMatchesCurrentSubmission { get; init; }

    /// <summary>submitted, unsubmitted, graded or pending_review.</summary>
    public string? WorkflowState { get; init; }

    public string? LatePolicyStatus { get; init; }

    public double? PointsDeducted { get; init; }

    public bool? Late { get; init; }

    public bool? Missing { get; init; }

    public long? SecondsLate { get; init; }

    public string? PreviewUrl { get; init; }

    public string? HtmlUrl { get; init; }

    public int? ExtraAttempts { get; init; }

    public DateTimeOffset? PostedAt { get; init; }

    public bool? RedoRequest { get; init; }

    /// <summary>Files of this attempt; absent when the submission has none.</summary>
    public IReadOnlyList<CanvasFile>? Attachments { get; init; }

    /// <summary>Every attempt, oldest first, each a submission without comments or user.</summary>
    public IReadOnlyList<Submission>? SubmissionHistory { get; init; }

    public IReadOnlyList<SubmissionComment>? SubmissionComments { get; init; }

    public CanvasUser? User { get; init; }

    /// <summary>Sent by the update endpoint: one entry per group member for group assignments.</summary>
    public IReadOnlyList<Submission>? AllSubmissions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
