namespace LtiMicroCred.Catalog;

/// <summary>
/// A microcredential of a district's catalog. Its content lives in versions: editing a credential that has attempts
/// in progress publishes a new version, and every attempt keeps the version it started on.
/// </summary>
public sealed class Credential
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The district's stable key for the credential (used by catalog import and export), unique in the tenant.</summary>
    public required string Key { get; set; }

    public required string Title { get; set; }

    public string? Summary { get; set; }

    public Guid? CurrentVersionId { get; set; }

    public bool Retired { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One published version of a credential's six components. Never edited once an attempt uses it.</summary>
public sealed class CredentialVersion
{
    public Guid Id { get; set; }

    public Guid CredentialId { get; set; }

    public int Number { get; set; }

    public required CredentialDefinition Definition { get; set; }

    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>Digital Promise's six components of a microcredential.</summary>
public sealed record CredentialDefinition
{
    /// <summary>1. The one skill being certified.</summary>
    public required string Competency { get; init; }

    /// <summary>2. The method the teacher uses to show the competency.</summary>
    public required string KeyMethod { get; init; }

    /// <summary>3. The parts of that method.</summary>
    public IReadOnlyList<string> MethodComponents { get; init; } = [];

    /// <summary>4. Research and resources supporting it.</summary>
    public IReadOnlyList<ResourceLink> Resources { get; init; } = [];

    /// <summary>5. The evidence required, each a separate requirement.</summary>
    public IReadOnlyList<SubmissionCriterion> Criteria { get; init; } = [];

    /// <summary>6. The rubric the evidence is scored against.</summary>
    public required Rubric Rubric { get; init; }

    public SubmissionCriterion? Criterion(string key) => Criteria.FirstOrDefault(c => c.Key == key);
}

public sealed record ResourceLink(string Title, string Url);

/// <summary>What kind of evidence a submission criterion asks for.</summary>
public enum EvidenceKind
{
    WorkSample,
    Video,
    StudentWork,
    Observation,
    Reflection,
    Document,
    SmartGoal,
    Assessment,
    OverviewQuestions,
    TimeTracker,
}

/// <summary>One evidence requirement. A video states the length range the teacher must declare within.</summary>
public sealed record SubmissionCriterion
{
    /// <summary>Stable within the credential (evidence and assignment mappings refer to it across versions).</summary>
    public required string Key { get; init; }

    public required string Title { get; init; }

    public EvidenceKind Kind { get; init; }

    public string? Guidance { get; init; }

    public int? MinMinutes { get; init; }

    public int? MaxMinutes { get; init; }
}

/// <summary>Criteria x ordered levels: each criterion has one descriptor per level, lowest level first.</summary>
public sealed record Rubric
{
    public IReadOnlyList<RubricLevel> Levels { get; init; } = [];

    public IReadOnlyList<RubricCriterion> Criteria { get; init; } = [];

    public required PassingRule Passing { get; init; }

    public int MaxTotal => Criteria.Count * (Levels.Count == 0 ? 0 : Levels.Max(l => l.Points));
}

public sealed record RubricLevel(string Name, int Points);

public sealed record RubricCriterion(string Key, string Title, IReadOnlyList<string> Descriptors);

/// <summary>
/// Passing: every criterion at or above <see cref="MinimumLevel"/> (0-based index into the levels) and, when set, a
/// total of points at least <see cref="MinimumTotal"/>.
/// </summary>
public sealed record PassingRule(int MinimumLevel, int? MinimumTotal = null);
