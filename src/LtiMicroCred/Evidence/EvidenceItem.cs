namespace LtiMicroCred.Evidence;

/// <summary>How a piece of evidence reached the tool.</summary>
public enum EvidenceSource
{
    /// <summary>Given in the tool: an upload, a link, text or a video link.</summary>
    Direct,

    /// <summary>Pulled from the teacher's submission to a mapped LMS assignment.</summary>
    CanvasSubmission,
}

public enum EvidenceForm
{
    File,
    Link,
    Text,
    VideoLink,
}

/// <summary>One piece of evidence for one submission criterion of an attempt.</summary>
public sealed class EvidenceItem
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AttemptId { get; set; }

    public required string CriterionKey { get; set; }

    public EvidenceSource Source { get; set; }

    public EvidenceForm Form { get; set; }

    public required string Title { get; set; }

    /// <summary>For links and video links: an http(s) address.</summary>
    public string? Url { get; set; }

    /// <summary>For text: sanitized HTML, safe to show as it is.</summary>
    public string? Html { get; set; }

    /// <summary>For files: the stored copy.</summary>
    public Guid? FileId { get; set; }

    /// <summary>For video links: the length the teacher declared.</summary>
    public int? VideoMinutes { get; set; }

    /// <summary>Provenance of pulled evidence: the LMS assignment, submission attempt and its submission time.</summary>
    public string? SourceAssignmentId { get; set; }

    public int? SourceAttempt { get; set; }

    public DateTimeOffset? SourceSubmittedAt { get; set; }

    /// <summary>Identifies pulled evidence across pulls (attachment id, "body", "url"), so a re-pull adds nothing new.</summary>
    public string? SourceItemKey { get; set; }

    public Guid AddedBy { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    /// <summary>Comments pulled with an LMS submission are kept beside the evidence but do not count as evidence.</summary>
    public bool CountsAsEvidence => SourceItemKey?.StartsWith("comment:", StringComparison.Ordinal) != true;
}

/// <summary>A file kept in the file store: content-addressed per tenant, so the same bytes are stored once.</summary>
public sealed class StoredFile
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Length { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Where the store keeps it (opaque to everything but the store).</summary>
    public required string StorageKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The teacher's reflection on one criterion of an attempt (sanitized HTML).</summary>
public sealed class Reflection
{
    public Guid AttemptId { get; set; }

    public required string CriterionKey { get; set; }

    public required string Html { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A submission criterion of a credential served by an LMS assignment. One assignment serves one criterion of one
/// credential version; unmapped criteria take evidence in the tool.
/// </summary>
public sealed class AssignmentMapping
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid CredentialVersionId { get; set; }

    public required string CriterionKey { get; set; }

    /// <summary>The LMS course (Canvas course id) that holds the assignment.</summary>
    public required string CourseId { get; set; }

    /// <summary>The Canvas assignment id.</summary>
    public required string AssignmentId { get; set; }

    /// <summary>The AGS line item of the assignment, when known (for grade passback).</summary>
    public string? LineItemUrl { get; set; }

    public string? AssignmentName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
