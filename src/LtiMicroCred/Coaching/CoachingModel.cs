namespace LtiMicroCred.Coaching;

/// <summary>
/// A coach (Lake County badge facilitator, Juab pre-reviewer) assigned to teachers: to one teacher, to everyone
/// working on one credential, or to every teacher of a school. <see cref="SchoolId"/> narrows a teacher or credential
/// assignment to attempts that count for that school; alone, it means "the teachers of this school".
/// </summary>
public sealed class CoachAssignment
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid CoachId { get; set; }

    public Guid? TeacherId { get; set; }

    public Guid? CredentialId { get; set; }

    public Guid? SchoolId { get; set; }

    public Guid AssignedBy { get; set; }

    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>What a check-in asks the coach to look at.</summary>
public enum CheckInAbout
{
    Plan,
    Evidence,
}

/// <summary>A coach's formative comment on one submission criterion.</summary>
public sealed record CheckInComment(string CriterionKey, string Text);

/// <summary>
/// A teacher's request for formative feedback before formal submission, and the coach's answer. A check-in never
/// counts as a decision: answering it changes nothing about the attempt.
/// </summary>
public sealed class CheckIn
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AttemptId { get; set; }

    public Guid TeacherId { get; set; }

    public Guid CoachId { get; set; }

    public CheckInAbout About { get; set; }

    public required string Question { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public IReadOnlyList<CheckInComment> Comments { get; set; } = [];

    public string? GeneralComment { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }
}
