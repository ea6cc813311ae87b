using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

public sealed record AuditFilter(string? Action = null, string? SubjectType = null, Guid? SubjectId = null, string? Person = null, DateOnly? From = null, DateOnly? To = null, int Page = 1);

public sealed record AuditRow(long Id, DateTimeOffset At, string ActorName, string Action, string SubjectType, Guid SubjectId, string? Detail);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Page, bool HasNext, IReadOnlyList<string> Actions);

/// <summary>
/// The district's audit log, newest first, for district admins only. Entries hold no evidence content by design (see
/// <see cref="Audit.AuditEntry"/>), so the page shows them as they are.
/// </summary>
public sealed class AuditQueries(AppDbContext db)
{
    public const int PageSize = 50;

    /// <summary>Suggestions for the action filter (any exact action name works).</summary>
    public static readonly IReadOnlyList<string> KnownActions =
    [
        "attempt.awarded", "attempt.not-yet", "attempt.reviews-conflict",
        "calibration.calibrated", "calibration.not-yet-calibrated", "calibration.reference-added", "calibration.reference-changed",
        "calibration.reference-restored", "calibration.reference-retired", "calibration.threshold-changed",
        "coach.assigned", "coach.unassigned", "outbox.retried",
        "extension.declined", "extension.granted", "extension.requested", "ledger.awarded", "ledger.corrected",
        "pathway-review.requested", "pathway-review.voted-award", "pathway-review.voted-not-yet",
        "plan.approved", "plan.declined", "plan.returned", "policy.changed",
        "review.allocated", "review.cancelled", "review.conflict-declared", "review.escalated", "review.reallocated",
        "review.reminded", "review.shortfall", "review.submitted",
    ];

    public async Task<AuditPage> SearchAsync(Actor actor, AuditFilter filter, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var page = Math.Clamp(filter.Page, 1, 10_000);
        var query =
            from e in db.AuditEntries.AsNoTracking()
            join p in db.People.AsNoTracking() on e.ActorId equals (Guid?)p.Id into people
            from p in people.DefaultIfEmpty()
            where e.TenantId == actor.TenantId
            select new { e.Id, e.At, Name = p == null ? null : p.Name, e.Action, e.SubjectType, e.SubjectId, e.Detail };
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(e => e.Action == filter.Action.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.SubjectType))
        {
            query = query.Where(e => e.SubjectType == filter.SubjectType.Trim());
        }

        if (filter.SubjectId is { } subject)
        {
            query = query.Where(e => e.SubjectId == subject);
        }

        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var name = filter.Person.Trim().ToLowerInvariant();
            // EF translates ToLower().Contains to SQL on every provider; the StringComparison overloads it does not.
#pragma warning disable CA1862
            query = query.Where(e => e.Name != null && e.Name.ToLower().Contains(name));
#pragma warning restore CA1862
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At < end);
        }

        var rows = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip((page - 1) * PageSize).Take(PageSize + 1).ToListAsync(cancellationToken);
        return new AuditPage(
            rows.Take(PageSize).Select(r => new AuditRow(r.Id, r.At, r.Name ?? "The system", r.Action, r.SubjectType, r.SubjectId, r.Detail)).ToList(),
            page, rows.Count > PageSize, KnownActions);
    }
}
