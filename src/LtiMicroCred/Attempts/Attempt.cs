using LtiMicroCred.Catalog;

namespace LtiMicroCred.Attempts;

/// <summary>
/// One teacher's attempt at one credential version. A "not yet" ends an attempt; resubmission starts a new one that
/// points back to it, so the history is kept.
/// </summary>
public sealed class Attempt
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid TeacherId { get; set; }

    public Guid CredentialId { get; set; }

    /// <summary>The version the attempt started on; it never changes, whatever the catalog does later.</summary>
    public Guid CredentialVersionId { get; set; }

    public Guid OfferingId { get; set; }

    /// <summary>The school the attempt counts for (its principal decides); null when the teacher has none yet.</summary>
    public Guid? SchoolId { get; set; }

    public AttemptStatus Status { get; set; }

    /// <summary>1 for a first attempt, n + 1 for a resubmission of attempt n.</summary>
    public int Number { get; set; } = 1;

    public Guid? PreviousAttemptId { get; set; }

    public AttemptPlan? Plan { get; set; }

    /// <summary>The comment of whoever last approved, returned or declined the plan.</summary>
    public string? PlanComment { get; set; }

    public Guid? PlanDecidedBy { get; set; }

    public DateTimeOffset? PlanDecidedAt { get; set; }

    /// <summary>The incentive approval reserved against the budget (what an award will pay).</summary>
    public Incentive? ReservedIncentive { get; set; }

    public int? BudgetYear { get; set; }

    /// <summary>Set by a principal for this teacher only; later than the offering's window.</summary>
    public DateTimeOffset? ExtendedDueAt { get; set; }

    public string? ExtensionReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>
    /// When the attempt became ready for the principal's decision: at submission when no peer review is required,
    /// else when the last required review came in. Null while reviews are outstanding.
    /// </summary>
    public DateTimeOffset? ReadyForDecisionAt { get; set; }

    /// <summary>Set when its peer reviews differ by more than one level on a criterion or disagree on the outcome.</summary>
    public bool ReviewsConflict { get; set; }

    /// <summary>Optimistic concurrency: two people acting on one attempt at once cannot both win.</summary>
    public Guid Revision { get; set; }
}

/// <summary>How the credential aligns with school and district goals, and the steps with target dates.</summary>
public sealed record AttemptPlan
{
    public required string Alignment { get; init; }

    public IReadOnlyList<PlanStep> Steps { get; init; } = [];
}

public sealed record PlanStep(string Description, DateOnly TargetDate);

/// <summary>One change of an attempt's status: who, when, why. The attempt's history, never edited.</summary>
public sealed class AttemptEvent
{
    public long Id { get; set; }

    public Guid AttemptId { get; set; }

    public AttemptStatus From { get; set; }

    public AttemptStatus To { get; set; }

    public Guid ActorId { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Note { get; set; }
}

/// <summary>The incentive a plan approval reserved: counted against the yearly budget until released.</summary>
public sealed class BudgetReservation
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid? SchoolId { get; set; }

    public int Year { get; set; }

    public IncentiveKind Kind { get; set; }

    public decimal Amount { get; set; }

    public Guid AttemptId { get; set; }

    public DateTimeOffset ReservedAt { get; set; }

    /// <summary>Set when the attempt is withdrawn or declined: the amount goes back to the budget.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }
}
