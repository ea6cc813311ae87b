using LtiMicroCred.Catalog;

namespace LtiMicroCred.Ledger;

public enum LedgerEntryType
{
    /// <summary>What an award pays (or, after a correction, what it should have paid).</summary>
    Award,

    /// <summary>Reverses one earlier entry: the same kind with the amount negated.</summary>
    Correction,
}

/// <summary>
/// One line of a teacher's in-service hours / PD points ledger. Append-only: the product has no path that edits or
/// deletes an entry; a mistake is put right by a <see cref="LedgerEntryType.Correction"/> that reverses the entry
/// (negative amount) and, when something was still due, a new award entry with the right amount.
/// The entry's id is what a later LMS line-item posting or PD-system webhook (the outbox) carries, so a posting can
/// be traced to, and never repeated for, one entry.
/// </summary>
public sealed class LedgerEntry
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid TeacherId { get; set; }

    /// <summary>The teacher's school when the credential was awarded (the attempt's school), kept if they move.</summary>
    public Guid? SchoolId { get; set; }

    public Guid CredentialId { get; set; }

    public Guid CredentialVersionId { get; set; }

    public Guid AttemptId { get; set; }

    /// <summary>The award decision (<see cref="Decisions.AttemptDecision"/>) this entry pays or corrects.</summary>
    public Guid DecisionId { get; set; }

    public IncentiveKind Kind { get; set; }

    /// <summary>In the kind's unit (hours, points, units, dollars, steps); negative on a correction.</summary>
    public decimal Amount { get; set; }

    /// <summary>
    /// CPD units: the amount itself for a CPD-unit incentive, the hours times the district's rate
    /// (<see cref="LedgerSettings.CpdUnitsPerHour"/>) for in-service hours, otherwise null.
    /// </summary>
    public decimal? CpdUnits { get; set; }

    /// <summary>The decider of the award, or the administrator who made the correction.</summary>
    public Guid ApprovedBy { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }

    public LedgerEntryType EntryType { get; set; }

    /// <summary>On a correction: the entry it reverses. Unique, so an entry is reversed at most once.</summary>
    public Guid? ReversesEntryId { get; set; }

    /// <summary>Why, on a correction and on the corrected award that follows it.</summary>
    public string? Reason { get; set; }
}

/// <summary>The district's ledger settings: its own small row, so the ledger does not widen the programme settings.</summary>
public sealed class LedgerSettings
{
    public Guid TenantId { get; set; }

    /// <summary>The district's conversion rule for in-service hours (for example 0.1 CPD units per hour); null: no conversion.</summary>
    public decimal? CpdUnitsPerHour { get; set; }
}
