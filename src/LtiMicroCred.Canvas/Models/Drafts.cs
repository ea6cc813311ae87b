namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// Fields of a custom gradebook column to create or change. Null fields are not sent, so an update touches only what
/// is set. Creating needs <see cref="Title"/>.
/// </summary>
public sealed record CustomColumnDefinition
{
    public string? Title { get; init; }

    public int? Position { get; init; }

    public bool? Hidden { get; init; }

    public bool? TeacherNotes { get; init; }

    public bool? ReadOnly { get; init; }
}

/// <summary>A text comment to add to a submission, authored by the user whose token makes the request.</summary>
public sealed record SubmissionCommentDraft
{
    public required string TextComment { get; init; }

    /// <summary>For group assignments: post to every member's submission.</summary>
    public bool? GroupComment { get; init; }

    /// <summary>The attempt the comment is about; Canvas uses the latest when absent.</summary>
    public int? Attempt { get; init; }
}
