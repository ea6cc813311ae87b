namespace LtiMicroCred.Sandbox.Store;

/// <summary>
/// A placement of the tool in a course. Each course has one seeded link (the tool in the course navigation); deep
/// linking adds more. <paramref name="Url"/> null means the tool's launch URL.
/// </summary>
internal sealed record SandboxResourceLink(
    string Id,
    string CourseId,
    string Title,
    string? Text,
    string? Url,
    IReadOnlyDictionary<string, string> Custom,
    string? DocumentTarget,
    bool Seeded);

/// <summary>
/// An AGS line item. <paramref name="Coupled"/> marks the line item an assignment was created with (by deep linking),
/// which Canvas refuses to delete; <paramref name="SubmissionTypeJson"/> is the Canvas extension object as received.
/// </summary>
internal sealed record SandboxLineItem(
    long Id,
    string CourseId,
    double ScoreMaximum,
    string Label,
    string? ResourceId,
    string? Tag,
    string? ResourceLinkId,
    string? EndDateTime,
    string? SubmissionTypeJson,
    bool Coupled);

/// <summary>The latest score of one user on one line item, scaled to the line item's maximum as Canvas does.</summary>
internal sealed record SandboxResult(
    long Id,
    long LineItemId,
    string UserId,
    double? ResultScore,
    double ResultMaximum,
    string? Comment,
    DateTimeOffset Timestamp,
    string ActivityProgress,
    string GradingProgress);

internal sealed record SandboxAssignment(
    long Id,
    string CourseId,
    string Name,
    string Description,
    double PointsPossible,
    IReadOnlyList<string> SubmissionTypes,
    IReadOnlyList<string> AllowedExtensions,
    int Position,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt);

/// <summary>One submitted version of a submission; Canvas calls the list of these the submission history.</summary>
internal sealed record SandboxAttempt(
    int Number,
    string SubmissionType,
    DateTimeOffset SubmittedAt,
    string? Url,
    string? Body,
    IReadOnlyList<long> FileIds);

/// <summary>A grade, given to one attempt; a newer attempt leaves it in place but no longer matching.</summary>
internal sealed record SandboxGrade(double Score, string Grade, DateTimeOffset GradedAt, long GraderId, int Attempt);

internal sealed record SandboxComment(long Id, long AuthorId, string Text, DateTimeOffset CreatedAt, int? Attempt);

/// <summary>
/// A student's submission for one assignment. Like Canvas, every student has one from the start (unsubmitted, with no
/// attempts), so its id is stable.
/// </summary>
internal sealed record SandboxSubmission(
    long Id,
    long AssignmentId,
    long UserId,
    IReadOnlyList<SandboxAttempt> Attempts,
    IReadOnlyList<SandboxComment> Comments,
    SandboxGrade? Grade)
{
    public SandboxAttempt? Current => Attempts.Count == 0 ? null : Attempts[^1];
}

/// <summary>An uploaded file. <paramref name="Uuid"/> is the verifier that lets a download URL work without a token.</summary>
internal sealed record SandboxFile(
    long Id,
    string Uuid,
    long FolderId,
    string DisplayName,
    string ContentType,
    byte[] Content,
    DateTimeOffset CreatedAt,
    long OwnerUserId,
    string CourseId);

internal sealed record SandboxCustomColumn(long Id, string CourseId, string Title, int Position, bool Hidden, bool TeacherNotes, bool ReadOnly);

internal sealed record SandboxColumnDatum(long ColumnId, long UserId, string Content);

/// <summary>What a score post did: stored it, or refused it for a timestamp older than the stored one.</summary>
internal sealed record SandboxScoreOutcome(SandboxResult? Result, DateTimeOffset? StoredTimestamp);
