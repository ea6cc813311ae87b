namespace LtiMicroCred.Catalog;

/// <summary>The kinds of incentive districts pay for a credential.</summary>
public enum IncentiveKind
{
    None,
    InServiceHours,
    PdPoints,
    CpdUnits,
    Stipend,
    SalaryStep,
}

/// <summary>
/// What one credential earns. CPD units follow a conversion rule: one unit per <see cref="CredentialsPerUnit"/>
/// credentials (Baltimore: one unit after two), so a single award reserves 1/N of a unit.
/// </summary>
public sealed record Incentive(IncentiveKind Kind, decimal Amount, int CredentialsPerUnit = 1)
{
    public static readonly Incentive None = new(IncentiveKind.None, 0);

    /// <summary>What one award of the credential costs against the budget.</summary>
    public decimal PerAward => Kind == IncentiveKind.CpdUnits && CredentialsPerUnit > 1 ? Amount / CredentialsPerUnit : Amount;
}

/// <summary>
/// A credential offered by the district (school null) or by one school, with its submission window and incentive.
/// A credential with no offering is not offered: this is how a district limits its list.
/// </summary>
public sealed class Offering
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid CredentialId { get; set; }

    /// <summary>Null: offered to every school of the district.</summary>
    public Guid? SchoolId { get; set; }

    public DateTimeOffset? WindowOpensAt { get; set; }

    /// <summary>Submissions after this are refused unless the teacher has an extension.</summary>
    public DateTimeOffset? WindowClosesAt { get; set; }

    public required Incentive Incentive { get; set; }

    public bool Active { get; set; } = true;
}

/// <summary>A yearly budget of one incentive kind, for the district (school null) or a school.</summary>
public sealed class IncentiveBudget
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid? SchoolId { get; set; }

    public int Year { get; set; }

    public IncentiveKind Kind { get; set; }

    public decimal Amount { get; set; }

    /// <summary>Changed by every reservation against the budget, so two approvals at once cannot both spend its last part.</summary>
    public Guid Revision { get; set; }
}

/// <summary>District-wide settings of the credential programme.</summary>
public sealed class ProgrammeSettings
{
    public Guid TenantId { get; set; }

    /// <summary>Whether a plan must be approved before work starts (Kettle Moraine, Juab).</summary>
    public bool RequirePlanApproval { get; set; } = true;

    /// <summary>Whether only reviewers calibrated on a credential's rubric may be allocated its peer reviews (Arkansas).</summary>
    public bool RequireCalibratedReviewers { get; set; }

    /// <summary>The weighted kappa a reviewer's calibration exercise must reach to be marked calibrated.</summary>
    public double CalibrationKappaThreshold { get; set; } = 0.6;

    /// <summary>What a decision posts to the LMS gradebook: rubric points, or complete (1) / incomplete (0).</summary>
    public ResultPosting.GradeScale GradeScale { get; set; } = ResultPosting.GradeScale.RubricPoints;

    /// <summary>What a "not yet" posts: a score on the same scale, or a pending grade (no score).</summary>
    public ResultPosting.NotYetGrade NotYetGrade { get; set; } = ResultPosting.NotYetGrade.Score;
}
