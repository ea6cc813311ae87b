namespace LtiMicroCred.Portfolio;

public enum PortfolioScope
{
    /// <summary>One attempt.</summary>
    Attempt,

    /// <summary>Every attempt of the teacher: all their credentials, awarded or not.</summary>
    All,
}

public enum PortfolioExportStatus
{
    Queued,
    Running,
    Ready,
    Failed,
}

/// <summary>
/// A ZIP of a teacher's evidence, reflections, feedback and decisions (one attempt or all), built by a background job
/// into the file store and kept until it expires. Replaces the copies Seminole's teachers kept in Canvas and Drive by
/// hand.
/// </summary>
public sealed class PortfolioExport
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Who asked for it: the teacher, or a district admin or principal for the teacher.</summary>
    public Guid RequestedBy { get; set; }

    /// <summary>Whose portfolio it is.</summary>
    public Guid TeacherId { get; set; }

    public PortfolioScope Scope { get; set; }

    /// <summary>The attempt, when <see cref="Scope"/> is one attempt.</summary>
    public Guid? AttemptId { get; set; }

    public PortfolioExportStatus Status { get; set; }

    /// <summary>Progress: entries written of the total the job counted when it started.</summary>
    public int Done { get; set; }

    public int Total { get; set; }

    /// <summary>Where the file store keeps the ZIP, once ready.</summary>
    public string? FileKey { get; set; }

    public long? SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the ZIP.</summary>
    public string? Sha256 { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>After this the export and its ZIP are purged.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class PortfolioOptions
{
    public const string Section = "Portfolio";

    /// <summary>How many days an export (and its ZIP) is kept before the purge removes it.</summary>
    public int KeepDays { get; set; } = 7;
}
