namespace LtiMicroCred.Catalog;

/// <summary>A named framework of skills (a state's teacher leadership standards, Danielson clusters...): data, not code.</summary>
public sealed class SkillFramework
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public List<Skill> Skills { get; set; } = [];
}

public sealed class Skill
{
    public Guid Id { get; set; }

    public Guid FrameworkId { get; set; }

    /// <summary>The framework's own code for the skill ("2c", "TLS-3"), unique in the framework.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }
}

/// <summary>A credential version's alignment to a skill (kept in a table so reports can aggregate by skill).</summary>
public sealed class SkillAlignment
{
    public Guid CredentialVersionId { get; set; }

    public Guid SkillId { get; set; }
}

/// <summary>Usually three credentials that together show a broader idea.</summary>
public sealed class CredentialStack
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Key { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public List<StackEntry> Entries { get; set; } = [];
}

public sealed class StackEntry
{
    public Guid StackId { get; set; }

    public Guid CredentialId { get; set; }

    public int Position { get; set; }
}

/// <summary>What completing a pathway opens.</summary>
public enum PathwayReward
{
    None,
    Role,
    SalaryStep,
}

/// <summary>
/// A longer route: prerequisite credentials, then at least <see cref="MinimumCount"/> of its credentials, then an
/// optional final review by a committee of <see cref="CommitteeSize"/> administrators.
/// </summary>
public sealed class Pathway
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Key { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public int MinimumCount { get; set; }

    public int CommitteeSize { get; set; }

    public PathwayReward Reward { get; set; }

    /// <summary>The role or salary step completion opens, in the district's words ("Badge facilitator", "5 %").</summary>
    public string? RewardDetail { get; set; }

    public List<PathwayEntry> Entries { get; set; } = [];
}

public sealed class PathwayEntry
{
    public Guid PathwayId { get; set; }

    public Guid CredentialId { get; set; }

    public bool Prerequisite { get; set; }
}
