namespace LtiMicroCred.Catalog;

/// <summary>
/// The catalog file a district administrator imports and exports (docs/catalog-format.md). It is a format of its own,
/// not the stored model: values are nullable where the file may leave them out, so that the validator can report every
/// missing one with its path instead of the reader stopping at the first.
/// </summary>
public sealed record CatalogDocument
{
    public const string CurrentFormat = "ltimicrocred-catalog/1";

    public string? Format { get; init; }

    public CatalogSettings? Settings { get; init; }

    public IReadOnlyList<CatalogFramework> Frameworks { get; init; } = [];

    public IReadOnlyList<CatalogCredential> Credentials { get; init; } = [];

    public IReadOnlyList<CatalogStack> Stacks { get; init; } = [];

    public IReadOnlyList<CatalogPathway> Pathways { get; init; } = [];

    public IReadOnlyList<CatalogOffering> Offerings { get; init; } = [];

    public IReadOnlyList<CatalogBudget> Budgets { get; init; } = [];
}

public sealed record CatalogSettings
{
    public bool RequirePlanApproval { get; init; } = true;

    /// <summary>What a decision posts to the LMS gradebook; left out, it stays as it is.</summary>
    public ResultPosting.GradeScale? GradeScale { get; init; }

    /// <summary>What a "not yet" posts; left out, it stays as it is.</summary>
    public ResultPosting.NotYetGrade? NotYetGrade { get; init; }
}

public sealed record CatalogFramework
{
    public string? Key { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<CatalogSkill> Skills { get; init; } = [];
}

public sealed record CatalogSkill
{
    public string? Code { get; init; }

    public string? Name { get; init; }
}

/// <summary>A credential with its six components in Digital Promise's order, and the skills it shows.</summary>
public sealed record CatalogCredential
{
    public string? Key { get; init; }

    public string? Title { get; init; }

    public string? Summary { get; init; }

    public bool Retired { get; init; }

    public string? Competency { get; init; }

    public string? KeyMethod { get; init; }

    public IReadOnlyList<string> MethodComponents { get; init; } = [];

    public IReadOnlyList<CatalogResource> Resources { get; init; } = [];

    public IReadOnlyList<CatalogCriterion> Criteria { get; init; } = [];

    public CatalogRubric? Rubric { get; init; }

    public IReadOnlyList<CatalogAlignment> Skills { get; init; } = [];

    /// <summary>Optional peer review setting; left out, the credential's setting stays as it is.</summary>
    public CatalogReview? Review { get; init; }
}

/// <summary>A credential's peer review: see <see cref="Reviews.ReviewPolicy"/>.</summary>
public sealed record CatalogReview
{
    public int RequiredReviews { get; init; }

    public bool Anonymous { get; init; } = true;

    public int DueSchoolDays { get; init; } = 5;

    public int ReminderSchoolDays { get; init; } = 1;

    public int ReallocateAfterSchoolDays { get; init; } = 2;

    /// <summary>Conditions that all apply (none: any colleague).</summary>
    public IReadOnlyList<Reviews.ReviewerEligibility> Eligibility { get; init; } = [];

    public Reviews.ReviewPolicyInput ToInput() => new(RequiredReviews, Anonymous, DueSchoolDays, ReminderSchoolDays, ReallocateAfterSchoolDays,
        Eligibility.Aggregate(Reviews.ReviewerEligibility.AnyColleague, (all, e) => all | e));

    public static CatalogReview From(Reviews.ReviewPolicy policy) => new()
    {
        RequiredReviews = policy.RequiredReviews,
        Anonymous = policy.Anonymous,
        DueSchoolDays = policy.DueSchoolDays,
        ReminderSchoolDays = policy.ReminderSchoolDays,
        ReallocateAfterSchoolDays = policy.ReallocateAfterSchoolDays,
        Eligibility = [.. Enum.GetValues<Reviews.ReviewerEligibility>().Where(f => f != Reviews.ReviewerEligibility.AnyColleague && policy.Eligibility.HasFlag(f))],
    };
}

public sealed record CatalogResource
{
    public string? Title { get; init; }

    public string? Url { get; init; }
}

public sealed record CatalogCriterion
{
    public string? Key { get; init; }

    public string? Title { get; init; }

    public EvidenceKind? Kind { get; init; }

    public string? Guidance { get; init; }

    public int? MinMinutes { get; init; }

    public int? MaxMinutes { get; init; }
}

public sealed record CatalogRubric
{
    public IReadOnlyList<CatalogRubricLevel> Levels { get; init; } = [];

    public IReadOnlyList<CatalogRubricCriterion> Criteria { get; init; } = [];

    public CatalogPassing? Passing { get; init; }
}

public sealed record CatalogRubricLevel
{
    public string? Name { get; init; }

    public int Points { get; init; }
}

public sealed record CatalogRubricCriterion
{
    public string? Key { get; init; }

    public string? Title { get; init; }

    public IReadOnlyList<string> Descriptors { get; init; } = [];
}

public sealed record CatalogPassing
{
    /// <summary>0-based index into the levels.</summary>
    public int MinimumLevel { get; init; }

    public int? MinimumTotal { get; init; }
}

public sealed record CatalogAlignment
{
    public string? Framework { get; init; }

    public string? Code { get; init; }
}

public sealed record CatalogStack
{
    public string? Key { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>Credential keys in the order teachers should take them.</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];
}

public sealed record CatalogPathway
{
    public string? Key { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Prerequisites { get; init; } = [];

    public IReadOnlyList<string> Credentials { get; init; } = [];

    public int MinimumCount { get; init; }

    public int CommitteeSize { get; init; }

    public PathwayReward Reward { get; init; }

    public string? RewardDetail { get; init; }
}

public sealed record CatalogOffering
{
    public string? Credential { get; init; }

    /// <summary>The school's code; absent for a district-wide offering.</summary>
    public string? School { get; init; }

    public DateTimeOffset? OpensAt { get; init; }

    public DateTimeOffset? ClosesAt { get; init; }

    public bool Active { get; init; } = true;

    public CatalogIncentive? Incentive { get; init; }
}

public sealed record CatalogIncentive
{
    public IncentiveKind? Kind { get; init; }

    public decimal Amount { get; init; }

    public int CredentialsPerUnit { get; init; } = 1;
}

public sealed record CatalogBudget
{
    public int Year { get; init; }

    public IncentiveKind? Kind { get; init; }

    /// <summary>The school's code; absent for the district's budget.</summary>
    public string? School { get; init; }

    public decimal Amount { get; init; }
}

/// <summary>One thing wrong with a catalog file: where (a JSON path such as <c>$.credentials[2].rubric</c>) and why.</summary>
public sealed record CatalogProblem(string Path, string Reason);
