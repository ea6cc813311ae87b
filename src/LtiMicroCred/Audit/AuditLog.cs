using LtiMicroCred.Access;
using LtiMicroCred.Persistence;

namespace LtiMicroCred.Audit;

/// <summary>
/// One thing someone did that a district may have to account for (a decision, an allocation, a setting change): who,
/// when, what, on what. Never edited, never deleted; readable by district admins. Holds no evidence content.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The person, or null for the system (a background job).</summary>
    public Guid? ActorId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>A stable dotted name: "attempt.awarded", "review.reallocated", "policy.changed".</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to: "attempt", "review", "credential", "person".</summary>
    public required string SubjectType { get; set; }

    public Guid SubjectId { get; set; }

    /// <summary>A short sentence for a reader ("Reallocated from Ben Castillo: overdue by 3 school days").</summary>
    public string? Detail { get; set; }
}

/// <summary>Adds audit entries to the unit of work, so an entry is saved with the change it records or not at all.</summary>
public sealed class AuditLog(AppDbContext db, TimeProvider time)
{
    public void Record(Actor actor, string action, string subjectType, Guid subjectId, string? detail = null) =>
        Add(actor.TenantId, actor.PersonId, action, subjectType, subjectId, detail);

    public void RecordSystem(Guid tenantId, string action, string subjectType, Guid subjectId, string? detail = null) =>
        Add(tenantId, null, action, subjectType, subjectId, detail);

    private void Add(Guid tenantId, Guid? actorId, string action, string subjectType, Guid subjectId, string? detail) =>
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenantId,
            ActorId = actorId,
            At = time.GetUtcNow(),
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
        });
}
