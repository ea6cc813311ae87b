namespace LtiMicroCred.Reviews;

/// <summary>Who may be allocated a credential's peer reviews, besides never the teacher and never a declared conflict.</summary>
[Flags]
public enum ReviewerEligibility
{
    /// <summary>Any teacher or peer reviewer of the district.</summary>
    AnyColleague = 0,

    /// <summary>A member of the teacher's school (Seminole: review by school colleagues).</summary>
    SameSchool = 1,

    /// <summary>Someone with an attempt in the same offering (Juab cohorts).</summary>
    SameCohort = 2,

    /// <summary>Someone who has been awarded this credential.</summary>
    CredentialHolders = 4,

    /// <summary>Only holders of the peer reviewer role (trained reviewers).</summary>
    TrainedReviewers = 8,
}

/// <summary>
/// The district's peer review setting for one credential: how many reviews, whether reviewers are anonymous to the
/// teacher, how many school days a reviewer has, and who is eligible. No row means no peer review (the principal
/// decides alone).
/// </summary>
public sealed class ReviewPolicy
{
    public Guid CredentialId { get; set; }

    public Guid TenantId { get; set; }

    public int RequiredReviews { get; set; }

    public bool Anonymous { get; set; } = true;

    /// <summary>School days (Monday to Friday) from allocation to the review's due time.</summary>
    public int DueSchoolDays { get; set; } = 5;

    /// <summary>School days before the due time when the reviewer is reminded.</summary>
    public int ReminderSchoolDays { get; set; } = 1;

    /// <summary>School days overdue after which the review is taken from its reviewer and allocated again.</summary>
    public int ReallocateAfterSchoolDays { get; set; } = 2;

    public ReviewerEligibility Eligibility { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum ReviewStatus
{
    /// <summary>Allocated, not opened.</summary>
    Allocated,

    /// <summary>The reviewer has saved a draft.</summary>
    Draft,

    Submitted,

    /// <summary>Taken away (by the principal, or because it was overdue) and given to someone else.</summary>
    Reallocated,

    /// <summary>No longer needed: the attempt was decided or withdrawn before this review came in.</summary>
    Cancelled,
}

/// <summary>The outcome a review's levels lead to under the rubric's passing rule.</summary>
public enum ReviewOutcome
{
    Pass,
    NotYet,
}

/// <summary>One reviewer's score of one criterion: the level (0-based index into the rubric's levels) and feedback.</summary>
public sealed record CriterionScore(string CriterionKey, int? Level, string? Feedback);

/// <summary>
/// One peer review of one attempt by one reviewer: allocated with a due time, worked on as a draft (autosaved),
/// submitted. Its identity is shown to the teacher only when the credential's policy is not anonymous.
/// </summary>
public sealed class ReviewAssignment
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AttemptId { get; set; }

    public Guid ReviewerId { get; set; }

    public ReviewStatus Status { get; set; }

    public DateTimeOffset AllocatedAt { get; set; }

    /// <summary>Who allocated it: null for the automatic allocation, else the principal who reallocated.</summary>
    public Guid? AllocatedBy { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public IReadOnlyList<CriterionScore> Scores { get; set; } = [];

    public string? OverallFeedback { get; set; }

    /// <summary>Set on submission from the levels and the rubric's passing rule.</summary>
    public ReviewOutcome? Outcome { get; set; }

    public DateTimeOffset? SavedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>When the principal was told it is overdue.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>The review that replaced this one when it was reallocated.</summary>
    public Guid? ReplacedById { get; set; }

    /// <summary>Optimistic concurrency: an autosave racing a submit or a reallocation loses cleanly.</summary>
    public Guid Revision { get; set; }
}

/// <summary>A declared conflict of interest: the reviewer is never allocated this teacher's reviews.</summary>
public sealed class ReviewerConflict
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid ReviewerId { get; set; }

    public Guid TeacherId { get; set; }

    public string? Reason { get; set; }

    public Guid DeclaredBy { get; set; }

    public DateTimeOffset DeclaredAt { get; set; }
}

/// <summary>
/// A reviewer's latest calibration result for one credential's rubric: agreement with the reference scores and
/// whether it clears the district's threshold. Written by the calibration exercise; read by allocation when the
/// district requires calibrated reviewers.
/// </summary>
public sealed class ReviewerCalibration
{
    public Guid TenantId { get; set; }

    public Guid PersonId { get; set; }

    public Guid CredentialId { get; set; }

    /// <summary>Share of criterion scores equal to the reference (0..1).</summary>
    public double ExactAgreement { get; set; }

    /// <summary>Share of criterion scores within one level of the reference (0..1).</summary>
    public double AdjacentAgreement { get; set; }

    /// <summary>Quadratic weighted kappa over all criterion scores of the exercise.</summary>
    public double WeightedKappa { get; set; }

    public int ScoredReferences { get; set; }

    public bool Calibrated { get; set; }

    public DateTimeOffset MeasuredAt { get; set; }
}
