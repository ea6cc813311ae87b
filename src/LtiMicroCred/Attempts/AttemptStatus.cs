namespace LtiMicroCred.Attempts;

/// <summary>The life of an attempt. Every change goes through <see cref="AttemptStateMachine"/>.</summary>
public enum AttemptStatus
{
    Selected,
    Planning,
    PlanSubmitted,
    PlanApproved,
    PlanDeclined,
    InProgress,
    Submitted,
    InReview,
    Awarded,
    NotYet,
    Resubmitted,
    Withdrawn,
}

/// <summary>Why an attempt changes status; each trigger is allowed from a few statuses only.</summary>
public enum AttemptTrigger
{
    BeginPlan,
    SubmitPlan,
    ApprovePlan,
    ReturnPlan,
    DeclinePlan,
    StartWork,
    SubmitForReview,
    BeginReview,
    Award,
    DecideNotYet,
    Resubmit,
    Withdraw,
}

/// <summary>
/// The one explicit state machine of an attempt. An illegal change is refused with a sentence a teacher or
/// principal can read ("This attempt has been submitted, so its plan can no longer be changed.").
/// </summary>
public static class AttemptStateMachine
{
    private static readonly Dictionary<AttemptTrigger, (AttemptStatus[] From, AttemptStatus To)> Table = new()
    {
        [AttemptTrigger.BeginPlan] = ([AttemptStatus.Selected, AttemptStatus.Planning], AttemptStatus.Planning),
        [AttemptTrigger.SubmitPlan] = ([AttemptStatus.Selected, AttemptStatus.Planning], AttemptStatus.PlanSubmitted),
        [AttemptTrigger.ApprovePlan] = ([AttemptStatus.PlanSubmitted], AttemptStatus.PlanApproved),
        [AttemptTrigger.ReturnPlan] = ([AttemptStatus.PlanSubmitted], AttemptStatus.Planning),
        [AttemptTrigger.DeclinePlan] = ([AttemptStatus.PlanSubmitted], AttemptStatus.PlanDeclined),
        [AttemptTrigger.StartWork] = ([AttemptStatus.Selected, AttemptStatus.Planning, AttemptStatus.PlanApproved], AttemptStatus.InProgress),
        [AttemptTrigger.SubmitForReview] = ([AttemptStatus.InProgress], AttemptStatus.Submitted),
        [AttemptTrigger.BeginReview] = ([AttemptStatus.Submitted], AttemptStatus.InReview),
        [AttemptTrigger.Award] = ([AttemptStatus.Submitted, AttemptStatus.InReview], AttemptStatus.Awarded),
        [AttemptTrigger.DecideNotYet] = ([AttemptStatus.Submitted, AttemptStatus.InReview], AttemptStatus.NotYet),
        [AttemptTrigger.Resubmit] = ([AttemptStatus.NotYet], AttemptStatus.Resubmitted),
        [AttemptTrigger.Withdraw] = ([AttemptStatus.Selected, AttemptStatus.Planning, AttemptStatus.PlanSubmitted, AttemptStatus.PlanApproved, AttemptStatus.InProgress], AttemptStatus.Withdrawn),
    };

    public static bool IsClosed(AttemptStatus status) =>
        status is AttemptStatus.Awarded or AttemptStatus.PlanDeclined or AttemptStatus.Resubmitted or AttemptStatus.Withdrawn or AttemptStatus.NotYet;

    public static bool Allows(AttemptStatus from, AttemptTrigger trigger) => Table[trigger].From.Contains(from);

    /// <summary>The status the trigger leads to, or a refusal that says why.</summary>
    public static AttemptStatus Next(AttemptStatus from, AttemptTrigger trigger)
    {
        var (allowed, to) = Table[trigger];
        if (!allowed.Contains(from))
        {
            throw new RuleViolationException(
                $"This attempt is {Describe(from).ToLowerInvariant()}, so it cannot {Verb(trigger)}. It can be {string.Join(" or ", allowed.Select(s => Describe(s).ToLowerInvariant()))} for that.");
        }

        return to;
    }

    public static string Describe(AttemptStatus status) => status switch
    {
        AttemptStatus.Selected => "Selected",
        AttemptStatus.Planning => "Planning",
        AttemptStatus.PlanSubmitted => "Plan awaiting approval",
        AttemptStatus.PlanApproved => "Plan approved",
        AttemptStatus.PlanDeclined => "Plan declined",
        AttemptStatus.InProgress => "In progress",
        AttemptStatus.Submitted => "Submitted",
        AttemptStatus.InReview => "In review",
        AttemptStatus.Awarded => "Awarded",
        AttemptStatus.NotYet => "Not yet",
        AttemptStatus.Resubmitted => "Resubmitted",
        AttemptStatus.Withdrawn => "Withdrawn",
        _ => status.ToString(),
    };

    private static string Verb(AttemptTrigger trigger) => trigger switch
    {
        AttemptTrigger.BeginPlan => "have its plan edited",
        AttemptTrigger.SubmitPlan => "have its plan sent for approval",
        AttemptTrigger.ApprovePlan => "have its plan approved",
        AttemptTrigger.ReturnPlan => "have its plan returned",
        AttemptTrigger.DeclinePlan => "have its plan declined",
        AttemptTrigger.StartWork => "start gathering evidence",
        AttemptTrigger.SubmitForReview => "be submitted for review",
        AttemptTrigger.BeginReview => "go into review",
        AttemptTrigger.Award => "be awarded",
        AttemptTrigger.DecideNotYet => "be marked \"not yet\"",
        AttemptTrigger.Resubmit => "be resubmitted",
        AttemptTrigger.Withdraw => "be withdrawn",
        _ => trigger.ToString(),
    };
}
