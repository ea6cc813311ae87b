using LtiMicroCred.Catalog;

namespace LtiMicroCred.Decisions;

public enum DecisionOutcome
{
    Awarded,
    NotYet,
}

/// <summary>The level the decider gave one rubric criterion (0-based index into the rubric's levels) and their feedback.</summary>
public sealed record CriterionResult(string CriterionKey, int Level, string? Feedback);

/// <summary>
/// The final decision on one attempt: award, or "not yet" with feedback. One per attempt, never edited; a "not yet" is
/// followed by a resubmission (a new attempt), which gets its own decision.
/// </summary>
public sealed class AttemptDecision
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AttemptId { get; set; }

    /// <summary>The credential version the attempt was judged against.</summary>
    public Guid CredentialVersionId { get; set; }

    public DecisionOutcome Outcome { get; set; }

    public IReadOnlyList<CriterionResult> Results { get; set; } = [];

    public string? OverallFeedback { get; set; }

    public Guid DecidedBy { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>What an award pays: the attempt's reserved incentive, else its offering's. Null for "not yet".</summary>
    public Incentive? Incentive { get; set; }

    /// <summary>When the incentive (and the grade) reached the LMS; left null here, set by the results posting.</summary>
    public DateTimeOffset? PostedAt { get; set; }
}

public enum ExtensionRequestStatus
{
    Open,
    Granted,
    Declined,
}

/// <summary>A teacher asks their principal for a later due date (Baltimore's short windows), with a reason.</summary>
public sealed class ExtensionRequest
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AttemptId { get; set; }

    /// <summary>The attempt's school, copied so the principal's queue filters requests without joining attempts.</summary>
    public Guid? SchoolId { get; set; }

    public Guid TeacherId { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset WantedDueAt { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public ExtensionRequestStatus Status { get; set; }

    public Guid? AnsweredBy { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public string? Comment { get; set; }
}

public enum PathwayReviewStatus
{
    Open,
    Completed,
    NotYet,
}

public enum PathwayVoteOutcome
{
    Award,
    NotYet,
}

/// <summary>
/// A teacher's request for a pathway's final review by a committee of administrators (Juab: three). It completes when
/// the pathway's committee size of votes agree on award; with that many votes in and any "not yet", it is "not yet".
/// </summary>
public sealed class PathwayReview
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid PathwayId { get; set; }

    public Guid TeacherId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public PathwayReviewStatus Status { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Changed by every vote, so two votes racing for the last seat cannot both count.</summary>
    public Guid Revision { get; set; }
}

/// <summary>One committee member's vote on a pathway review; one each.</summary>
public sealed class PathwayReviewVote
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid ReviewId { get; set; }

    public Guid AdministratorId { get; set; }

    public PathwayVoteOutcome Outcome { get; set; }

    public string? Feedback { get; set; }

    public DateTimeOffset At { get; set; }
}
